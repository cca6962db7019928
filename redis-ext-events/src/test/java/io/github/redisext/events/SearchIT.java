package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Search by created-at range, status, offset pages and the stable id cursor. */
@RedisBackends
class SearchIT {
  private final RedisBackend redis;

  SearchIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static List<Order> orders(int from, int to) {
    List<Order> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(new Order("ORD-" + i, i));
    }
    return out;
  }

  @Test
  void theIdCursorStaysStableWhileEventsArePublishedBetweenPages() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.publishAll(orders(1, 10));
      EventPage<Order> first = q.search(EventQuery.builder().limit(4).build());
      assertThat(first.events()).extracting(Event::id).containsExactly(10L, 9L, 8L, 7L);
      q.publishAll(orders(11, 15));
      EventPage<Order> second = q.search(EventQuery.builder().limit(4)
          .beforeId(first.nextCursor()).build());
      assertThat(second.events()).extracting(Event::id).containsExactly(6L, 5L, 4L, 3L);
      EventPage<Order> last = q.search(EventQuery.builder().limit(4)
          .beforeId(second.nextCursor()).build());
      assertThat(last.events()).extracting(Event::id).containsExactly(2L, 1L);
      assertThat(last.hasMore()).isFalse();
      assertThat(last.nextCursor()).isZero();
      // offset paging shifts by the five new events, as in eventy
      assertThat(q.search(EventQuery.builder().limit(4).pageId(first.nextPageId()).build())
          .events()).extracting(Event::id).containsExactly(11L, 10L, 9L, 8L);
    }
  }

  @Test
  void searchAndCountFilterByCreatedAtRangeAndStatusExactly() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      List<Event<Order>> early = q.publishAll(orders(1, 3));
      redis.clock().ifPresent(c -> c.advance(Duration.ofSeconds(5)));
      Instant middle = early.get(0).createdAt().plusMillis(1);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> q.publish(new Order("probe", 0)).createdAt().isAfter(middle));
      long probe = q.count() ; // 3 early + at least 1 probe
      EventQuery late = EventQuery.builder().createdFrom(middle).build();
      EventQuery before = EventQuery.builder().createdTo(early.get(2).createdAt()).build();
      assertThat(q.count(before)).isEqualTo(3);
      assertThat(q.count(late)).isEqualTo(probe - 3);
      assertThat(q.search(before).events()).extracting(Event::id).containsExactly(3L, 2L, 1L);
      assertThat(q.search(late).events()).allMatch(e -> e.id() > 3);
      // statuses: a subscription marks what it handled PROCESSED
      try (Subscription s = q.subscribe("mark", e -> { },
          SubscriptionOptions.builder().start(StartPosition.OLDEST).build())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> s.info().position() == probe);
      }
      assertThat(q.count(EventQuery.builder().status(EventStatus.PROCESSED).build()))
          .isEqualTo(probe);
      assertThat(q.count(EventQuery.builder().status(EventStatus.PROCESSING).build())).isZero();
      EventPage<Order> page = q.search(EventQuery.builder().status(EventStatus.PROCESSED)
          .createdTo(early.get(2).createdAt()).limit(2).build());
      assertThat(page.events()).extracting(Event::id).containsExactly(3L, 2L);
      assertThat(page.nextPageId()).isEqualTo("2");
    }
  }
}
