package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad input is refused with a typed exception naming what is wrong; closed objects refuse all. */
@RedisBackends
class EventsArgumentsIT {
  private final RedisBackend redis;

  EventsArgumentsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void anUntaggedPrefixIsRejectedOnAClusterWithTheFixAndAcceptedElsewhere() {
    if (redis.isCluster()) {
      assertThatThrownBy(() -> EventQueue.create(redis.client(), Order.class))
          .isInstanceOf(KeyNameException.class).hasMessageContaining("'eventy'")
          .hasMessageContaining("'{eventy}'");
      assertThatThrownBy(() -> QueueManager.create(redis.client()))
          .isInstanceOf(KeyNameException.class).hasMessageContaining("hash tag");
    } else {
      try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
          EventQueueOptions.builder().prefix(redis.key("plain" + System.nanoTime())).build())) {
        assertThat(q.publish(new Order("a", 1)).id()).isEqualTo(1);
      }
    }
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameter() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      assertThatThrownBy(() -> q.publish(null)).hasMessageContaining("payload");
      assertThatThrownBy(() -> q.publishAll(Arrays.asList(new Order("a", 1), null)))
          .hasMessageContaining("payloads");
      assertThatThrownBy(() -> q.getEvent(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("id");
      assertThatThrownBy(() -> q.subscribe(" ", e -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
      assertThatThrownBy(() -> q.subscribe("a{b}", e -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("braces");
      assertThatThrownBy(() -> q.subscribe("x", null)).hasMessageContaining("handler");
      assertThatThrownBy(() -> q.search(null)).hasMessageContaining("query");
      assertThat(q.publishAll(java.util.List.of())).isEmpty();
    }
    assertThatThrownBy(() -> EventQueue.create(redis.client(), "a{b}", io.github.redisext.core.JsonCodec.of(String.class),
        Prefixes.options(redis))).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> EventQueue.create(redis.client(), new Object() { }.getClass()))
        .isInstanceOf(KeyNameException.class).hasMessageContaining("anonymous");
  }

  @Test
  void everyOperationOfAClosedQueueOrManagerThrowsIllegalState() {
    EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, Prefixes.options(redis));
    q.close();
    q.close();
    for (Runnable r : new Runnable[] {() -> q.publish(new Order("a", 1)), () -> q.getEvent(1),
        q::count, () -> q.search(EventQuery.all()), () -> q.subscribe("s", e -> { }),
        () -> q.unsubscribe("s"), q::searchSubscribers, q::removeDeadSubscriptions}) {
      assertThatThrownBy(r::run).isInstanceOf(IllegalStateException.class)
          .hasMessage("EventQueue 'Order' is closed");
    }
    QueueManager m = QueueManager.create(redis.client(), Prefixes.options(redis));
    m.close();
    assertThatThrownBy(m::queueTypes).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> m.register(Order.class)).isInstanceOf(IllegalStateException.class);
  }
}
