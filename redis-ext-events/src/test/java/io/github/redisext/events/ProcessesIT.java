package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Publisher and subscribers in different JVMs (what the seed promised and never did), and a
 * subscriber killed with SIGKILL mid-handler. Real standalone Redis only: child JVMs are slow to
 * start, and the behaviour is backend-independent (the suites above cover every backend).
 */
@RedisBackends(BackendKind.STANDALONE)
class ProcessesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final RedisBackend redis;

  ProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static List<Order> orders(int n) {
    List<Order> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new Order("ORD-" + i, i));
    }
    return out;
  }

  private List<Long> results(String key) {
    return redis.client().lrange(key, 0, -1).stream().map(Long::parseLong)
        .collect(Collectors.toList());
  }

  @Test
  void subscribersInTwoOtherJvmsEachGetEveryEventOnceOrSplitThemWhenShared() {
    int n = 400;
    String prefix = Prefixes.fresh(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        EventQueueOptions.builder().prefix(prefix).build());
        ChildJvm a = ChildJvm.start(SubscriberMain.class, redis.uri(), prefix, "a", "broadcast",
            "res:a", "5000", "0");
        ChildJvm b = ChildJvm.start(SubscriberMain.class, redis.uri(), prefix, "b", "broadcast",
            "res:b", "5000", "0");
        ChildJvm s1 = ChildJvm.start(SubscriberMain.class, redis.uri(), prefix, "pool", "shared",
            "res:s1", "5000", "0");
        ChildJvm s2 = ChildJvm.start(SubscriberMain.class, redis.uri(), prefix, "pool", "shared",
            "res:s2", "5000", "0")) {
      for (ChildJvm c : List.of(a, b, s1, s2)) {
        c.awaitLine("STARTED"::equals, WAIT);
      }
      q.publishAll(orders(n / 2));
      for (Order o : orders(n / 2)) {
        q.publish(o);
      }
      List<Long> all = LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
      await().atMost(WAIT).until(() -> redis.client().llen("res:a") >= n
          && redis.client().llen("res:b") >= n
          && redis.client().llen("res:s1") + redis.client().llen("res:s2") >= n);
      assertThat(results("res:a")).isEqualTo(all);
      assertThat(results("res:b")).isEqualTo(all);
      List<Long> split = new ArrayList<>(results("res:s1"));
      split.addAll(results("res:s2"));
      assertThat(split).hasSize(n);
      assertThat(new HashSet<>(split)).isEqualTo(new HashSet<>(all));
      assertThat(results("res:s1")).isNotEmpty();
      assertThat(results("res:s2")).isNotEmpty();
    }
  }

  @Test
  void aSubscriberKilledMidHandlerGetsTheEventAgainOnRestartAndSkipsNothing() {
    String prefix = Prefixes.fresh(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        EventQueueOptions.builder().prefix(prefix).build())) {
      try (ChildJvm child = ChildJvm.start(SubscriberMain.class, redis.uri(), prefix, "crash",
          "broadcast", "res:crash", "1500", "3")) {
        child.awaitLine("STARTED"::equals, WAIT);
        q.publishAll(orders(6));
        child.awaitLine("HANDLING 3"::equals, WAIT);
        child.kill();
      }
      assertThat(results("res:crash")).containsExactly(1L, 2L);
      List<Long> got = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (Subscription s = q.subscribe("crash", e -> got.add(e.id()),
          SubscriptionOptions.builder().lease(Duration.ofMillis(1500)).build())) {
        await().atMost(WAIT).until(() -> got.contains(6L));
        // the child's batch (1..6) was never acknowledged: it comes again whole, in order, once
        // the child's lease ran out; event 3 is redelivered and nothing is skipped
        assertThat(got).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        await().atMost(WAIT).until(() -> s.info().position() == 6);
      }
    }
  }
}
