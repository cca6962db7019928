package io.github.redisext.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once per backend: the embedded jedis-mock server, an embedded
 * real Redis 6.2 ({@link EmbeddedRedis}), a real {@code redis-server} from the PATH and a real
 * 3-master Redis Cluster (by default all four). Tests receive the
 * {@link RedisBackend} as a constructor or method parameter; every key is flushed and the mock
 * clock reset before each test.
 *
 * <p>When {@code redis-server} is not on the PATH the standalone and cluster backends are skipped
 * with a visible reason (the embedded one when the jar has no binary for the platform), unless the
 * environment has {@code CI=true}, where that is a failure.
 *
 * <pre>{@code
 * @RedisBackends
 * class QueueIT {
 *   private final RedisBackend redis;
 *   QueueIT(RedisBackend redis) { this.redis = redis; }
 *
 *   @Test void pushThenPop() { redis.client().rpush("{q}", "a"); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ClassTemplate
@ExtendWith(RedisBackendExtension.class)
public @interface RedisBackends {
  /** The backends to run against. */
  BackendKind[] value() default {BackendKind.MOCK, BackendKind.EMBEDDED, BackendKind.STANDALONE,
      BackendKind.CLUSTER};
}
