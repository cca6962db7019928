package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Durable subscriptions: broadcast, shared, restart, retries, dead letters, presence, resets. */
@RedisBackends
class SubscriptionIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final RedisBackend redis;

  SubscriptionIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static SubscriptionOptions.Builder fast() {
    return SubscriptionOptions.builder().retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
        .idleWait(Duration.ofMillis(500));
  }

  private static List<Long> ids(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  private static List<Order> orders(int n) {
    List<Order> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new Order("ORD-" + i, i));
    }
    return out;
  }

  @Test
  void everyBroadcastSubscriptionGetsEveryEventOnceInIdOrder() {
    int n = redis.kind().isReal() ? 600 : 60;
    List<Long> a = new CopyOnWriteArrayList<>();
    List<Long> b = new CopyOnWriteArrayList<>();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.subscribe("a", e -> a.add(e.id()), fast().batchSize(50).build());
      q.subscribe("b", e -> b.add(e.id()), fast().build());
      q.publishAll(orders(n / 2));
      for (Order o : orders(n / 2)) {
        q.publish(o);
      }
      await().atMost(WAIT).until(() -> a.size() >= n && b.size() >= n);
      assertThat(a).isEqualTo(ids(1, n));
      assertThat(b).isEqualTo(ids(1, n));
      await().atMost(WAIT).until(() -> q.search(EventQuery.builder()
          .status(EventStatus.PROCESSED).build()).events().size() == Math.min(n, 100));
      assertThat(q.count(EventQuery.builder().status(EventStatus.PROCESSED).build()))
          .isEqualTo(n);
    }
  }

  @Test
  void sharedConsumersOfOneNameSplitTheEventsEachHandledOnce() {
    int n = redis.kind().isReal() ? 600 : 60;
    Map<Long, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger byFirst = new AtomicInteger();
    AtomicInteger bySecond = new AtomicInteger();
    EventQueueOptions opts = Prefixes.options(redis);
    // one batch of 5 in flight per consumer: the other one always finds work
    SubscriptionOptions shared = fast().shared().batchSize(5).concurrency(1).prefetch(0).build();
    try (EventQueue<Order> q1 = EventQueue.create(redis.client(), Order.class, opts);
        EventQueue<Order> q2 = EventQueue.create(redis.newClient(), Order.class, opts)) {
      q1.subscribe("workers", e -> {
        seen.merge(e.id(), 1, Integer::sum);
        byFirst.incrementAndGet();
        Thread.sleep(1);
      }, shared);
      q2.subscribe("workers", e -> {
        seen.merge(e.id(), 1, Integer::sum);
        bySecond.incrementAndGet();
        Thread.sleep(1);
      }, shared);
      q1.publishAll(orders(n));
      await().atMost(WAIT).until(() -> seen.size() == n);
      assertThat(seen.values()).allMatch(c -> c == 1);
      assertThat(byFirst.get() + bySecond.get()).isEqualTo(n);
      assertThat(byFirst.get()).isPositive();
      assertThat(bySecond.get()).isPositive();
      await().atMost(WAIT).until(() -> q1.searchSubscribers().get(0).position() == n);
    }
  }

  @Test
  void aSubscriptionRestartedUnderTheSameNameContinuesWhereItStopped() {
    List<Long> got = new CopyOnWriteArrayList<>();
    EventQueueOptions opts = Prefixes.options(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts)) {
      Subscription s = q.subscribe("billing", e -> got.add(e.id()), fast().build());
      q.publishAll(orders(5));
      await().atMost(WAIT).until(() -> got.size() == 5);
      s.close();
      q.publishAll(orders(5)); // published while nobody consumes
      assertThat(q.searchSubscribers()).singleElement()
          .satisfies(i -> assertThat(i.backlog()).isEqualTo(5));
      q.subscribe("billing", e -> got.add(e.id()), fast().build());
      await().atMost(WAIT).until(() -> got.size() == 10);
      assertThat(got).isEqualTo(ids(1, 10));
    }
  }

  @Test
  void aNewSubscriptionStartsAtTheNextEventOrAtTheOldestRetainedOne() {
    List<Long> next = new CopyOnWriteArrayList<>();
    List<Long> oldest = new CopyOnWriteArrayList<>();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.publishAll(orders(3));
      q.subscribe("next", e -> next.add(e.id()), fast().build());
      q.subscribe("oldest", e -> oldest.add(e.id()),
          fast().start(StartPosition.OLDEST).build());
      q.publish(new Order("ORD-4", 4));
      await().atMost(WAIT).until(() -> next.size() == 1 && oldest.size() == 4);
      assertThat(next).containsExactly(4L);
      assertThat(oldest).isEqualTo(ids(1, 4));
    }
  }

  @Test
  void aFailingEventIsRetriedBeforeAnyLaterEventOfABroadcastSubscription() {
    List<Long> got = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      Subscription s = q.subscribe("retry", e -> {
        if (e.id() == 3 && failures.getAndIncrement() < 2) {
          throw new IllegalStateException("flaky");
        }
        got.add(e.id());
      }, fast().maxAttempts(5).batchSize(2).build()); // several batches in flight
      q.publishAll(orders(12));
      await().atMost(WAIT).until(() -> got.size() == 12);
      assertThat(got).isEqualTo(ids(1, 12));
      assertThat(s.stats().failed()).isEqualTo(2);
      assertThat(s.stats().retried()).isEqualTo(2);
      assertThat(s.deadLetterCount()).isZero();
    }
  }

  @Test
  void anEventFailingEveryAttemptIsDeadLetteredWithItsPayloadAndCanBeRequeued() {
    List<Long> got = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      java.util.concurrent.atomic.AtomicBoolean broken =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Subscription s = q.subscribe("dlq", e -> {
        if (e.id() == 2 && broken.get()) {
          calls.incrementAndGet();
          throw new IllegalArgumentException("bad order");
        }
        got.add(e.id());
      }, fast().maxAttempts(3).batchSize(1).build());
      List<Event<Order>> published = q.publishAll(orders(4));
      await().atMost(WAIT).until(() -> got.size() == 3);
      assertThat(got).containsExactly(1L, 3L, 4L);
      assertThat(calls.get()).isEqualTo(3);
      List<DeadLetter> dead = s.deadLetters(10);
      assertThat(dead).singleElement().satisfies(d -> {
        assertThat(d.id()).isEqualTo("2");
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.error()).contains("IllegalArgumentException").contains("bad order");
        assertThat(d.rawPayload()).isEqualTo(published.get(1).rawPayload());
        assertThat(d.consumer()).contains(q.workerId());
      });
      assertThat(q.getEvent(2).orElseThrow().status()).isEqualTo(EventStatus.ERROR);
      assertThat(s.stats().deadLettered()).isEqualTo(1);
      assertThat(q.searchSubscribers().get(0).deadLetters()).isEqualTo(1);

      broken.set(false);
      assertThat(s.requeue(dead)).isEqualTo(1);
      await().atMost(WAIT).until(() -> got.size() == 4);
      assertThat(got).containsExactly(1L, 3L, 4L, 2L);
      assertThat(s.deadLetterCount()).isZero();
      assertThat(q.getEvent(2).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
    }
  }

  @Test
  void purgedDeadLettersAreGoneAndRequeueAllHandsBackTheRest() {
    List<Long> got = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      Subscription s = q.subscribe("purge", e -> {
        if (broken.get()) {
          throw new io.github.redisext.core.consumer.DeadLetterException("refused");
        }
        got.add(e.id());
      }, fast().build());
      q.publishAll(orders(3));
      await().atMost(WAIT).until(() -> s.deadLetterCount() == 3);
      assertThat(s.purge(s.deadLetters(1))).isEqualTo(1);
      assertThat(s.deadLetters(10)).extracting(DeadLetter::id).containsExactly("2", "3");
      broken.set(false);
      assertThat(s.requeueAllDeadLetters()).isEqualTo(2);
      await().atMost(WAIT).until(() -> got.size() == 2);
      assertThat(got).containsExactly(2L, 3L);
      assertThat(s.purgeAllDeadLetters()).isZero();
      s.close();
      assertThatThrownBy(() -> s.deadLetters(1)).isInstanceOf(IllegalStateException.class)
          .hasMessage("Subscription 'purge' is closed");
    }
  }

  @Test
  void anUndecodablePayloadIsReadAsRawBytesAndDeadLetteredByteExact() {
    byte[] pickle = {(byte) 0x80, 0x04, (byte) 0x95, 0x15, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    List<Long> got = new CopyOnWriteArrayList<>();
    EventQueueOptions opts = Prefixes.options(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts)) {
      Subscription s = q.subscribe("decode", e -> got.add(e.id()), fast().build());
      q.publish(new Order("ORD-1", 1));
      // a Python publisher with the default (pickle) serializer writes event 2
      String key = opts.prefix() + ":events:Order:2";
      redis.client().incr(opts.prefix() + ":counter:Order");
      redis.client().hset(key.getBytes(StandardCharsets.UTF_8), Map.of(
          "id".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8),
          "payload".getBytes(StandardCharsets.UTF_8), pickle,
          "status".getBytes(StandardCharsets.UTF_8), "PROCESSING".getBytes(StandardCharsets.UTF_8),
          "created_at".getBytes(StandardCharsets.UTF_8),
          "2026-12-01T19:33:17.454792+00:00".getBytes(StandardCharsets.UTF_8)));
      q.publish(new Order("ORD-3", 3));
      await().atMost(WAIT).until(() -> got.size() == 2 && s.deadLetterCount() == 1);
      assertThat(got).containsExactly(1L, 3L);
      Event<Order> raw = q.getEvent(2).orElseThrow();
      assertThat(raw.isDecoded()).isFalse();
      assertThat(raw.rawPayload()).isEqualTo(pickle);
      assertThatThrownBy(raw::payload).isInstanceOf(io.github.redisext.core.CodecException.class);
      assertThat(s.deadLetters(1).get(0).rawPayload()).isEqualTo(pickle);
      assertThat(s.deadLetters(1).get(0).attempts()).isEqualTo(1);
    }
  }

  @Test
  void anEventKeyHoldingAnotherTypeIsDeadLetteredAndTheRestDelivered() {
    List<Long> got = new CopyOnWriteArrayList<>();
    EventQueueOptions opts = Prefixes.options(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts)) {
      Subscription s = q.subscribe("typed", e -> got.add(e.id()), fast().build());
      q.publish(new Order("ORD-1", 1));
      redis.client().incr(opts.prefix() + ":counter:Order");
      redis.client().set(opts.prefix() + ":events:Order:2", "not a hash");
      q.publish(new Order("ORD-3", 3));
      await().atMost(WAIT).until(() -> got.size() == 2 && s.deadLetterCount() == 1);
      assertThat(got).containsExactly(1L, 3L);
      assertThat(s.deadLetters(1).get(0).error()).contains(opts.prefix() + ":events:Order:2")
          .contains("string");
    }
  }

  @Test
  void subscriptionsOfOtherProcessesAreListedAndDeadOnesCanBeRemoved() {
    EventQueueOptions opts = Prefixes.options(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts);
        EventQueue<Order> other = EventQueue.create(redis.newClient(), Order.class, opts)) {
      Subscription live = q.subscribe("live", e -> { }, fast().build());
      Subscription gone = other.subscribe("gone", e -> { },
          fast().presenceTimeout(Duration.ofMillis(300)).build());
      assertThat(q.searchSubscribers()).extracting(SubscriberInfo::name)
          .containsExactlyInAnyOrder("live", "gone");
      gone.close();
      await().atMost(WAIT).until(() -> q.searchSubscribers().stream()
          .anyMatch(i -> i.name().equals("gone") && !i.alive()));
      assertThat(q.searchSubscribers()).filteredOn(i -> i.name().equals("live"))
          .singleElement().satisfies(i -> {
            assertThat(i.alive()).isTrue();
            assertThat(i.mode()).isEqualTo(DeliveryMode.BROADCAST);
          });
      assertThat(q.removeDeadSubscriptions()).containsExactly("gone");
      assertThat(q.searchSubscribers()).extracting(SubscriberInfo::name).containsExactly("live");
      assertThat(redis.client().exists(opts.prefix() + ":subscribers:Order:gone")).isFalse();
      assertThat(live.isRunning()).isTrue();
    }
  }

  @Test
  void aSubscriptionCannotBeReopenedInAnotherMode() {
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        Prefixes.options(redis))) {
      q.subscribe("mode", e -> { }, fast().build()).close();
      assertThatThrownBy(() -> q.subscribe("mode", e -> { }, fast().shared().build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode");
    }
  }

  @Test
  void aResetCounterIsDetectedAndTheSubscriptionReadsTheNewEventsInsteadOfStalling() {
    List<String> got = new CopyOnWriteArrayList<>();
    EventQueueOptions opts = Prefixes.options(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts)) {
      Subscription s = q.subscribe("reset", e -> got.add(e.payload().orderId()), fast().build());
      q.publishAll(orders(3));
      await().atMost(WAIT).until(() -> got.size() == 3);
      // the counter and events vanish (e.g. Redis restarted without persistence) but the
      // subscription's position survives: ids start again at 1
      for (String k : new HashSet<>(List.of(":counter:Order", ":epoch:Order", ":index:Order",
          ":events:Order:1", ":events:Order:2", ":events:Order:3"))) {
        redis.client().del(opts.prefix() + k);
      }
      q.publish(new Order("AFTER-1", 1));
      await().atMost(WAIT).until(() -> got.size() == 4);
      assertThat(got).containsExactly("ORD-1", "ORD-2", "ORD-3", "AFTER-1");
      // and with more new events than the old position (the epoch tells the reset apart)
      redis.client().del(opts.prefix() + ":counter:Order");
      q.publishAll(List.of(new Order("E1", 1), new Order("E2", 2), new Order("E3", 3),
          new Order("E4", 4), new Order("E5", 5)));
      await().atMost(WAIT).until(() -> got.size() == 9);
      assertThat(got.subList(4, 9)).containsExactly("E1", "E2", "E3", "E4", "E5");
      assertThat(s.stats().resets()).isEqualTo(2);
    }
  }
}
