package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The five tests of eventy's own suite (tests/test_redis_implementations.py), made re-runnable: each
 * uses a fresh prefix, so ids start at 1 and counts are exact on a Redis that already holds data.
 */
@RedisBackends
class SeedScenariosIT {
  private final RedisBackend redis;

  SeedScenariosIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void theFirstPublishedEventHasIdOneStatusProcessingAndReadsBack() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      Event<Order> e = q.publish(new Order("ORD-1", 9.5));
      assertThat(e.id()).isEqualTo(1);
      assertThat(e.status()).isEqualTo(EventStatus.PROCESSING);
      Event<Order> back = q.getEvent(1).orElseThrow();
      assertThat(back.payload()).isEqualTo(new Order("ORD-1", 9.5));
      assertThat(back.createdAtText()).isEqualTo(e.createdAtText());
      assertThat(back.workerId()).isEqualTo(q.workerId());
      assertThat(q.getEvent(2)).isEmpty();
    }
  }

  @Test
  void aSubscriberGetsThePublishedEventAndUnsubscribeReportsItExisted() {
    List<Order> got = new CopyOnWriteArrayList<>();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.subscribe("test", e -> got.add(e.payload()));
      q.publish(new Order("ORD-1", 1));
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
      assertThat(q.unsubscribe("test")).isTrue();
      assertThat(q.unsubscribe("test")).isFalse();
      assertThat(got).containsExactly(new Order("ORD-1", 1));
    }
  }

  @Test
  void searchPagesFiveEventsAndCountsThemExactly() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      for (int i = 1; i <= 5; i++) {
        q.publish(new Order("ORD-" + i, i));
      }
      EventPage<Order> all = q.search(EventQuery.builder().limit(10).build());
      assertThat(all.events()).hasSize(5);
      assertThat(all.hasMore()).isFalse();
      EventPage<Order> two = q.search(EventQuery.builder().limit(2).build());
      assertThat(two.events()).extracting(Event::id).containsExactly(5L, 4L);
      assertThat(two.nextPageId()).isEqualTo("2");
      EventPage<Order> next = q.search(EventQuery.builder().limit(2).pageId("2").build());
      assertThat(next.events()).extracting(Event::id).containsExactly(3L, 2L);
      assertThat(q.count()).isEqualTo(5);
    }
  }

  @Test
  void theManagerRegistersHandsOutListsAndDeregistersATypeAcrossProcesses() {
    EventQueueOptions opts = Prefixes.options(redis);
    try (QueueManager m = QueueManager.create(redis.client(), opts);
        QueueManager other = QueueManager.create(redis.newClient(), opts)) {
      EventQueue<Order> q = m.register(Order.class);
      assertThat(q.typeName()).isEqualTo("Order");
      assertThat(m.getEventQueue(Order.class)).isSameAs(q);
      assertThat(m.queueTypes()).contains("Order");
      // another process sees the registration in Redis
      assertThat(other.queueTypes()).contains("Order");
      assertThat(other.getEventQueue(Order.class).typeName()).isEqualTo("Order");
      assertThat(redis.client().ttl(opts.prefix() + ":queue_types")).isPositive();
      assertThat(m.deregister(Order.class)).isTrue();
      assertThatThrownBy(() -> m.getEventQueue(Order.class))
          .isInstanceOf(UnregisteredTypeException.class).hasMessageContaining("Order");
      assertThatThrownBy(q::count).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void anEventPublishedThroughAManagedQueueReadsBack() {
    try (QueueManager m = QueueManager.create(redis.client(), Prefixes.options(redis))) {
      m.register(Order.class);
      Event<Order> e = m.getEventQueue(Order.class).publish(new Order("ORD-9", 3.25));
      assertThat(m.getEventQueue(Order.class).getEvent(e.id()).orElseThrow().payload())
          .isEqualTo(new Order("ORD-9", 3.25));
    }
  }
}
