package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.Backends;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/** A real redis-server restarted (data lost) under live sets: they re-validate and push resumes. */
class FastSetRestartIT {
  private static final String KEY = "{restart}";

  @BeforeAll
  static void needsRedisServer() {
    if (!RedisServerProcess.isAvailable() && Backends.underCi()) {
      throw new IllegalStateException("CI=true but redis-server is not on the PATH");
    }
    RedisServerProcess.assumeAvailable();
  }

  @Test
  void setsServeTheCacheWhileRedisIsDownRevalidateAfterItRestartsAndPushResumes() {
    FastSetOptions push = FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build();
    FastSetOptions polling = FastSetOptions.builder().pushInvalidation(false)
        .refreshInterval(Duration.ofMillis(100)).build();
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis ca = RedisClients.create(server.uri());
        UnifiedJedis cb = RedisClients.create(server.uri());
        UnifiedJedis cc = RedisClients.create(server.uri());
        FastSet<String> a = FastSet.create(ca, KEY, String.class, push);
        FastSet<String> b = FastSet.create(cb, KEY, String.class, push);
        FastSet<String> c = FastSet.create(cc, KEY, String.class, polling)) {
      a.addAll(List.of("x", "y"));
      a.add("z");
      await().atMost(Duration.ofSeconds(5)).until(() -> b.size() == 3 && c.size() == 3);
      assertThat(b.version()).isEqualTo(2);

      server.kill();
      // while Redis is down reads answer from the cache; due checks fail and are counted
      await().atMost(Duration.ofSeconds(10))
          .until(() -> c.contains("x") && c.stats().failedChecks() > 0);
      assertThat(b).containsExactlyInAnyOrder("x", "y", "z");
      assertThatThrownBy(() -> a.add("while-down")).isInstanceOf(JedisException.class);

      server.restart(); // persistence is off: the set and its version are gone

      // the subscribers reconnect and re-validate (remote version 0 < cached 2: reload);
      // the polling instance reloads on its next due check
      await().atMost(Duration.ofSeconds(30)).until(() -> a.isEmpty() && b.isEmpty());
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(c::isEmpty);
      assertThat(b.version()).isZero();

      // writes work again (the scripts are re-sent after NOSCRIPT) and push follows them
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> a.add("after") || a.contains("after"));
      await().atMost(Duration.ofSeconds(5)).until(() -> b.contains("after"));
      await().atMost(Duration.ofSeconds(5)).until(() -> c.contains("after"));
      assertThat(b).containsExactly("after");
      assertThat(b.version()).isEqualTo(a.version()).isEqualTo(1);
      try (var raw = server.connect()) {
        assertThat(raw.smembers(KEY + ":value")).containsExactly("\"after\"");
      }
    }
  }
}
