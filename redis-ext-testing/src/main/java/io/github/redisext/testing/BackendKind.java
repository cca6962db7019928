package io.github.redisext.testing;

/** The Redis backends a test class can run against. */
public enum BackendKind {
  /** The embedded jedis-mock server: always available, fast, with an injectable clock. */
  MOCK,
  /**
   * A real Redis 6.2 from the {@code embedded-redis} jar ({@link EmbeddedRedis}), started by the
   * tests on a free loopback port: the oldest Redis redis-ext supports, with nothing installed.
   */
  EMBEDDED,
  /** A real {@code redis-server} (7.x here) from the PATH, started by the tests on a free loopback port. */
  STANDALONE,
  /** A real 3-master Redis Cluster started by the tests on free loopback ports. */
  CLUSTER,
  /**
   * A Redis of yours named by the {@code REDIS_URL} environment variable ({@code redis://} or
   * {@code rediss://}, one server). Only classes that list it run on it, and they are skipped with
   * a visible reason while {@code REDIS_URL} is unset. It is never flushed: each test gets a key
   * prefix of its own ({@link RedisBackend#keyPrefix()}) and the keys under it are deleted before
   * and after the test.
   */
  EXTERNAL;

  /** Whether this backend needs a {@code redis-server} executable on the PATH. */
  public boolean needsRedisServer() {
    return this == STANDALONE || this == CLUSTER;
  }

  /** Whether this backend is a real Redis (not jedis-mock). */
  public boolean isReal() {
    return this != MOCK;
  }
}
