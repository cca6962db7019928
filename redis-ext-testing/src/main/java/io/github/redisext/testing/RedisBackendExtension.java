package io.github.redisext.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** The engine behind {@link RedisBackends}; use the annotation, not this class. */
public final class RedisBackendExtension implements ClassTemplateInvocationContextProvider {

  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getRequiredTestClass(), RedisBackends.class);
  }

  @Override
  public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(
      ExtensionContext context) {
    BackendKind[] kinds = AnnotationSupport
        .findAnnotation(context.getRequiredTestClass(), RedisBackends.class)
        .map(RedisBackends::value).orElse(BackendKind.values());
    return Arrays.stream(kinds).distinct().map(Invocation::new);
  }

  private static final class Invocation implements ClassTemplateInvocationContext {
    private final BackendKind kind;

    Invocation(BackendKind kind) {
      this.kind = kind;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + kind.name().toLowerCase(Locale.ROOT) + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Availability(kind), new Resolver(kind), new Flush(kind));
    }
  }

  /** Skips (or, under CI=true, fails) a real backend when redis-server is missing. */
  private static final class Availability implements ExecutionCondition {
    private final BackendKind kind;

    Availability(BackendKind kind) {
      this.kind = kind;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (!kind.needsRedisServer() || RedisServerProcess.isAvailable()) {
        return ConditionEvaluationResult.enabled(kind + " backend available");
      }
      if (Backends.underCi()) {
        throw new ExtensionConfigurationException("CI=true but redis-server is not on the PATH: "
            + "the " + kind + " backend cannot run (.ci/run installs it with apt-get)");
      }
      return ConditionEvaluationResult.disabled("SKIPPED " + kind
          + " backend: redis-server is not on the PATH (install it to run the real-Redis suites)");
    }
  }

  private static final class Resolver implements ParameterResolver {
    private final BackendKind kind;

    Resolver(BackendKind kind) {
      this.kind = kind;
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
      return pc.getParameter().getType() == RedisBackend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
      return Backends.get(kind);
    }
  }

  private static final class Flush implements BeforeEachCallback {
    private final BackendKind kind;

    Flush(BackendKind kind) {
      this.kind = kind;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      RedisBackend backend = Backends.get(kind);
      backend.clock().ifPresent(MutableClock::reset);
      backend.flushAll();
    }
  }
}
