package io.github.redisext.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.consumer.DeadLetterException;
import io.github.redisext.core.support.ServerTime;
import io.github.redisext.dashboard.internal.RateStore;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Rates: counted in memory by a listener bound to the client, flushed in batches, trimmed. */
@RedisBackends
class RatesIT {
  private final RedisBackend redis;

  RatesIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static long sum(Map<String, String> h, String suffix) {
    return h.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
        .mapToLong(e -> Long.parseLong(e.getValue())).sum();
  }

  @Test
  void aRecorderBoundToTheClientCountsProcessedAndFailedPerMinuteInRedis() throws Exception {
    try (UnifiedJedis client = redis.newClient();
        RateRecorder rates = RateRecorder.start(client, Duration.ofMinutes(1))) {
      WorkQueue<String> q = WorkQueue.create(client, "mail", String.class);
      List<String> tasks = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        tasks.add(i % 10 == 0 ? "bad" + i : "ok" + i);
      }
      q.pushAll(tasks);
      try (RedisWork<String> w = RedisWork.create(client, "mail", String.class, s -> {
        if (s.startsWith("bad")) {
          throw new DeadLetterException("refused");
        }
      }, WorkerOptions.defaults())) {
        w.startInBackground();
        await().atMost(Duration.ofSeconds(30)).until(() ->
            w.stats().processed() + q.deadLetterCount() == 30);
      }
      String key = RateStore.key("worker", KeySpace.forName("mail", client).prefix());
      rates.flush();
      Map<String, String> h = client.hgetAll(key);
      assertThat(sum(h, ":p")).isEqualTo(27);
      assertThat(sum(h, ":f")).isEqualTo(3);
      rates.flush(); // nothing new: nothing written
      assertThat(client.hgetAll(key)).isEqualTo(h);
    }
  }

  @Test
  void minutesOlderThanTwoWeeksAreTrimmedAtTheNextFlush() {
    try (UnifiedJedis client = redis.newClient()) {
      RateStore store = new RateStore(client);
      String key = RateStore.key("worker", "{old}");
      long now = ServerTime.now(client, key).getEpochSecond() / 60;
      long keep = RateStore.KEEP.toMinutes();
      store.add("worker", "{old}", 1, 0); // first flush: remembers where trimming starts
      client.hset(key, Map.of("trimmed", Long.toString(now - keep - 100),
          (now - keep - 50) + ":p", "5", (now - keep - 50) + ":f", "1",
          (now - keep + 10) + ":p", "7"));
      store.add("worker", "{old}", 2, 1);
      Map<String, String> h = client.hgetAll(key);
      assertThat(h).doesNotContainKeys((now - keep - 50) + ":p", (now - keep - 50) + ":f")
          .containsKey((now - keep + 10) + ":p");
      assertThat(Long.parseLong(h.get("trimmed"))).isBetween(now - keep, now - keep + 1);
      long[][] r = store.read("worker", "{old}", 3, ServerTime.now(client, key));
      assertThat(r[0][2] + r[0][1]).isEqualTo(3);
      assertThat(r[1][2] + r[1][1]).isEqualTo(1);
    }
  }
}
