package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Count and search stay exact across expiry (the seed counted expired events), and a subscription
 * that was away while its events expired reports them as missed.
 */
@RedisBackends
class ExpiryIT {
  private static final Duration TTL = Duration.ofSeconds(1);
  private final RedisBackend redis;

  ExpiryIT(RedisBackend redis) {
    this.redis = redis;
  }

  private EventQueueOptions shortLived() {
    return EventQueueOptions.builder().prefix(Prefixes.fresh(redis)).eventTtl(TTL).build();
  }

  /** Lets the TTL run out: the mock's clock jumps, real servers are waited for. */
  private void expire(EventQueue<Order> q, long id) {
    redis.clock().ifPresent(c -> c.advance(TTL.multipliedBy(2)));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> q.getEvent(id).isEmpty());
  }

  @Test
  void countAndSearchNeverIncludeExpiredEvents() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, shortLived())) {
      q.publishAll(List.of(new Order("a", 1), new Order("b", 2), new Order("c", 3)));
      assertThat(q.count()).isEqualTo(3);
      expire(q, 3);
      // nothing published since: count and search clean up by themselves
      assertThat(q.count()).isZero();
      assertThat(q.search(EventQuery.all()).events()).isEmpty();
      q.publishAll(List.of(new Order("d", 4), new Order("e", 5)));
      assertThat(q.count()).isEqualTo(2);
      assertThat(q.count(EventQuery.builder().status(EventStatus.PROCESSING).build()))
          .isEqualTo(2);
      assertThat(q.search(EventQuery.builder().limit(10).build()).events())
          .extracting(Event::id).containsExactly(5L, 4L);
      assertThat(redis.client().zcard(q.options().prefix() + ":index:Order")).isEqualTo(2);
    }
  }

  @Test
  void eventsThatExpiredBeforeASubscriptionReadThemAreCountedAsMissed() {
    List<Long> got = new CopyOnWriteArrayList<>();
    EventQueueOptions opts = shortLived();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts);
        EventQueue<Order> longLived = EventQueue.create(redis.client(), Order.class,
            opts.toBuilder().eventTtl(Duration.ofSeconds(60)).build())) {
      q.subscribe("late", e -> got.add(e.id())).close();
      q.publishAll(List.of(new Order("a", 1), new Order("b", 2), new Order("c", 3)));
      expire(q, 3);
      longLived.publish(new Order("d", 4)); // outlives the grace a fresh gap gets
      Subscription s = q.subscribe("late", e -> got.add(e.id()),
          SubscriptionOptions.builder().idleWait(Duration.ofMillis(200)).build());
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
      assertThat(got).containsExactly(4L);
      assertThat(s.stats().missed()).isEqualTo(3);
      assertThat(s.info().missed()).isEqualTo(3);
      await().atMost(Duration.ofSeconds(20)).until(() -> s.info().position() == 4);
    }
  }
}
