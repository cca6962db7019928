package io.github.redisext.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
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
        .map(RedisBackends::value).orElse(Backends.DEFAULT_KINDS.toArray(new BackendKind[0]));
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
      return List.of(new Resolver(kind), new Flush(kind));
    }
  }

  /** Whether the backend can run here; skips (or, under CI=true, fails) when it cannot. */
  private static void requireAvailable(BackendKind kind) {
    if (isAvailable(kind)) {
      return;
    }
    if (kind == BackendKind.EXTERNAL) {
      Assumptions.abort("SKIPPED " + kind + " backend: REDIS_URL is not set");
    }
    String why = kind == BackendKind.EMBEDDED
        ? "the embedded-redis jar has no redis-server binary for " + System.getProperty("os.name")
            + "/" + System.getProperty("os.arch")
        : "redis-server is not on the PATH";
    if (Backends.underCi()) {
      throw new ExtensionConfigurationException("CI=true but " + why + ": the " + kind
          + " backend cannot run (.ci/run installs redis-server with apt-get)");
    }
    Assumptions.abort("SKIPPED " + kind + " backend: " + why);
  }

  static boolean isAvailable(BackendKind kind) {
    return Backends.isAvailable(kind);
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
      if (!isAvailable(kind)) {
        return new Unavailable(kind); // the before-each callback then skips or fails the test
      }
      return Backends.get(kind);
    }
  }

  private static final class Flush implements BeforeEachCallback, AfterEachCallback {
    private final BackendKind kind;

    Flush(BackendKind kind) {
      this.kind = kind;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      requireAvailable(kind);
      RedisBackend backend = Backends.get(kind);
      backend.clock().ifPresent(MutableClock::reset);
      Backends.newTest(backend);
      backend.flushAll();
    }

    @Override
    public void afterEach(ExtensionContext context) {
      if (kind == BackendKind.EXTERNAL && isAvailable(kind)) {
        Backends.get(kind).flushAll(); // only this test's prefix: leave nothing behind
      }
    }
  }

  /** Stands in for a backend that cannot start here, until the test is skipped. */
  private record Unavailable(BackendKind kind) implements RedisBackend {
    private <T> T abort() {
      requireAvailable(kind);
      throw new IllegalStateException("unreachable");
    }

    @Override
    public String uri() {
      return abort();
    }

    @Override
    public java.util.Set<redis.clients.jedis.HostAndPort> nodes() {
      return abort();
    }

    @Override
    public redis.clients.jedis.UnifiedJedis client() {
      return abort();
    }

    @Override
    public redis.clients.jedis.UnifiedJedis newClient() {
      return abort();
    }

    @Override
    public java.util.Optional<MutableClock> clock() {
      return abort();
    }

    @Override
    public void flushAll() {
      abort();
    }
  }
}
