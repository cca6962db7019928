package io.github.redisext.timers.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local line of waiters, against an in-memory "lock" (no Redis). */
class WaitLineTest {
  private static final long HOUR_MS = 3_600_000;
  private static final String KEY = "{k}:lock";

  /** A line whose fallback pause is an hour: only release signals make a head ask again. */
  private final WaitLine line = new WaitLine(HOUR_MS, HOUR_MS);
  private final AtomicReference<String> owner = new AtomicReference<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private long far() {
    return System.nanoTime() + TimeUnit.HOURS.toNanos(1);
  }

  private Future<Boolean> waiter(String who, AtomicInteger attempts, List<String> order) {
    return pool.submit(() -> line.await(KEY, far(), () -> {
      attempts.incrementAndGet();
      if (owner.compareAndSet(null, who)) {
        order.add(who);
        return -1;
      }
      return HOUR_MS;
    }));
  }

  private void release() {
    owner.set(null);
    line.released(KEY);
  }

  @Test
  void waitersOfOneClientAreServedInTheOrderTheyCame() throws Exception {
    owner.set("holder");
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    Future<Boolean> a = waiter("a", attempts, order);
    await().until(() -> line.waiting(KEY) == 1);
    Future<Boolean> b = waiter("b", attempts, order);
    await().until(() -> line.waiting(KEY) == 2);
    Future<Boolean> c = waiter("c", attempts, order);
    await().until(() -> line.waiting(KEY) == 3);
    for (int i = 1; i <= 3; i++) {
      release();
      int done = i;
      await().until(() -> order.size() == done);
    }
    assertThat(a.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(c.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("a", "b", "c");
    assertThat(line.busy(KEY)).isFalse();
  }

  @Test
  void onlyTheHeadAsksAndItAsksAgainAtOnceWhenAReleaseIsHeard() throws Exception {
    owner.set("holder");
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger headAttempts = new AtomicInteger();
    AtomicInteger otherAttempts = new AtomicInteger();
    Future<Boolean> head = waiter("head", headAttempts, order);
    await().until(() -> headAttempts.get() == 1);
    Future<Boolean> second = waiter("second", otherAttempts, order);
    await().until(() -> line.waiting(KEY) == 2);
    // a release of another lock, or none at all: nobody asks (the fallback pause is an hour)
    line.released("{other}:lock");
    await().during(Duration.ofMillis(200)).until(() -> headAttempts.get() == 1);
    assertThat(otherAttempts).hasValue(0);
    // the holder releases: the head asks once more and gets it; the second one becomes head and
    // does not ask while the new owner holds the lock
    release();
    assertThat(head.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(headAttempts).hasValue(2);
    await().during(Duration.ofMillis(200)).until(() -> otherAttempts.get() == 0);
    release();
    assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(otherAttempts).hasValue(1);
  }

  @Test
  void aHeadThatHearsNothingAsksAgainOnItsBackoffNotAtTheEndOfTheLease() throws Exception {
    WaitLine fast = new WaitLine(1, 4);
    AtomicInteger attempts = new AtomicInteger();
    Future<Boolean> w = pool.submit(() -> fast.await(KEY, far(),
        () -> attempts.incrementAndGet() >= 5 ? -1 : HOUR_MS));
    // the owner's lease would last an hour and no release is ever heard
    assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(attempts).hasValue(5);
  }

  @Test
  void theFallbackPauseDoublesUpToItsCapAndNeverPassesTheOwnersLease() {
    WaitLine l = new WaitLine(5, 100);
    assertThat(l.fallbackMs(0, 0)).isEqualTo(5);
    assertThat(l.fallbackMs(1, 0)).isEqualTo(10);
    assertThat(l.fallbackMs(4, 0)).isEqualTo(80);
    assertThat(l.fallbackMs(5, 0)).isEqualTo(100);
    assertThat(l.fallbackMs(1_000, 0)).isEqualTo(100);
    assertThat(l.fallbackMs(3, 7)).isEqualTo(8);
  }

  @Test
  void aHeadThatGivesUpHandsTheTurnToTheNextWhoAsksAtOnce() throws Exception {
    owner.set("holder");
    AtomicInteger quitterAttempts = new AtomicInteger();
    Future<Boolean> quitter = pool.submit(() -> line.await(KEY,
        System.nanoTime() + TimeUnit.SECONDS.toNanos(2), () -> {
          quitterAttempts.incrementAndGet();
          return HOUR_MS;
        }));
    await().until(() -> quitterAttempts.get() == 1);
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    Future<Boolean> next = waiter("next", attempts, order);
    await().until(() -> line.waiting(KEY) == 2);
    assertThat(quitter.get(5, TimeUnit.SECONDS)).isFalse();
    // it became head without a release: it asks once (the lock is still held) and waits
    await().until(() -> attempts.get() == 1);
    release();
    assertThat(next.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(line.waiting(KEY)).isZero();
  }

  @Test
  void aResubscriptionMakesEveryHeadAskAgain() throws Exception {
    owner.set("holder");
    AtomicInteger attempts = new AtomicInteger();
    Future<Boolean> w = pool.submit(() -> line.await(KEY, far(), () -> {
      attempts.incrementAndGet();
      return owner.compareAndSet(null, "w") ? -1 : HOUR_MS;
    }));
    await().until(() -> attempts.get() == 1);
    owner.set(null); // released while no message could be heard
    line.releasedAll();
    assertThat(w.get(5, TimeUnit.SECONDS)).isTrue();
  }
}
