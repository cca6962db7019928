package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** A consumer keeps working across a Redis restart (reconnects, resubscribes to wake-ups). */
class RedisRestartIT {
  @Test
  void aConsumerHandlesTasksAddedAfterARedisRestart() {
    RedisServerProcess.assumeAvailable();
    List<String> got = new CopyOnWriteArrayList<>();
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis client = RedisClients.create(server.uri());
        DebounceTask<String> tasks = DebounceTask.create(client, "{restart}", String.class,
            DebounceOptions.builder().idleWait(Duration.ofHours(1)).build());
        DebounceConsumer c = tasks.consume(got::add)) {
      tasks.add("before", Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("before"));

      server.restart();

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> tasks.add("after", Duration.ofMillis(10)) || tasks.has("after")
              || got.contains("after"));
      await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("after"));
      assertThat(got).containsExactly("before", "after");
      assertThat(c.isRunning()).isTrue();
    }
  }
}
