package io.github.redisext.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The example of this module's README, as it is written there. */
@RedisBackends({BackendKind.MOCK, BackendKind.EMBEDDED, BackendKind.EXTERNAL})
class ReadmeExampleIT {
  private final RedisBackend redis;

  ReadmeExampleIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void ordersComeOutInTheOrderTheyWentIn() {
    String queue = redis.key("{orders}:queue");
    redis.client().rpush(queue, "a", "b");
    assertThat(redis.client().lpop(queue)).isEqualTo("a");
  }

  @Test
  void survivesARestart() {
    redis.assumeRealServer("restarts a real server");
    try (RedisServerProcess server = EmbeddedRedis.start()) {
      try (Jedis j = server.connect()) {
        j.set("k", "v");
      }
      server.restart();
      try (Jedis j = server.connect()) {
        assertThat(j.get("k")).isNull();
      }
    }
  }
}
