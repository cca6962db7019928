package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.internal.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions opened and closed at every stage (before, during and after SUBSCRIBE completes),
 * by 8 threads at once on one pooled client, must leave every pooled connection clean. Plain
 * Jedis does not: the subscriber thread can hand the connection back to the pool while the
 * thread that sent UNSUBSCRIBE is still flushing it, and core's RedisSubscriber could also send
 * two UNSUBSCRIBEs; the next command on that connection then reads a stale reply or is lost.
 */
@RedisBackends
class SubscriptionIT {
  private final RedisBackend redis;

  SubscriptionIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void closingSubscriptionsAtAnyMomentLeavesThePooledConnectionsClean() throws Exception {
    Queue<Object> wrong = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String channel = "{sub}:ch" + t;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 60; i++) {
          Semaphore subscribed = new Semaphore(0);
          Subscription s = Subscription.start(redis.client(), new Subscription.Listener() {
            @Override
            public void onMessage(String ch, String message) {
              subscribed.release();
            }

            @Override
            public void onSubscribed() {
              subscribed.release();
            }
          }, channel);
          if (i % 3 == 0) {
            assertThat(subscribed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
          } else if (i % 3 == 1) {
            redis.client().publish(channel, "m");
          }
          s.close();
          for (int k = 0; k < 5; k++) {
            Object r = redis.client().eval("return 7", List.of("{sub}:k"), List.of());
            if (!Long.valueOf(7).equals(r)) {
              wrong.add(r);
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(wrong).isEmpty();
  }
}
