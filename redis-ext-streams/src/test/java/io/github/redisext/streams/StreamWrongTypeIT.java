package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Each key of a stream's family set to a wrong type: every operation that touches it fails with a
 * {@link WrongTypeException} naming the key and changes nothing; once the key is fixed every
 * entry is delivered. Streams need consumer groups: real backends only (no jedis-mock).
 */
@RedisBackends({BackendKind.EMBEDDED, BackendKind.STANDALONE, BackendKind.CLUSTER})
class StreamWrongTypeIT {
  private static final String NAME = "{wrong}";
  private static final String STREAM = "stream:" + NAME;
  private static final String DLQ = "stream:dlq:" + NAME;
  private static final String EVENTS = "stream:events:" + NAME;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RedisBackend redis;

  StreamWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  private void assertWrongType(String key, ThrowingCallable op) {
    assertThatThrownBy(op).isInstanceOfSatisfying(WrongTypeException.class,
        e -> assertThat(e.key()).isEqualTo(key));
    assertThat(redis.client().get(key)).isEqualTo("oops");
  }

  @Test
  void aWrongTypeStreamKeyFailsEveryOperationNamingItAndChangesNothing() {
    try (RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class)) {
      redis.client().set(STREAM, "oops");
      ProcessOptions o = SeedScenariosIT.fast("g").build();
      assertWrongType(STREAM, () -> s.add("a"));
      assertWrongType(STREAM, () -> s.addAll(List.of("a", "b")));
      assertWrongType(STREAM, s::length);
      assertWrongType(STREAM, s::info);
      assertWrongType(STREAM, s::groups);
      assertWrongType(STREAM, s::trimAcknowledged);
      assertWrongType(STREAM, () -> s.process(o, d -> { }));
      assertWrongType(STREAM, () -> s.processBatches(o, b -> List.of()));
      redis.client().del(STREAM);
      Set<String> got = ConcurrentHashMap.newKeySet();
      s.process(o, d -> got.add(d.value()));
      s.add("a");
      await().atMost(WAIT).until(() -> got.contains("a"));
    }
  }

  @Test
  void aWrongTypeDeadLetterKeyFailsItsOperationsAndKeepsTheEntryPendingUntilFixed() {
    try (RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class)) {
      redis.client().set(DLQ, "oops");
      DeadLetter fake = DeadLetter.builder("1-0", new byte[0]).ref("1-0").build();
      assertWrongType(DLQ, () -> s.deadLetters(10));
      assertWrongType(DLQ, s::deadLetterCount);
      assertWrongType(DLQ, () -> s.requeue(List.of(fake)));
      assertWrongType(DLQ, s::requeueAllDeadLetters);
      assertWrongType(DLQ, () -> s.purge(List.of(fake)));
      assertWrongType(DLQ, s::purgeAllDeadLetters);
      AtomicInteger calls = new AtomicInteger();
      s.process(SeedScenariosIT.fast("g").maxAttempts(1).build(), d -> {
        calls.incrementAndGet();
        throw new IllegalStateException("poison");
      });
      s.add("a");
      await().atMost(WAIT).until(() -> calls.get() == 1);
      await().during(Duration.ofMillis(300)).atMost(WAIT)
          .until(() -> s.groups().get(0).pending() == 1);
      assertThat(redis.client().get(DLQ)).isEqualTo("oops");
      redis.client().del(DLQ);
      await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
      assertThat(s.groups().get(0).pending()).isZero();
      assertThat(calls.get()).isEqualTo(1);
    }
  }

  @Test
  void aWrongTypeEventKeyFailsEventReadsAndHoldsTheAckUntilFixed() {
    try (RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class,
        StreamOptions.builder().produceEvents(true).build())) {
      redis.client().set(EVENTS, "oops");
      assertWrongType(EVENTS, () -> s.events(10));
      AtomicInteger calls = new AtomicInteger();
      s.process(SeedScenariosIT.fast("g").build(), d -> calls.incrementAndGet());
      s.add("a");
      await().atMost(WAIT).until(() -> calls.get() == 1);
      // the ack and its completed event are one script: it waits for the key to be fixed
      await().during(Duration.ofMillis(300)).atMost(WAIT)
          .until(() -> s.groups().get(0).pending() == 1);
      assertThat(redis.client().get(EVENTS)).isEqualTo("oops");
      redis.client().del(EVENTS);
      await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
      assertThat(calls.get()).isEqualTo(1);
      assertThat(s.events(10)).extracting(StreamEvent::type).containsExactly("completed");
    }
  }
}
