package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
    Set<Thread> before = TimersIT.moduleThreads();
    RedisLock lock = RedisLock.create(redis.client(), "stop");
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofMillis(200))).isTrue();
    Set<Thread> watchdog = TimersIT.moduleThreads();
    watchdog.removeAll(before);
    assertThat(watchdog).hasSize(1);
    lock.unlock();
    assertThat(lock.isRenewing()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> watchdog.stream().noneMatch(Thread::isAlive));
    // a new owner with a short lease is not kept alive by the old watchdog
    RedisLock next = RedisLock.create(redis.client(), "stop", NO_RENEW);
    assertThat(next.tryLock(Duration.ZERO, Duration.ofMillis(200))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !redis.client().exists("{stop}:lock"));
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
    assertThatThrownBy(() -> RedisLock.create(redis.client(), "a{b}"))
        .isInstanceOf(KeyNameException.class);
    assertThat(lock.tryLock(Duration.ZERO, Duration.ofSeconds(1))).isTrue();
    assertThatThrownBy(() -> lock.tryLock(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("reentrant");
    lock.unlock();
  }
}
