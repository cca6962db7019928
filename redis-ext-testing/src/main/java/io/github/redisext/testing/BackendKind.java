package io.github.redisext.testing;

/** The Redis backends a test class can run against. */
public enum BackendKind {
  /** The embedded jedis-mock server: always available, fast, with an injectable clock. */
  MOCK,
  /** A real {@code redis-server} started by the tests on a free loopback port. */
  STANDALONE,
  /** A real 3-master Redis Cluster started by the tests on free loopback ports. */
  CLUSTER;

  /** Whether this backend needs a {@code redis-server} executable. */
  public boolean needsRedisServer() {
    return this != MOCK;
  }
}
