package io.github.redisext.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The consumer kernel against an in-memory store: no Redis, every state and failure reachable. */
class ConsumerKernelTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final MetricSource SRC = MetricSource.of("test", "fake");
  private final FakeStore store = new FakeStore();

  private static ConsumerOptions.Builder opts() {
    return ConsumerOptions.builder().idleWait(Duration.ofMillis(20))
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private static void awaitLatch(CountDownLatch l) {
    try {
      assertThat(l.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix + "-") && t.isAlive()).count();
  }

  @Test
  void everyItemIsHandledOnceAndAckedWithAtMostConcurrencyRunning() {
    store.addRange(3000);
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      maxRunning.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
      seen.merge(i.id(), 1, Integer::sum);
      runningNow.decrementAndGet();
    }, opts().concurrency(8).prefetch(8).build(), "kernel-test-a", SRC)) {
      await().atMost(WAIT).until(() -> store.acked.size() == 3000);
      assertThat(k.stats().handled()).isEqualTo(3000);
    }
    assertThat(seen).hasSize(3000).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(maxRunning.get()).isLessThanOrEqualTo(8);
    assertThat(store.maxLeased()).as("held = claimed and not yet settled").isLessThanOrEqualTo(16);
    assertThat(store.claimSizesAsked).allSatisfy(n -> assertThat(n).isBetween(1, 16));
    assertThat(store.settleBatchSizes.stream().mapToInt(Integer::intValue).max().orElse(0))
        .as("settlements are group-committed").isGreaterThan(1);
    assertThat(threadsNamed("kernel-test-a")).isZero();
  }

  @Test
  void aClaimAsksForEveryFreeSlotPlusThePrefetchAndHoldsNoMore() {
    store.addRange(100);
    CountDownLatch release = new CountDownLatch(1);
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> release.await(),
        opts().concurrency(4).prefetch(12).build(), "kernel-test-b", SRC)) {
      await().atMost(WAIT).until(() -> store.leasedCount() == 16);
      assertThat(store.claimSizesAsked.get(0)).isEqualTo(16);
      await().atMost(WAIT).until(() -> k.stats().running() == 4);
      assertThat(store.leasedCount()).isEqualTo(16);
      release.countDown();
      await().atMost(WAIT).until(() -> store.acked.size() == 100);
    }
    assertThat(store.maxLeased()).isLessThanOrEqualTo(16);
  }

  @Test
  void neverMoreThanConcurrencyHandlersRunWhileClaimedItemsWait() throws Exception {
    store.addRange(40);
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      maxRunning.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
      try {
        release.await();
      } finally {
        runningNow.decrementAndGet();
      }
    }, opts().concurrency(3).prefetch(5).build(), "kernel-test-c", SRC)) {
      await().atMost(WAIT).until(() -> runningNow.get() == 3 && store.leasedCount() == 8);
      Thread.sleep(300); // the claiming thread has claimed all it may and must not handle more
      assertThat(maxRunning.get()).isEqualTo(3);
      assertThat(store.leasedCount()).isEqualTo(8);
      release.countDown();
      await().atMost(WAIT).until(() -> store.acked.size() == 40);
    }
    assertThat(maxRunning.get()).isEqualTo(3);
  }

  @Test
  void anIdleConsumerHandlesTheFirstItemOfAClaimOnTheThreadThatClaimedIt() {
    Map<String, Thread> claimedOn = new ConcurrentHashMap<>();
    Map<String, Thread> handledOn = new ConcurrentHashMap<>();
    LeasedStore<FakeStore.Item> recording = new FakeStore.Forwarding(store) {
      @Override
      public Claim<FakeStore.Item> claim(int max, Duration lease, Duration maxWait) {
        Claim<FakeStore.Item> c = super.claim(max, lease, maxWait);
        c.items().forEach(i -> claimedOn.put(i.id(), Thread.currentThread()));
        return c;
      }
    };
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(recording,
        i -> handledOn.put(i.id(), Thread.currentThread()),
        opts().concurrency(4).build(), "kernel-test-p", SRC)) {
      for (int n = 0; n < 20; n++) {
        String id = "one-" + n;
        store.add(id);
        k.wakeUp();
        await().atMost(WAIT).until(() -> store.acked.containsKey(id));
        assertThat(handledOn.get(id)).as("no hand-off to another thread for %s", id)
            .isSameAs(claimedOn.get(id));
      }
    }
  }

  @Test
  void anItemTheStoreSetsAsideInPrepareNeverReachesTheHandlerAndAFailedPrepareWaitsForTheLease() {
    Map<String, Thread> preparedOn = new ConcurrentHashMap<>();
    AtomicBoolean boomOnce = new AtomicBoolean(true);
    LeasedStore<FakeStore.Item> preparing = new FakeStore.Forwarding(store) {
      @Override
      public boolean prepare(FakeStore.Item item) {
        preparedOn.put(item.id(), Thread.currentThread());
        if (item.id().equals("boom") && boomOnce.getAndSet(false)) {
          throw new IllegalStateException("Redis is down (injected)");
        }
        return !item.id().equals("bad");
      }
    };
    store.add("a", "bad", "boom", "b");
    Map<String, Thread> handledOn = new ConcurrentHashMap<>();
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(preparing,
        i -> handledOn.put(i.id(), Thread.currentThread()),
        opts().concurrency(1).prefetch(0).lease(Duration.ofMillis(300)).build(), "kernel-test-q",
        SRC)) {
      await().atMost(WAIT).until(() -> store.acked.keySet().containsAll(java.util.List.of("a",
          "b", "boom")));
      assertThat(handledOn).doesNotContainKey("bad");
      assertThat(store.attempts("boom")).as("delivered again after its lease").isEqualTo(2);
      assertThat(handledOn.get("a")).as("prepared on the handling thread")
          .isSameAs(preparedOn.get("a"));
      assertThat(k.stats().handled()).isEqualTo(3);
      assertThat(k.stats().failed()).isZero();
      await().atMost(WAIT).until(() -> k.stats().held() == 0);
    }
  }

  @Test
  void aFailingItemIsRetriedWithBackoffThenDeadLetteredWithItsError() {
    store.add("bad");
    AtomicInteger calls = new AtomicInteger();
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("boom " + i.attempt());
    }, opts().maxAttempts(3).build(), "kernel-test-c", SRC)) {
      await().atMost(WAIT).until(() -> store.dead.containsKey("bad"));
      assertThat(k.stats().retried()).isEqualTo(2);
      assertThat(k.stats().deadLettered()).isEqualTo(1);
      assertThat(k.stats().failed()).isEqualTo(3);
    }
    assertThat(calls.get()).isEqualTo(3);
    assertThat(store.dead.get("bad")).isEqualTo("java.lang.IllegalArgumentException: boom 3");
    assertThat(store.acked).isEmpty();
  }

  @Test
  void aDeadLetterExceptionSkipsTheRetries() {
    store.add("poison");
    AtomicInteger calls = new AtomicInteger();
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      calls.incrementAndGet();
      throw new DeadLetterException("undecodable payload");
    }, opts().maxAttempts(10).build(), "kernel-test-d", SRC)) {
      await().atMost(WAIT).until(() -> store.dead.containsKey("poison"));
    }
    assertThat(calls.get()).isEqualTo(1);
    assertThat(store.dead.get("poison")).contains("undecodable payload");
  }

  @Test
  void leasesAreRenewedWhileAHandlerRunsLongerThanTheLease() {
    store.add("slow");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      calls.incrementAndGet();
      release.await();
    }, opts().lease(Duration.ofMillis(600)).build(), "kernel-test-e", SRC);
        ConsumerKernel<FakeStore.Item> other = ConsumerKernel.start(store, i -> calls.incrementAndGet(),
            opts().lease(Duration.ofMillis(600)).build(), "kernel-test-e2", SRC)) {
      // five leases long: without renewal the other consumer would get the item (a 600 ms lease,
      // renewed every 200 ms, leaves room for a late renewal tick on a loaded machine)
      int renewsAtStart = store.renewCalls.get();
      await().atMost(WAIT).until(() -> store.renewCalls.get() >= renewsAtStart + 15);
      assertThat(calls.get()).isEqualTo(1);
      release.countDown();
      await().atMost(WAIT).until(() -> store.acked.containsKey("slow"));
      assertThat(k.stats().leaseLost()).isZero();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void anItemSettledWhileARenewalRunsIsNotCountedAsALostLease() {
    store.addRange(20);
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store.slowSettleReplyView(2),
        i -> { }, opts().lease(Duration.ofMillis(300)).build(), "kernel-test-s", SRC)) {
      await().atMost(WAIT).until(() -> store.acked.size() == 20);
      await().atMost(WAIT).until(() -> k.stats().held() == 0);
      assertThat(k.stats().leaseLost()).isZero();
    }
  }

  @Test
  void anItemWhoseLeaseWasLostIsNotSettledByItsFormerHolder() {
    store.add("x");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      started.countDown();
      release.await();
    }, opts().lease(Duration.ofMillis(150)).build(), "kernel-test-f", SRC)) {
      awaitLatch(started);
      store.steal("x");
      await().atMost(WAIT).until(() -> k.stats().leaseLost() == 1);
      release.countDown();
      await().atMost(WAIT).until(() -> k.stats().handled() == 1 && k.stats().held() == 0);
    }
    assertThat(store.acked).isEmpty();
    assertThat(store.staleSettlements.get()).as("the kernel did not even try").isZero();
  }

  @Test
  void aStoreThatThrowsOnClaimSettleAndRenewLosesNothing() {
    store.addRange(500);
    store.failClaims.set(3);
    store.failSettles.set(3);
    store.failRenews.set(3);
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> { },
        opts().concurrency(4).prefetch(4).lease(Duration.ofMillis(300)).build(), "kernel-test-g", SRC)) {
      await().atMost(WAIT).until(() -> store.acked.size() == 500);
    }
    assertThat(store.acked.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(store.failClaims.get() + store.failSettles.get()).isZero();
  }

  @Test
  void shutdownGivesBackUnstartedItemsAndSettlesTheRunningOnes() throws Exception {
    store.addRange(12);
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      bothRunning.countDown();
      release.await();
    }, opts().concurrency(2).prefetch(10).build(), "kernel-test-h", SRC);
    awaitLatch(bothRunning);
    await().atMost(WAIT).until(() -> store.leasedCount() == 12);
    Thread closer = new Thread(k::close);
    closer.start();
    await().atMost(WAIT).until(() -> store.leasedCount() == 2); // 10 given back
    release.countDown();
    closer.join(WAIT.toMillis());
    assertThat(k.isTerminated()).isTrue();
    assertThat(store.acked).hasSize(2);
    assertThat(store.pendingCount()).isEqualTo(10);
    assertThat(store.leasedCount()).isZero();
    assertThat(k.stats().givenBack()).isEqualTo(10);
    FakeStore.Item next = store.claim(1, Duration.ofSeconds(1), Duration.ZERO).items().get(0);
    assertThat(next.attempt()).as("a given-back item's attempt is not counted").isEqualTo(1);
    assertThat(threadsNamed("kernel-test-h")).isZero();
  }

  @Test
  void aHandlerOverTheShutdownGraceIsInterruptedAndItsItemRetried() {
    store.add("stuck");
    CountDownLatch started = new CountDownLatch(1);
    ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      started.countDown();
      new CountDownLatch(1).await(); // only an interrupt ends this
    }, opts().shutdownGrace(Duration.ofMillis(100)).build(), "kernel-test-i", SRC);
    awaitLatch(started);
    k.close();
    assertThat(k.isTerminated()).isTrue();
    assertThat(k.stats().retried()).isEqualTo(1);
    assertThat(store.pendingCount()).isEqualTo(1);
    assertThat(threadsNamed("kernel-test-i")).isZero();
  }

  @Test
  void itemsOfAConsumerThatDiesBetweenClaimAndSettleAreDeliveredAgainAfterTheirLease() {
    store.addRange(20);
    AtomicBoolean dead = new AtomicBoolean();
    CountDownLatch claimedAll = new CountDownLatch(4);
    CountDownLatch never = new CountDownLatch(1);
    ConsumerKernel<FakeStore.Item> first = ConsumerKernel.start(store.deadProcessView(dead::get),
        i -> {
          claimedAll.countDown();
          never.await();
        }, opts().concurrency(4).prefetch(16).lease(Duration.ofMillis(200)).build(),
        "kernel-test-j", SRC);
    awaitLatch(claimedAll);
    await().atMost(WAIT).until(() -> store.leasedCount() == 20);
    dead.set(true); // from now on nothing it does reaches the store: as if kill -9
    Map<String, Integer> second = new ConcurrentHashMap<>();
    try (ConsumerKernel<FakeStore.Item> k2 = ConsumerKernel.start(store,
        i -> second.merge(i.id(), i.attempt(), Integer::sum), opts().build(), "kernel-test-j2", SRC)) {
      await().atMost(WAIT).until(() -> store.acked.size() == 20);
    }
    assertThat(second).hasSize(20).allSatisfy((id, attempt) -> assertThat(attempt).isEqualTo(2));
    never.countDown();
    first.close();
    assertThat(store.acked.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
  }

  @Test
  void closeIsIdempotentAndWakeUpIsCheap() {
    ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> { },
        opts().idleWait(Duration.ofSeconds(10)).build(), "kernel-test-k", SRC);
    int before = store.claimSizesAsked.size();
    store.add("late");
    k.wakeUp();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.acked.containsKey("late"));
    assertThat(store.claimSizesAsked.size() - before).isLessThan(5);
    k.close();
    k.close();
    assertThat(k.isTerminated()).isTrue();
    assertThat(threadsNamed("kernel-test-k")).isZero();
  }

  @Test
  void withoutJitterEachRetryWaitsExactlyTheDoubledDelayUpToTheMax() {
    store.add("bad");
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      throw new IllegalStateException("boom");
    }, opts().maxAttempts(5).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(30))
        .retryJitter(false).build(), "kernel-test-l", SRC)) {
      await().atMost(WAIT).until(() -> store.dead.containsKey("bad"));
      assertThat(k.stats().retried()).isEqualTo(4);
    }
    assertThat(store.retryDelays).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(30), Duration.ofMillis(30));
  }

  @Test
  void closeWithAGraceSaysWhetherEveryHandlerFinishedInTime() {
    store.add("stuck");
    CountDownLatch started = new CountDownLatch(1);
    ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      started.countDown();
      new CountDownLatch(1).await(); // only an interrupt ends this
    }, opts().shutdownGrace(Duration.ofDays(1)).build(), "kernel-test-m", SRC);
    awaitLatch(started);
    assertThatThrownBy(() -> k.close(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace");
    assertThat(k.close(Duration.ofMillis(50))).isFalse(); // not the day of shutdownGrace
    assertThat(k.isTerminated()).isTrue();
    assertThat(k.close(Duration.ZERO)).isFalse();
    assertThat(threadsNamed("kernel-test-m")).isZero();

    store.add("quick");
    ConsumerKernel<FakeStore.Item> k2 = ConsumerKernel.start(store, i -> { }, opts().build(),
        "kernel-test-m2", SRC);
    await().atMost(WAIT).until(() -> store.acked.containsKey("quick"));
    assertThat(k2.close(Duration.ZERO)).isTrue();
  }

  @Test
  void optionsRejectOutOfRangeValuesNamingThem() {
    assertThatThrownBy(() -> ConsumerOptions.builder().concurrency(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency")
        .hasMessageContaining("1 and 1024");
    assertThatThrownBy(() -> ConsumerOptions.builder().prefetch(10_001))
        .hasMessageContaining("prefetch");
    assertThatThrownBy(() -> ConsumerOptions.builder().lease(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> ConsumerOptions.builder()
        .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff max");
    assertThatThrownBy(() -> ConsumerOptions.builder().idleWait(Duration.ZERO))
        .hasMessageContaining("idleWait");
    assertThat(ConsumerOptions.defaults().toBuilder().build()).isEqualTo(ConsumerOptions.defaults());
  }

  @Test
  void theMetricsListenerReceivesWhatTheStatsCount() {
    store.addRange(200);
    Map<Metric, java.util.concurrent.atomic.LongAdder> counts = new ConcurrentHashMap<>();
    AtomicInteger timings = new AtomicInteger();
    AtomicInteger throwing = new AtomicInteger();
    MetricsListener listener = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        assertThat(source).isEqualTo(SRC);
        assertThat(metric.kind()).isEqualTo(Metric.Kind.COUNT);
        counts.computeIfAbsent(metric, m -> new java.util.concurrent.atomic.LongAdder()).add(amount);
        if (throwing.incrementAndGet() % 7 == 0) {
          throw new IllegalStateException("a faulty listener must not break the consumer");
        }
      }

      @Override
      public void time(MetricSource source, Metric metric, long nanos) {
        assertThat(metric).isEqualTo(Metric.HANDLER_TIME);
        assertThat(nanos).isNotNegative();
        timings.incrementAndGet();
      }
    };
    ConsumerStats stats;
    try (ConsumerKernel<FakeStore.Item> k = ConsumerKernel.start(store, i -> {
      if (i.id().endsWith("0")) {
        throw new IllegalArgumentException("fails always: " + i.id());
      }
    }, opts().maxAttempts(2).metrics(listener).build(), "kernel-test-metrics", SRC)) {
      await().atMost(WAIT).until(() -> store.acked.size() + store.dead.size() == 200);
      await().atMost(WAIT).until(() -> k.stats().deadLettered() == 20);
      stats = k.stats();
    }
    assertThat(counts.get(Metric.DELIVERED).sum()).isEqualTo(stats.claimed()).isEqualTo(220);
    assertThat(counts.get(Metric.HANDLED).sum()).isEqualTo(stats.handled()).isEqualTo(180);
    assertThat(counts.get(Metric.FAILED).sum()).isEqualTo(stats.failed()).isEqualTo(40);
    assertThat(counts.get(Metric.RETRIED).sum()).isEqualTo(stats.retried()).isEqualTo(20);
    assertThat(counts.get(Metric.DEAD_LETTERED).sum()).isEqualTo(stats.deadLettered())
        .isEqualTo(20);
    assertThat(timings.get()).isEqualTo(220);
  }
}
