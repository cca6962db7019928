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

  /** Deletes every key on every node. */
  void flushAll();
}
