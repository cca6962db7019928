package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Extreme arguments (issue 11, item 6): every public method and every option setter rejects an
 * out-of-range value at once with an IllegalArgumentException naming the parameter and the
 * allowed range — never an ArithmeticException, an OutOfMemoryError or a late failure — and
 * writes nothing. The checks happen before any Redis call, so the mock backend suffices.
 */
@RedisBackends(BackendKind.MOCK)
class DebounceArgumentsIT {
  private static final String KEY = "{args}";
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private static final Duration MOST_NEGATIVE = Duration.ofSeconds(Long.MIN_VALUE);
  private static final Duration JUST_OVER = DebounceOptions.MAX_DURATION.plusNanos(1);

  private final RedisBackend redis;
  private DebounceTask<Object> tasks;

  DebounceArgumentsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void close() {
    if (tasks != null) {
      tasks.close();
    }
  }

  /** A call and the parameter its message must name. */
  private record Case(String call, String parameter, Executable run) {}

  private static void assertRejected(List<Case> cases) {
    for (Case c : cases) {
      assertThatThrownBy(c.run()::execute).as(c.call())
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(c.parameter() + " must be between ");
    }
  }

  @Test
  void everyOptionSetterRejectsOutOfRangeValuesNamingTheOptionAndTheRange() {
    DebounceOptions.Builder b = DebounceOptions.builder();
    assertRejected(List.of(
        new Case("defaultDelay(huge)", "defaultDelay", () -> b.defaultDelay(HUGE)),
        new Case("defaultDelay(just over)", "defaultDelay", () -> b.defaultDelay(JUST_OVER)),
        new Case("defaultDelay(most negative)", "defaultDelay", () -> b.defaultDelay(MOST_NEGATIVE)),
        new Case("maxWait(huge)", "maxWait", () -> b.maxWait(HUGE)),
        new Case("maxWait(-1 ns)", "maxWait", () -> b.maxWait(Duration.ofNanos(-1))),
        new Case("lease(huge)", "lease", () -> b.lease(HUGE)),
        new Case("lease(99 ms)", "lease", () -> b.lease(Duration.ofMillis(99))),
        new Case("lease(most negative)", "lease", () -> b.lease(MOST_NEGATIVE)),
        new Case("concurrency(MAX_VALUE)", "concurrency",
            () -> b.concurrency(Integer.MAX_VALUE)),
        new Case("concurrency(MAX + 1)", "concurrency",
            () -> b.concurrency(ConsumerOptions.MAX_CONCURRENCY + 1)),
        new Case("concurrency(0)", "concurrency", () -> b.concurrency(0)),
        new Case("concurrency(MIN_VALUE)", "concurrency",
            () -> b.concurrency(Integer.MIN_VALUE)),
        new Case("prefetch(-1)", "prefetch", () -> b.prefetch(-1)),
        new Case("prefetch(MAX + 1)", "prefetch",
            () -> b.prefetch(ConsumerOptions.MAX_PREFETCH + 1)),
        new Case("retryBackoff(huge, huge)", "retryBackoff initial",
            () -> b.retryBackoff(HUGE, HUGE)),
        new Case("retryBackoff(-1 s, 1 s)", "retryBackoff initial",
            () -> b.retryBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1))),
        new Case("retryBackoff(1 s, huge)", "retryBackoff max",
            () -> b.retryBackoff(Duration.ofSeconds(1), HUGE)),
        new Case("retryBackoff(1 s, most negative)", "retryBackoff max",
            () -> b.retryBackoff(Duration.ofSeconds(1), MOST_NEGATIVE)),
        new Case("retryBackoff(2 s, 1 s)", "retryBackoff max",
            () -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))),
        new Case("maxAttempts(0)", "maxAttempts", () -> b.maxAttempts(0)),
        new Case("maxAttempts(MIN_VALUE)", "maxAttempts", () -> b.maxAttempts(Integer.MIN_VALUE)),
        new Case("maxAttempts(MAX_VALUE)", "maxAttempts", () -> b.maxAttempts(Integer.MAX_VALUE)),
        new Case("idleWait(huge)", "idleWait", () -> b.idleWait(HUGE)),
        new Case("idleWait(1 ns)", "idleWait", () -> b.idleWait(Duration.ofNanos(1))),
        new Case("idleWait(just over 7 days)", "idleWait",
            () -> b.idleWait(ConsumerOptions.MAX_DURATION.plusNanos(1))),
        new Case("shutdownGrace(huge)", "shutdownGrace", () -> b.shutdownGrace(HUGE)),
        new Case("shutdownGrace(-1 ms)", "shutdownGrace",
            () -> b.shutdownGrace(Duration.ofMillis(-1)))));
    // the messages name the range, e.g. "lease must be between PT0.1S and PT876000H, got ..."
    assertThatThrownBy(() -> b.lease(HUGE)).hasMessageContaining(ConsumerOptions.MIN_LEASE.toString())
        .hasMessageContaining(ConsumerOptions.MAX_DURATION.toString());
    // nothing was taken over by the rejected calls
    assertThat(b.build()).isEqualTo(DebounceOptions.defaults());
  }

  @Test
  void theLimitsThemselvesAreAccepted() throws Exception {
    DebounceOptions o = DebounceOptions.builder().defaultDelay(DebounceOptions.MAX_DURATION)
        .duplicatePolicy(DuplicatePolicy.DEBOUNCE).maxWait(DebounceOptions.MAX_DURATION)
        .lease(ConsumerOptions.MAX_DURATION).concurrency(1)
        .prefetch(ConsumerOptions.MAX_PREFETCH)
        .retryBackoff(ConsumerOptions.MAX_DURATION, ConsumerOptions.MAX_DURATION)
        .maxAttempts(1_000_000).idleWait(ConsumerOptions.MAX_DURATION)
        .shutdownGrace(ConsumerOptions.MAX_DURATION).build();
    tasks = DebounceTask.create(redis.client(), KEY, Object.class, o);
    assertThat(tasks.add("far", DebounceOptions.MAX_DURATION)).isTrue();
    assertThat(tasks.add("later")).isTrue();
    assertThat(tasks.pop(DebounceTask.MAX_COUNT)).isEmpty();
    assertThat(tasks.info()).isEqualTo(new DebounceInfo(2, 0, 0, 0));
    try (DebounceConsumer c = tasks.consume(t -> { })) {
      assertThat(c.close(ConsumerOptions.MAX_DURATION)).isTrue();
    }
  }

  @Test
  void everyMethodRejectsOutOfRangeArgumentsAtOnceAndWritesNothing() {
    tasks = DebounceTask.create(redis.client(), KEY, Object.class, DebounceOptions.defaults());
    DebounceConsumer consumer = tasks.consume(t -> { });
    assertRejected(List.of(
        new Case("add(task, huge)", "delay", () -> tasks.add("x", HUGE)),
        new Case("add(task, just over)", "delay", () -> tasks.add("x", JUST_OVER)),
        new Case("add(task, most negative)", "delay", () -> tasks.add("x", MOST_NEGATIVE)),
        new Case("addAll(tasks, huge)", "delay", () -> tasks.addAll(List.of("x", "y"), HUGE)),
        new Case("addAll(tasks, -1 ns)", "delay",
            () -> tasks.addAll(List.of("x"), Duration.ofNanos(-1))),
        new Case("pop(MAX_VALUE)", "count", () -> tasks.pop(Integer.MAX_VALUE)),
        new Case("pop(MAX_COUNT + 1)", "count", () -> tasks.pop(DebounceTask.MAX_COUNT + 1)),
        new Case("pop(0)", "count", () -> tasks.pop(0)),
        new Case("pop(MIN_VALUE)", "count", () -> tasks.pop(Integer.MIN_VALUE)),
        new Case("await(MAX_VALUE, 1 s)", "count",
            () -> tasks.await(Integer.MAX_VALUE, Duration.ofSeconds(1))),
        new Case("await(0, 1 s)", "count", () -> tasks.await(0, Duration.ofSeconds(1))),
        new Case("consumer.close(huge)", "timeout", () -> consumer.close(HUGE)),
        new Case("consumer.close(-1 ms)", "timeout", () -> consumer.close(Duration.ofMillis(-1)))));
    assertThatThrownBy(() -> tasks.await(1, Duration.ofMillis(-1)))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThat(consumer.isRunning()).isTrue();
    assertThat(redis.client().keys("*args*")).isEmpty();
    assertThat(consumer.close(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aHugeAwaitTimeoutSaturatesToNoTimeoutAsDocumented() throws Exception {
    tasks = DebounceTask.create(redis.client(), KEY, Object.class, DebounceOptions.defaults());
    tasks.add("due", Duration.ZERO);
    assertThat(tasks.await(1, HUGE)).containsExactly("due");
  }
}
