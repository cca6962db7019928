package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis restarts empty (no persistence) under a running subscriber: its state and the counter are
 * gone, ids start again at 1, and the subscription picks up the new events instead of stalling.
 */
class RedisRestartIT {
  @Test
  void aSubscriberHandlesEventsPublishedAfterARedisRestart() {
    RedisServerProcess.assumeAvailable();
    List<String> got = new CopyOnWriteArrayList<>();
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis client = RedisClients.create(server.uri());
        EventQueue<Order> q = EventQueue.create(client, Order.class)) {
      Subscription s = q.subscribe("restart", e -> got.add(e.payload().orderId()),
          SubscriptionOptions.builder().idleWait(Duration.ofMillis(300)).build());
      q.publishAll(List.of(new Order("before-1", 1), new Order("before-2", 2)));
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);

      server.restart();

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> q.publish(new Order("after-1", 1)).id() == 1);
      q.publish(new Order("after-2", 2));
      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 4);
      assertThat(got).containsExactly("before-1", "before-2", "after-1", "after-2");
      assertThat(s.isRunning()).isTrue();
      assertThat(q.searchSubscribers()).extracting(SubscriberInfo::name).containsExactly("restart");
    }
  }
}
