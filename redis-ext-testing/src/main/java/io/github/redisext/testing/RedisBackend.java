package io.github.redisext.testing;

import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * One Redis backend a test runs against: injected into test constructors and methods by {@link
 * RedisBackends}. Servers start once per test JVM and are shared; data is flushed before every
 * test.
 */
public interface RedisBackend {
  /** Which backend this is. */
  BackendKind kind();

  /** Whether it is a Redis Cluster (keys of one script must then share a slot). */
  default boolean isCluster() {
    return kind() == BackendKind.CLUSTER;
  }

  /** A URI for it: {@code redis://127.0.0.1:port} or {@code redis-cluster://h:p,h:p,h:p}. */
  String uri();

  /** Its node addresses (one for standalone and the mock, every master for a cluster). */
  Set<HostAndPort> nodes();

  /** A client shared by the whole test JVM for this backend; do not close it. */
  UnifiedJedis client();

  /** A new client of its own (e.g. a second "process" in a test); the caller closes it. */
  UnifiedJedis newClient();

  /** The server clock, for the mock backend only; reset to the system clock before each test. */
  Optional<MutableClock> clock();

  /**
   * Deletes every key on every node of a server the tests started; on {@link BackendKind#EXTERNAL}
   * only the keys under the current test's {@link #keyPrefix()}.
   */
  void flushAll();

  /**
   * The prefix this test's keys should carry: empty on servers the tests started (they are flushed
   * before every test); on {@link BackendKind#EXTERNAL} a fresh {@code rxt-<random>:} per test, so
   * tests never touch keys they did not write. A hash tag after the prefix still decides the slot.
   */
  default String keyPrefix() {
    return "";
  }

  /** {@code name} with {@link #keyPrefix()} in front, e.g. {@code key("{orders}")}. */
  default String key(String name) {
    return keyPrefix() + name;
  }

  /**
   * The one guard for a test that needs a real Redis: skips it, with {@code reason} shown, on
   * jedis-mock.
   */
  default void assumeRealServer(String reason) {
    if (!kind().isReal()) {
      org.junit.jupiter.api.Assumptions.abort("SKIPPED on " + kind() + ": " + reason);
    }
  }

  /** Skips the test, with {@code reason} shown, on any of {@code kinds} (e.g. a cluster). */
  default void assumeNot(String reason, BackendKind... kinds) {
    for (BackendKind k : kinds) {
      if (k == kind()) {
        org.junit.jupiter.api.Assumptions.abort("SKIPPED on " + kind() + ": " + reason);
      }
    }
  }

  /**
   * Skips the test, with {@code reason} shown, unless this backend is one of {@code kinds} (e.g. a
   * fault test that restarts a server needs one it can restart).
   */
  default void assumeKind(String reason, BackendKind... kinds) {
    for (BackendKind k : kinds) {
      if (k == kind()) {
        return;
      }
    }
    org.junit.jupiter.api.Assumptions.abort("SKIPPED on " + kind() + ": " + reason);
  }
}
