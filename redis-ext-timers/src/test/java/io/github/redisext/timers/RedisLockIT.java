package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/** The lock contract, on every backend. */
@RedisBackends
class RedisLockIT {
  private final RedisBackend redis;

  RedisLockIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static final LockOptions NO_RENEW = LockOptions.builder().autoRenew(false).build();

  @Test
  void eightThreadsAreNeverInsideTogether() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger entries = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          try (RedisLock lock = RedisLock.create(redis.client(), "mutex")) {
            assertThat(lock.tryLock(Duration.ofSeconds(30), Duration.ofSeconds(10))).isTrue();
            if (inside.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            entries.incrementAndGet();
            Thread.yield();
            inside.decrementAndGet();
            lock.unlock();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(overlaps).hasValue(0);
    assertThat(entries).hasValue(160);
    assertThat(redis.client().exists("{mutex}:lock")).isFalse();
  }

  @Test
  void aLockWithoutRenewalExpiresAndCanBeTakenByTheNextOwner() {
    RedisLock first = RedisLock.create(redis.client(), "exp", NO_RENEW);
    RedisLock second = RedisLock.create(redis.client(), "exp", NO_RENEW);
    assertThat(first.tryLock(Duration.ZERO, Duration.ofMillis(300))).isTrue();
    assertThat(second.tryLock(Duration.ZERO, Duration.ofSeconds(5))).isFalse();
    // waits for the lease to run out (no unlock, so no release message)
    assertThat(second.tryLock(Duration.ofSeconds(10), Duration.ofSeconds(5))).isTrue();
    assertThat(first.isHeld()).isFalse();
    assertThat(second.isHeld()).isTrue();
    second.unlock();
  }

  @Test
  void theWatchdogRenewsTheLeaseWhileHeld() {
    RedisLock lock = RedisLock.create(redis.client(), "renewed");
    RedisLock other = RedisLock.create(redis.client(), "renewed", NO_RENEW);
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofMillis(600))).isTrue();
    assertThat(lock.isRenewing()).isTrue();
    // several lease lengths: still held, nobody else gets it
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(8))
        .until(() -> lock.isHeld() && !other.tryLock(Duration.ZERO, Duration.ofSeconds(1)));
    lock.unlock();
    assertThat(other.tryLock(Duration.ZERO, Duration.ofSeconds(1))).isTrue();
    other.unlock();
  }

  @Test
  void noRenewalAfterUnlock() {
    RedisLock lock = RedisLock.create(redis.client(), "stop");
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofMillis(200))).isTrue();
    assertThat(lock.isRenewing()).isTrue();
    lock.unlock();
    assertThat(lock.isRenewing()).isFalse();
    // a new owner with a short lease is not kept alive by the old renewal
    RedisLock next = RedisLock.create(redis.client(), "stop", NO_RENEW);
    assertThat(next.tryLock(Duration.ZERO, Duration.ofMillis(200))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !redis.client().exists("{stop}:lock"));
    lock.close();
    next.close();
  }

  @Test
  void allLocksOfAClientShareOneWatchdogThreadAndOneSubscriptionWhichStopAtTheLastClose()
      throws Exception {
    Set<Thread> before = lockThreads();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (UnifiedJedis own = redis.newClient()) {
      List<RedisLock> holders = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        RedisLock l = RedisLock.create(own, "shared-" + i);
        assertThat(l.tryLock(Duration.ZERO, Duration.ofMillis(300))).isTrue();
        holders.add(l);
      }
      RedisLock w0 = RedisLock.create(own, "shared-0");
      RedisLock w1 = RedisLock.create(own, "shared-1");
      Future<Boolean> f0 = pool.submit(() -> w0.tryLock(Duration.ofSeconds(30), Duration.ofSeconds(5)));
      Future<Boolean> f1 = pool.submit(() -> w1.tryLock(Duration.ofSeconds(30), Duration.ofSeconds(5)));
      await().atMost(Duration.ofSeconds(10)).until(() -> named(started(before),
          "redis-ext-lock-subscriber-") == 1);
      // several renewals of five leases later: still one thread of each kind, nothing of timers
      await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
          .until(() -> holders.get(4).isHeld());
      Set<Thread> started = started(before);
      assertThat(named(started, "redis-ext-lock-watchdog-")).isEqualTo(1);
      assertThat(named(started, "redis-ext-lock-subscriber-")).isEqualTo(1);
      assertThat(started).allMatch(t -> t.getName().startsWith("redis-ext-lock-"));
      holders.get(0).unlock();
      holders.get(1).unlock();
      assertThat(f0.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(f1.get(30, TimeUnit.SECONDS)).isTrue();
      for (RedisLock l : holders) {
        l.close();
      }
      w0.close();
      assertThat(started(before)).isNotEmpty(); // w1 is still open
      w1.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(Thread::isAlive));
    } finally {
      pool.shutdown();
    }
  }

  private static Set<Thread> lockThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && (t.getName().startsWith("redis-ext-lock-")
          || t.getName().startsWith("redis-ext-timers-"))) {
        out.add(t);
      }
    }
    return out;
  }

  private static Set<Thread> started(Set<Thread> before) {
    Set<Thread> now = lockThreads();
    now.removeAll(before);
    return now;
  }

  private static long named(Set<Thread> threads, String prefix) {
    return threads.stream().filter(t -> t.getName().startsWith(prefix)).count();
  }

  @Test
  void fencingTokensIncreaseWithEveryAcquisition() {
    RedisLock a = RedisLock.create(redis.client(), "fence");
    RedisLock b = RedisLock.create(redis.client(), "fence");
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RedisLock l = i % 2 == 0 ? a : b;
      assertThat(l.tryLock(Duration.ofSeconds(5), Duration.ofSeconds(5))).isTrue();
      tokens.add(l.fencingToken());
      l.unlock();
    }
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
    assertThatThrownBy(() -> RedisLock.create(redis.client(), "fence").fencingToken())
        .isInstanceOf(LockNotHeldException.class);
  }

  @Test
  void unlockByANonOwnerIsRefused() {
    RedisLock owner = RedisLock.create(redis.client(), "owned", NO_RENEW);
    RedisLock stranger = RedisLock.create(redis.client(), "owned");
    assertThat(owner.tryLock(Duration.ZERO, Duration.ofMillis(200))).isTrue();
    assertThatThrownBy(stranger::unlock).isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("owned");
    assertThat(owner.isHeld()).isTrue();

    // the owner's lease runs out, the stranger takes it: the stale owner cannot release it
    assertThat(stranger.tryLock(Duration.ofSeconds(10), Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(owner::unlock).isInstanceOf(LockNotHeldException.class)
        .hasMessageContaining("no longer held");
    assertThat(stranger.isHeld()).isTrue();
    stranger.unlock();
  }

  @Test
  void aLostLeaseIsReportedToTheCallbackAndRenewalStops() {
    ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
    RedisLock lock = RedisLock.create(redis.client(), "lost",
        LockOptions.builder().onLeaseLost(l -> lost.add(l.name())).build());
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofMillis(300))).isTrue();
    redis.client().set("{lost}:lock", "someone-else");
    await().atMost(Duration.ofSeconds(5)).until(() -> lost.contains("lost"));
    assertThat(lock.isRenewing()).isFalse();
    assertThat(lock.isHeld()).isFalse();
    assertThat(redis.client().get("{lost}:lock")).isEqualTo("someone-else");
  }

  @Test
  void tryWithResourcesReleasesTheLock() {
    try (RedisLock lock = RedisLock.create(redis.client(), "twr")) {
      assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
      assertThat(redis.client().exists("{twr}:lock")).isTrue();
    }
    assertThat(redis.client().exists("{twr}:lock")).isFalse();
  }

  @Test
  void aWaiterIsWokenByTheReleaseLongBeforeTheLeaseEnds() throws Exception {
    RedisLock holder = RedisLock.create(redis.client(), "wake", NO_RENEW);
    assertThat(holder.tryLock(Duration.ZERO, Duration.ofMinutes(5))).isTrue();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Boolean> waiter = pool.submit(() -> {
      try (RedisLock w = RedisLock.create(redis.client(), "wake")) {
        return w.tryLock(Duration.ofSeconds(30), Duration.ofSeconds(5));
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.client().exists("{wake}:lock"));
    holder.unlock();
    // the lease would last 5 minutes: only the release message lets the waiter in this soon
    assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
  }

  @Test
  void badArgumentsAreRejected() {
    RedisLock lock = RedisLock.create(redis.client(), "bad");
    assertThatThrownBy(() -> lock.tryLock(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
    assertThatThrownBy(() -> lock.tryLock(Duration.ZERO, Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> RedisLock.create(redis.client(), "a}b"))
        .isInstanceOf(KeyNameException.class).hasMessageContaining("a}b");
    assertThatThrownBy(() -> RedisLock.create(redis.client(), "{}"))
        .isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> RedisLock.create(redis.client(), " "))
        .isInstanceOf(KeyNameException.class);
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(1))).isTrue();
    assertThatThrownBy(() -> lock.tryLock(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("reentrant");
    lock.unlock();
  }

  @Test
  void aTaggedAndAnUntaggedNameAreTheSameLock() {
    RedisLock tagged = RedisLock.create(redis.client(), "{tg}");
    RedisLock plain = RedisLock.create(redis.client(), "tg");
    assertThat(tagged.key()).isEqualTo("{tg}:lock").isEqualTo(plain.key());
    assertThat(tagged.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
    long first = tagged.fencingToken();
    assertThat(plain.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isFalse();
    tagged.unlock();
    assertThat(plain.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
    assertThat(plain.fencingToken()).isGreaterThan(first);
    assertThat(redis.client().exists("{tg}:lock", "{tg}:fence")).isEqualTo(2);
    plain.unlock();

    // a tag inside a longer name is kept where it is: all keys in the slot of "eu"
    try (RedisLock inner = RedisLock.create(redis.client(), "orders:{eu}")) {
      assertThat(inner.key()).isEqualTo("orders:{eu}:lock");
      assertThat(inner.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
      assertThat(redis.client().get("orders:{eu}:fence")).isEqualTo("1");
    }
    tagged.close();
    plain.close();
  }

  @Test
  void everyOperationAfterCloseThrowsIllegalStateException() {
    RedisLock lock = RedisLock.create(redis.client(), "closed");
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
    lock.close();
    lock.close(); // idempotent
    assertThat(redis.client().exists("{closed}:lock")).isFalse();
    List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> ops = List.of(
        () -> lock.tryLock(Duration.ZERO, Duration.ofSeconds(1)),
        lock::unlock, lock::isHeld, lock::fencingToken, lock::isRenewing);
    for (var op : ops) {
      assertThatThrownBy(op).isInstanceOf(IllegalStateException.class)
          .hasMessage("lock 'closed' is closed");
    }
    assertThat(lock.name()).isEqualTo("closed");
  }

  @Test
  void aReleaseIsPublishedForWaitersOfOtherClients() throws Exception {
    ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
    JedisPubSub listener = new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        heard.add(channel + "|" + message);
      }
    };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (UnifiedJedis sub = redis.newClient()) {
      pool.submit(() -> sub.subscribe(listener, "redis-ext:lock:released"));
      await().atMost(Duration.ofSeconds(10)).until(listener::isSubscribed);
      try (RedisLock lock = RedisLock.create(redis.client(), "{pub}")) {
        assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(10))).isTrue();
        lock.unlock();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream()
            .anyMatch(m -> m.endsWith(" {pub}:lock")));
        // a refused unlock publishes nothing
        assertThatThrownBy(lock::unlock).isInstanceOf(LockNotHeldException.class);
      }
      listener.unsubscribe();
    } finally {
      pool.shutdown();
    }
    // exactly one message for this lock (other tests' locks may have published meanwhile)
    assertThat(heard).filteredOn(m -> m.endsWith(" {pub}:lock")).singleElement().asString()
        .matches("redis-ext:lock:released\\|[0-9a-f]{32} \\{pub\\}:lock");
  }

  @Test
  void aWaiterIsWokenByAReleaseOnAnotherClient() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (UnifiedJedis other = redis.newClient();
        RedisLock holder = RedisLock.create(other, "xwake", NO_RENEW)) {
      assertThat(holder.tryLock(Duration.ZERO, Duration.ofMinutes(5))).isTrue();
      Future<Boolean> waiter = pool.submit(() -> {
        try (RedisLock w = RedisLock.create(redis.client(), "xwake")) {
          return w.tryLock(Duration.ofSeconds(30), Duration.ofSeconds(5));
        }
      });
      holder.unlock();
      // the lease would last 5 minutes
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theLockReportsAcquisitionsWaitsTimeoutsAndLostLeases() {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    List<MetricSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    MetricsListener listener = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        sources.add(source);
        counts.merge(metric.name(), amount, Long::sum);
      }

      @Override
      public void time(MetricSource source, Metric metric, long nanos) {
        sources.add(source);
        assertThat(nanos).isNotNegative();
        counts.merge(metric.name(), 1L, Long::sum);
      }
    };
    LockOptions options = LockOptions.builder().metrics(listener).build();
    try (RedisLock a = RedisLock.create(redis.client(), "metered", options);
        RedisLock b = RedisLock.create(redis.client(), "metered", options)) {
      assertThat(a.tryLock(Duration.ZERO, Duration.ofMillis(300))).isTrue();
      assertThat(b.tryLock(Duration.ZERO, Duration.ofSeconds(1))).isFalse();
      assertThat(b.tryLock(Duration.ofMillis(50), Duration.ofSeconds(1))).isFalse();
      redis.client().set("{metered}:lock", "someone-else");
      await().atMost(Duration.ofSeconds(5)).until(() -> counts.containsKey("LEASE_LOST"));
    }
    assertThat(counts).containsEntry("ACQUIRED", 1L).containsEntry("WAIT_TIME", 1L)
        .containsEntry("TIMED_OUT", 2L).containsEntry("LEASE_LOST", 1L);
    assertThat(sources).allMatch(s -> s.equals(MetricSource.of("lock", "metered")));
  }
}
