package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer's attempt limit: exponential retries, then the dead letters, then requeue. */
@RedisBackends
class AttemptLimitIT {
  private static final String KEY = "{attempts}";
  private static final String ATTEMPTS = KEY + ":attempts";

  private final RedisBackend redis;
  private DebounceTask<Object> tasks;

  AttemptLimitIT(RedisBackend redis) {
    this.redis = redis;
  }

  private DebounceTask<Object> open(int maxAttempts) {
    tasks = DebounceTask.create(redis.client(), KEY, Object.class, DebounceOptions.builder()
        .maxAttempts(maxAttempts)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(40)).concurrency(2).build());
    return tasks;
  }

  @AfterEach
  void close() {
    if (tasks != null) {
      tasks.close();
    }
  }

  @Test
  void aHandlerThatAlwaysThrowsEndsInTheDeadLettersAfterExactlyMaxAttemptsCalls() {
    open(4);
    AtomicInteger calls = new AtomicInteger();
    Instant before = Instant.now().minus(Duration.ofHours(1));
    try (DebounceConsumer c = tasks.consume(t -> {
      throw new IllegalStateException("boom " + calls.incrementAndGet());
    })) {
      tasks.add("poison", Duration.ZERO);
      await().atMost(Duration.ofSeconds(20)).until(() -> tasks.info().deadLetters() == 1);
      assertThat(calls.get()).isEqualTo(4);
      assertThat(c.failed()).isEqualTo(4);
      assertThat(c.handled()).isZero();
      assertThat(tasks.deadLetters(1000)).singleElement().satisfies(d -> {
        assertThat(d.payload()).isEqualTo("\"poison\"");
        assertThat(d.error()).isEqualTo("java.lang.IllegalStateException: boom 4");
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(d.failedAt()).isAfter(before);
      });
      // nothing left to deliver: not waiting, not leased, no attempt record
      assertThat(tasks.info()).isEqualTo(new DebounceInfo(0, 0, 0, 1));
      assertThat(redis.client().exists(ATTEMPTS)).isFalse();
      assertThat(tasks.stats().deadLettered()).isEqualTo(1);
      assertThat(tasks.stats().failed()).isEqualTo(4);
      assertThat(calls.get()).isEqualTo(4);
    }
  }

  @Test
  void aHandlerThatFailsTwiceThenSucceedsIsAckedAndLeavesNoAttemptRecord() {
    open(3);
    AtomicInteger calls = new AtomicInteger();
    try (DebounceConsumer c = tasks.consume(t -> {
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("not yet");
      }
    })) {
      tasks.add("flaky", Duration.ZERO);
      await().atMost(Duration.ofSeconds(20)).until(() -> c.handled() == 1
          && tasks.info().equals(new DebounceInfo(0, 0, 0, 0)));
      assertThat(calls.get()).isEqualTo(3);
      assertThat(c.failed()).isEqualTo(2);
      assertThat(redis.client().exists(ATTEMPTS)).isFalse();
      assertThat(tasks.deadLetters(1000)).isEmpty();
      assertThat(tasks.stats().deadLettered()).isZero();
    }
  }

  @Test
  void aDeadLetterCanBeRequeuedAndIsThenHandled() {
    open(2);
    AtomicBoolean fixed = new AtomicBoolean();
    ConcurrentHashMap<Object, AtomicInteger> handled = new ConcurrentHashMap<>();
    try (DebounceConsumer c = tasks.consume(t -> {
      if (!fixed.get()) {
        throw new IllegalArgumentException("downstream is down");
      }
      handled.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet();
    })) {
      tasks.addAll(List.of("a", "b", "c"), Duration.ZERO);
      await().atMost(Duration.ofSeconds(20)).until(() -> tasks.info().deadLetters() == 3);
      assertThat(c.failed()).isEqualTo(6);
      List<DeadLetter> dead = tasks.deadLetters(1000);
      assertThat(dead).extracting(DeadLetter::attempts).containsOnly(2);
      assertThat(dead).extracting(DeadLetter::error)
          .containsOnly("java.lang.IllegalArgumentException: downstream is down");
      fixed.set(true);

      DeadLetter a = dead.stream().filter(d -> d.payload().equals("\"a\"")).findFirst()
          .orElseThrow();
      assertThat(tasks.requeue(List.of(a))).isEqualTo(1);
      assertThat(tasks.requeue(List.of(a))).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> c.handled() == 1);
      assertThat(handled.keySet()).containsExactly("a");
      assertThat(tasks.deadLetters(1000)).extracting(DeadLetter::payload)
          .containsExactlyInAnyOrder("\"b\"", "\"c\"");

      DeadLetter b = tasks.deadLetters(1000).stream().filter(d -> d.payload().equals("\"b\""))
          .findFirst().orElseThrow();
      assertThat(tasks.requeue(List.of(b, a))).isEqualTo(1); // a is no dead letter any more
      await().atMost(Duration.ofSeconds(20)).until(() -> c.handled() == 2);
      assertThat(tasks.deadLetters(1000)).extracting(DeadLetter::payload).containsExactly("\"c\"");

      assertThat(tasks.requeueAllDeadLetters()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> c.handled() == 3
          && tasks.info().equals(new DebounceInfo(0, 0, 0, 0)));
      assertThat(handled.keySet()).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(handled.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(tasks.deadLetters(1000)).isEmpty();
      assertThat(tasks.requeueAllDeadLetters()).isZero();
      assertThat(redis.client().exists(ATTEMPTS)).isFalse();
    }
  }

  @Test
  void clearingDeadLettersRemovesTheirDetailsToo() {
    open(1);
    try (DebounceConsumer c = tasks.consume(t -> {
      throw new UnsupportedOperationException();
    })) {
      tasks.add("x", Duration.ZERO);
      await().atMost(Duration.ofSeconds(20)).until(() -> tasks.info().deadLetters() == 1);
      assertThat(c.failed()).isEqualTo(1);
      assertThat(tasks.deadLetters(1000)).singleElement().satisfies(d -> {
        assertThat(d.error()).isEqualTo("java.lang.UnsupportedOperationException");
        assertThat(d.attempts()).isEqualTo(1);
      });
      assertThat(tasks.purgeAllDeadLetters()).isEqualTo(1);
      assertThat(tasks.deadLetters(1000)).isEmpty();
      assertThat(redis.client().exists(KEY + ":dead-info")).isFalse();
    }
  }

  @Test
  void removingOrClearingAFailedTaskDropsItsAttemptCount() {
    open(1_000);
    DebounceConsumer c = tasks.consume(t -> {
      throw new IllegalStateException("always");
    });
    tasks.addAll(List.of("r", "k"), Duration.ZERO);
    await().atMost(Duration.ofSeconds(20)).until(() -> c.failed() >= 4
        && redis.client().hlen(ATTEMPTS) == 2);
    c.close(); // waits for running handlers, whose failures put their tasks back
    assertThat(tasks.info().processing()).isZero();
    assertThat(tasks.remove("r")).isTrue();
    assertThat(redis.client().hexists(ATTEMPTS, "\"r\"")).isFalse();
    assertThat(redis.client().hexists(ATTEMPTS, "\"k\"")).isTrue();
    tasks.clear();
    assertThat(redis.client().exists(ATTEMPTS)).isFalse();
    assertThat(tasks.deadLetters(1000)).isEmpty();
  }
}
