package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

/**
 * The subscriber's pub/sub connection is killed again and again while 1,000 events are published:
 * notifications are lost, yet every event arrives once and in order (the idle wait is an hour, so
 * only the catch-up after each resubscription can deliver them). Real servers only: jedis-mock
 * has no CLIENT KILL.
 */
@RedisBackends({BackendKind.STANDALONE, BackendKind.EMBEDDED})
class LostNotificationsIT {
  private final RedisBackend redis;

  LostNotificationsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void killingThePubSubConnectionWhile1000ArePublishedLosesNoneAndKeepsTheOrder() {
    int n = 1000;
    List<Long> got = new CopyOnWriteArrayList<>();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.subscribe("survivor", e -> got.add(e.id()),
          SubscriptionOptions.builder().idleWait(Duration.ofHours(1)).build());
      int kills = 0;
      for (int i = 1; i <= n; i++) {
        q.publish(new Order("ORD-" + i, i));
        if (i % 100 == 0) {
          Object killed = redis.client().sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE",
              "pubsub");
          kills += ((Long) killed).intValue();
        }
      }
      assertThat(kills).as("pub/sub connections killed").isPositive();
      await().atMost(Duration.ofSeconds(60)).until(() -> got.size() >= n);
      assertThat(got).isEqualTo(LongStream.rangeClosed(1, n).boxed()
          .collect(Collectors.toList()));
    }
  }
}
