package io.github.redisext.worker;

import io.github.redisext.core.consumer.DeadLetter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every option setter and every public method argument of the worker module rejects an
 * out-of-range value at once with an IllegalArgumentException (or a NullPointerException for
 * null) naming the parameter and, for ranges, the allowed range; nothing reaches Redis (the client
 * points at a closed port and is never used).
 */
class ArgumentRangesTest {
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private final UnifiedJedis nowhere = RedisClient.create(new HostAndPort("127.0.0.1", 1));

  @AfterEach
  void close() {
    nowhere.close();
  }

  private record Case(String parameter, Consumer<WorkerOptions.Builder> set, String range) {}

  @Test
  void everyOptionRejectsValuesOutsideItsRangeNamingTheOptionAndTheRange() {
    Duration s = Duration.ofSeconds(1);
    List<Case> cases = List.of(
        new Case("concurrency", b -> b.concurrency(0), "between 1 and 1000"),
        new Case("concurrency", b -> b.concurrency(-1), "between 1 and 1000"),
        new Case("concurrency", b -> b.concurrency(Integer.MAX_VALUE), "between 1 and 1000"),
        new Case("prefetch", b -> b.prefetch(-1), "between 0 and 10000"),
        new Case("prefetch", b -> b.prefetch(10_001), "between 0 and 10000"),
        new Case("prefetch", b -> b.prefetch(Integer.MAX_VALUE), "between 0 and 10000"),
        new Case("prefetch", b -> b.prefetch(Integer.MIN_VALUE), "between 0 and 10000"),
        new Case("idleWait", b -> b.idleWait(Duration.ZERO), "between PT0.001S and PT1H"),
        new Case("idleWait", b -> b.idleWait(Duration.ofNanos(999_999)), "PT0.001S"),
        new Case("idleWait", b -> b.idleWait(s.negated()), "between PT0.001S and PT1H"),
        new Case("idleWait", b -> b.idleWait(HUGE), "between PT0.001S and PT1H"),
        new Case("lease", b -> b.lease(HUGE), "between PT0.3S and PT24H"),
        new Case("lease", b -> b.lease(Duration.ofDays(2)), "PT24H"),
        new Case("lease", b -> b.lease(Duration.ofMillis(299)), "PT0.3S"),
        new Case("lease", b -> b.lease(Duration.ZERO), "PT0.3S"),
        new Case("lease", b -> b.lease(HUGE.negated()), "PT0.3S"),
        new Case("maxAttempts", b -> b.maxAttempts(0), "between 1 and 1000000"),
        new Case("maxAttempts", b -> b.maxAttempts(Integer.MIN_VALUE), "between 1 and 1000000"),
        new Case("maxAttempts", b -> b.maxAttempts(Integer.MAX_VALUE), "between 1 and 1000000"),
        new Case("retryBackoff initial", b -> b.retryBackoff(s.negated(), s), "between PT0S and PT168H"),
        new Case("retryBackoff initial", b -> b.retryBackoff(HUGE, HUGE), "between PT0S and PT168H"),
        new Case("retryBackoff max", b -> b.retryBackoff(s, HUGE), "between PT0S and PT168H"),
        new Case("retryBackoff max", b -> b.retryBackoff(s, Duration.ofDays(8)), "PT168H"),
        new Case("retryBackoff max", b -> b.retryBackoff(Duration.ofSeconds(2), s), "must be >= initial"),
        new Case("shutdownGrace", b -> b.shutdownGrace(s.negated()), "between PT0S and PT24H"),
        new Case("shutdownGrace", b -> b.shutdownGrace(HUGE), "between PT0S and PT24H"));
    for (Case c : cases) {
      WorkerOptions.Builder b = WorkerOptions.builder();
      String before = b.build().toString();
      assertThatThrownBy(() -> c.set().accept(b)).as(c.parameter() + " " + c.range())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.parameter()).hasMessageContaining(c.range());
      assertThat(b.build().toString()).as("a rejected value leaves the builder as it was")
          .isEqualTo(before);
    }
  }

  @Test
  void everyOptionAcceptsTheBoundsOfItsRange() {
    WorkerOptions lo = WorkerOptions.builder().concurrency(1).prefetch(0)
        .idleWait(WorkerOptions.MIN_IDLE_WAIT).lease(WorkerOptions.MIN_LEASE)
        .maxAttempts(1).retryBackoff(Duration.ZERO, Duration.ZERO).shutdownGrace(Duration.ZERO)
        .build();
    assertThat(lo.consumer().concurrency()).isEqualTo(1);
    WorkerOptions hi = WorkerOptions.builder().concurrency(WorkerOptions.MAX_CONCURRENCY)
        .prefetch(WorkerOptions.MAX_PREFETCH).idleWait(WorkerOptions.MAX_IDLE_WAIT)
        .lease(WorkerOptions.MAX_LEASE).maxAttempts(WorkerOptions.MAX_MAX_ATTEMPTS)
        .retryBackoff(WorkerOptions.MAX_RETRY_DELAY, WorkerOptions.MAX_RETRY_DELAY)
        .shutdownGrace(WorkerOptions.MAX_SHUTDOWN_GRACE).build();
    assertThat(hi.consumer().prefetch()).isEqualTo(10_000);
    // the largest settings build a worker (the constructor computes with them at once)
    try (TestWorker w = new TestWorker(nowhere, "{jobs}", hi, j -> { })) {
      assertThat(w.options()).isSameAs(hi);
    }
  }

  @Test
  void nullOptionsAreRejectedNamingTheOption() {
    WorkerOptions.Builder b = WorkerOptions.builder();
    List<Case> cases = List.of(
        new Case("idleWait", x -> x.idleWait(null), ""),
        new Case("lease", x -> x.lease(null), ""),
        new Case("retryBackoff initial", x -> x.retryBackoff(null, Duration.ZERO), ""),
        new Case("retryBackoff max", x -> x.retryBackoff(Duration.ZERO, null), ""),
        new Case("shutdownGrace", x -> x.shutdownGrace(null), ""));
    for (Case c : cases) {
      assertThatThrownBy(() -> c.set().accept(b)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining(c.parameter());
    }
  }

  @Test
  void workQueueMethodsRejectBadArgumentsBeforeTouchingRedis() {
    WorkQueue<Job> q = WorkQueue.create(nowhere, "{jobs}", Job.class);
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE, WorkQueue.MAX_DEAD_LETTERS_PER_CALL + 1,
        Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> q.deadLetters(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max").hasMessageContaining("between 1 and 100000");
    }
    assertThatThrownBy(() -> q.push(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("task");
    assertThatThrownBy(() -> q.pushAll(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tasks");
    assertThatThrownBy(() -> q.pushAll(Arrays.asList(new Job(1), null)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("tasks")
        .hasMessageContaining("element 1");
    assertThatThrownBy(() -> q.requeue(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("letters");
    List<DeadLetter> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> q.requeue(withNull)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("letters");
    assertThatThrownBy(() -> q.purge(withNull)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("letters");
    assertThatThrownBy(() -> WorkQueue.create(nowhere, "{jobs}", (Class<Job>) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
  }

  @Test
  void redisWorkRejectsBadArgumentsAndSaturatesAHugeAwaitTimeout() throws Exception {
    assertThatThrownBy(() -> new TestWorker(nowhere, "{jobs}", null, j -> { }))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    assertThatThrownBy(() -> new TestWorker(null, "{jobs}", WorkerOptions.defaults(), j -> { }))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
    try (TestWorker w = new TestWorker(nowhere, "{jobs}", WorkerOptions.defaults(), j -> { })) {
      assertThatThrownBy(() -> w.awaitTermination(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
      assertThatThrownBy(() -> w.awaitTermination(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
      w.close(); // never started: terminated at once, so even a huge timeout returns
      assertThat(w.awaitTermination(HUGE)).isTrue();
    }
  }
}
