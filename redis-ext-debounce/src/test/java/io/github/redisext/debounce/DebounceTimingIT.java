package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.MutableClock;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Due-time behaviour of the duplicate policies, driven by jedis-mock's injected clock (it is the
 * TIME every script reads), so no test sleeps.
 */
@RedisBackends(BackendKind.MOCK)
class DebounceTimingIT {
  private static final String KEY = "{timing}";
  private static final Duration DELAY = Duration.ofSeconds(10);

  private final RedisBackend redis;
  private MutableClock clock;
  private DebounceTask<Object> tasks;

  DebounceTimingIT(RedisBackend redis) {
    this.redis = redis;
  }

  @BeforeEach
  void freezeClock() {
    clock = redis.clock().orElseThrow();
    clock.freeze();
  }

  @AfterEach
  void close() {
    if (tasks != null) {
      tasks.close();
    }
    clock.reset();
  }

  private DebounceTask<Object> open(DebounceOptions.Builder b) {
    tasks = DebounceTask.create(redis.client(), KEY, Object.class, b.defaultDelay(DELAY).build());
    return tasks;
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }

  @Test
  void keepFirstKeepsTheFirstDueTime() {
    open(DebounceOptions.builder());
    assertThat(tasks.add("t")).isTrue();
    advance(5_000);
    assertThat(tasks.add("t")).isFalse();
    advance(4_999);
    assertThat(tasks.pop(10)).isEmpty();
    advance(1);
    assertThat(tasks.pop(10)).containsExactly("t");
  }

  @Test
  void debounceMovesTheDueTimeOnEveryAdd() {
    open(DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE));
    assertThat(tasks.add("t")).isTrue();
    advance(5_000);
    assertThat(tasks.add("t")).isFalse();
    advance(9_999);
    assertThat(tasks.pop(10)).isEmpty();
    assertThat(tasks.info().overdue()).isZero();
    advance(1);
    assertThat(tasks.info().overdue()).isEqualTo(1);
    assertThat(tasks.pop(10)).containsExactly("t");
  }

  @Test
  void debounceWithoutMaximumWaitNeverFiresWhileAddsKeepComing() {
    open(DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE));
    tasks.add("t");
    for (int i = 0; i < 60; i++) {
      advance(5_000);
      assertThat(tasks.pop(10)).as("after %d s", (i + 1) * 5).isEmpty();
      tasks.add("t");
    }
    advance(10_000);
    assertThat(tasks.pop(10)).containsExactly("t");
  }

  @Test
  void maximumWaitFiresATaskReAddedForever() {
    open(DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE)
        .maxWait(Duration.ofSeconds(30)));
    assertThat(tasks.add("t")).isTrue();
    int elapsed = 0;
    List<Object> got = List.of();
    while (got.isEmpty()) {
      advance(5_000);
      elapsed += 5_000;
      got = tasks.pop(10);
      if (got.isEmpty()) {
        assertThat(tasks.add("t")).isFalse();
      }
      assertThat(elapsed).isLessThanOrEqualTo(30_000);
    }
    assertThat(elapsed).isEqualTo(30_000);
    assertThat(got).containsExactly("t");
    // popped: the next add starts a new window with a new first-add time
    assertThat(tasks.add("t")).isTrue();
    advance(9_999);
    assertThat(tasks.pop(10)).isEmpty();
    advance(1);
    assertThat(tasks.pop(10)).containsExactly("t");
    assertThat(redis.client().exists(KEY + ":first")).isFalse();
  }

  @Test
  void maximumWaitOnlyCapsTheDueTimeOfEachTaskSeparately() {
    open(DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE)
        .maxWait(Duration.ofSeconds(12)));
    tasks.add("a");
    advance(6_000);
    tasks.addAll(List.of("a", "b"));
    // a: min(6+10, 0+12) = 12; b: 16
    advance(5_999);
    assertThat(tasks.pop(10)).isEmpty();
    advance(1);
    assertThat(tasks.pop(10)).containsExactly("a");
    advance(4_000);
    assertThat(tasks.pop(10)).containsExactly("b");
  }

  @Test
  void anExpiredLeaseGoesBackAndTheLateAckChangesNothing() throws Exception {
    // lease 30 s: the holder's first renewal would come 10 s (real time) after it started, so
    // moving the server clock 31 s makes the lease run out while its handler still runs
    // prefetch 0: the holder claims nothing while its one handler runs, so the expired lease is
    // found by the other instance (with a prefetch, the holder's own next claim would take it)
    open(DebounceOptions.builder().lease(Duration.ofSeconds(30)).concurrency(1).prefetch(0));
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (DebounceTask<Object> other = DebounceTask.create(redis.client(), KEY, Object.class);
        DebounceConsumer holder = tasks.consume(t -> {
          started.countDown();
          release.await();
        })) {
      tasks.add("t", Duration.ZERO);
      assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(other.pop(10)).isEmpty();
      assertThat(other.info().processing()).isEqualTo(1);
      advance(29_999);
      assertThat(other.pop(10)).isEmpty();
      advance(2_000);
      assertThat(other.pop(10)).containsExactly("t");
      assertThat(other.stats().recovered()).isEqualTo(1);
      assertThat(other.info().processing()).isZero();
      release.countDown();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> holder.handled() == 1);
      assertThat(other.info()).isEqualTo(new DebounceInfo(0, 0, 0, 0));
    }
  }

  @Test
  void dueTimesFollowTheServerClockNotTheCallers() {
    open(DebounceOptions.builder());
    clock.advance(Duration.ofDays(-1)); // the server is a day behind this host
    tasks.add("t", Duration.ofSeconds(1));
    assertThat(tasks.pop(10)).isEmpty();
    advance(1_000);
    assertThat(tasks.pop(10)).containsExactly("t");
  }

  private double score(String member) {
    Double s = redis.client().zscore(KEY, member);
    return s == null ? Double.NaN : s;
  }

  private void awaitRescheduledAfter(double previous, java.util.concurrent.atomic.AtomicInteger
      calls, int expectedCalls) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> calls.get() == expectedCalls && score("\"t\"") > previous);
  }

  @Test
  void failedAttemptsBackOffExponentiallyUpToTheCapThenGoToTheDeadLetters() {
    // retryJitter(false): the exact schedule min(initial * 2^(n-1), max) (jitter is the default)
    open(DebounceOptions.builder().retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(25))
        .retryJitter(false).maxAttempts(4).concurrency(1)
        .idleWait(Duration.ofMillis(20)));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    try (DebounceConsumer c = tasks.consume(t -> {
      throw new IllegalStateException("call " + calls.incrementAndGet());
    })) {
      tasks.add("t", Duration.ofSeconds(1));
      double s0 = score("\"t\"");
      advance(1_000);
      awaitRescheduledAfter(s0, calls, 1);
      double s1 = score("\"t\"");
      assertThat(s1 - s0).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-3));
      advance(9_999);
      assertThat(tasks.pop(10)).isEmpty();
      advance(1);
      awaitRescheduledAfter(s1, calls, 2);
      double s2 = score("\"t\"");
      assertThat(s2 - s1).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(redis.client().hget(KEY + ":attempts", "\"t\"")).isEqualTo("2");
      advance(20_000);
      awaitRescheduledAfter(s2, calls, 3);
      double s3 = score("\"t\"");
      assertThat(s3 - s2).isCloseTo(25.0, org.assertj.core.data.Offset.offset(1e-3)); // capped
      advance(25_000);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> tasks.info().deadLetters() == 1);
      assertThat(calls.get()).isEqualTo(4);
      assertThat(tasks.deadLetters(1000)).singleElement().satisfies(d -> {
        assertThat(d.error()).isEqualTo("java.lang.IllegalStateException: call 4");
        assertThat(d.attempts()).isEqualTo(4);
        // moved aside at the frozen server time, which is the last due time
        assertThat(d.failedAt().toEpochMilli() / 1000.0).isCloseTo(s3,
            org.assertj.core.data.Offset.offset(1e-3));
      });
      assertThat(tasks.info()).isEqualTo(new DebounceInfo(0, 0, 0, 1));
      assertThat(redis.client().exists(KEY + ":attempts")).isFalse();
    }
  }

  @Test
  void anExpiredLeaseCountsAsAnAttemptAndTheLastOneIsDeadLettered() throws Exception {
    // prefetch 0: see anExpiredLeaseGoesBackAndTheLateAckChangesNothing
    open(DebounceOptions.builder().lease(Duration.ofSeconds(30)).concurrency(1).prefetch(0)
        .maxAttempts(1));
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (DebounceTask<Object> other = DebounceTask.create(redis.client(), KEY, Object.class,
        DebounceOptions.builder().maxAttempts(1).build());
        DebounceConsumer holder = tasks.consume(t -> {
          started.countDown();
          release.await();
        })) {
      tasks.add("t", Duration.ZERO);
      assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      advance(31_000);
      assertThat(other.pop(10)).isEmpty();
      assertThat(other.stats().recovered()).isZero();
      assertThat(other.stats().deadLettered()).isEqualTo(1);
      assertThat(other.deadLetters(1000)).singleElement().satisfies(d -> {
        assertThat(d.payload()).isEqualTo("\"t\"");
        assertThat(d.error()).startsWith("lease expired");
        assertThat(d.attempts()).isEqualTo(1);
      });
      release.countDown();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> holder.handled() == 1 && holder.inFlight() == 0);
      // the late ack changed nothing: the task stays a dead letter
      assertThat(other.info()).isEqualTo(new DebounceInfo(0, 0, 0, 1));
      holder.close(); // else its now idle thread would claim the requeued task first
      assertThat(other.requeueAllDeadLetters()).isEqualTo(1);
      assertThat(other.pop(10)).containsExactly("t");
    }
  }
}
