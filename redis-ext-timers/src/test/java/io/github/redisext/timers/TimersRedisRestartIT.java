package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The loop survives a Redis restart (kill -9 of redis-server, AOF on): nothing is lost. */
class TimersRedisRestartIT {
  @Test
  void theLoopSurvivesARedisRestartAndPendingTimersStillFire() {
    RedisServerProcess.assumeAvailable();
    Queue<String> fired = new ConcurrentLinkedQueue<>();
    try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes",
        "--appendfsync", "always");
        UnifiedJedis client = RedisClients.create(server.uri());
        Timers<Void> timers = Timers.builder(client, (Void) null)
            .include(new Router<Void>().handler("t", TestPayload.class,
                (p, c) -> fired.add(p.message())))
            .options(TimersOptions.builder().idleWait(Duration.ofMillis(500)).build())
            .build()) {
      timers.start();
      timers.setTimer("t", "before", new TestPayload("before", 1), Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> fired.contains("before"));

      timers.setTimer("t", "across", new TestPayload("across", 2), Duration.ofSeconds(2));
      server.restart();

      await().atMost(Duration.ofSeconds(30)).until(() -> fired.contains("across"));
      timers.setTimer("t", "after", new TestPayload("after", 3), Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> fired.contains("after"));
      assertThat(fired).containsExactly("before", "across", "after");
      assertThat(timers.pendingCount()).isZero();
    }
  }
}
