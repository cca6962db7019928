package io.github.redisext.timers;

import io.github.redisext.testing.BackendKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

/** The Python suite's scenarios plus the guarantees beyond it, on every backend. */
@RedisBackends
class TimersIT {
  private final RedisBackend redis;
  private final Queue<Object> results = new ConcurrentLinkedQueue<>();
  private final List<Timers<?>> opened = new ArrayList<>();

  TimersIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeTimers() {
    opened.forEach(Timers::close);
  }

  /** Python layout on standalone and mock, sharded over 3 tags on the cluster. */
  private TimersOptions.Builder options() {
    TimersOptions.Builder b = TimersOptions.builder();
    return redis.isCluster() ? b.sharded("timers", 3) : b;
  }

  private Timers<Queue<Object>> timers(TimersOptions o) {
    Router<Queue<Object>> router1 = new Router<Queue<Object>>()
        .handler("test_handler", TestPayload.class, (p, ctx) -> ctx.add(p));
    Router<Queue<Object>> router2 = new Router<Queue<Object>>()
        .handler("another_topic", AnotherPayload.class, (p, ctx) -> ctx.add(p));
    Timers<Queue<Object>> t = Timers.builder(redis.client(), results).include(router1)
        .include(router2).options(o).build();
    opened.add(t);
    return t;
  }

  private Timers<Queue<Object>> timers() {
    return timers(options().build());
  }

  private <P> Timers<Void> timersWith(String topic, Class<P> type, TimersOptions o,
      Consumer<P> handler) {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler(topic, type, (p, ctx) -> handler.accept(p)))
        .options(o).build();
    opened.add(t);
    return t;
  }

  // ------------------------------------------------------------------ the original's scenarios

  @Test
  void setAndRemoveTimer() {
    Timers<Queue<Object>> timers = timers();
    TestPayload payload = new TestPayload("test", 1);
    timers.setTimer("test_handler", "test_timer_1", payload, Duration.ofSeconds(1));

    List<PendingTimer> pending = timers.pendingTimers();
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).topic()).isEqualTo("test_handler");
    assertThat(pending.get(0).timerId()).isEqualTo("test_timer_1");
    assertThat(pending.get(0).payloadJson()).isEqualTo("{\"message\":\"test\",\"count\":1}");

    assertThat(timers.removeTimer("test_handler", "test_timer_1")).isTrue();
    assertThat(timers.pendingTimers()).isEmpty();
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.removeTimer("test_handler", "nonexistent_timer")).isFalse();
  }

  @Test
  void writesThePythonLayoutByteForByte() {
    redis.assumeNot("the Python layout cannot run on a cluster (see "
        + "pythonLayoutIsRejectedOnACluster)", BackendKind.CLUSTER);
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "t1", new TestPayload("héllo", 42), Duration.ofSeconds(30));
    var c = redis.client();
    assertThat(c.hget("timers_payloads", "test_handler--t1"))
        .isEqualTo("{\"message\":\"héllo\",\"count\":42}");
    Double score = c.zscore("timers_timeline", "test_handler--t1");
    assertThat(score).isNotNull();
    long nowSec = io.github.redisext.core.support.ServerTime.now(c, "timers_timeline")
        .getEpochSecond();
    assertThat(score).isBetween(nowSec + 28.0, nowSec + 32.0);
  }

  @Test
  void wholeSecondScoresAreWrittenLikePython() {
    Timers<Queue<Object>> timers = timers(options().wholeSecondScores(true).build());
    timers.setTimer("test_handler", "w", new TestPayload("w", 1), Duration.ofMillis(1500));
    PendingTimer p = timers.pendingTimers().get(0);
    assertThat(p.due().getNano()).isZero();
  }

  @Test
  void undefinedTopicIsAClearError() {
    Timers<Queue<Object>> timers = timers();
    assertThatThrownBy(() -> timers.setTimer("invalid_topic", "t", new TestPayload("x", 1),
        Duration.ofSeconds(1))).isInstanceOf(UnknownTopicException.class)
        .hasMessageContaining("Handler is not found").hasMessageContaining("invalid_topic");
    assertThatThrownBy(() -> timers.removeTimer("invalid_topic", "t"))
        .isInstanceOf(UnknownTopicException.class).hasMessageContaining("invalid_topic");
  }

  @Test
  void readyTimerFiresOnceAndIsRemoved() {
    Timers<Queue<Object>> timers = timers();
    TestPayload payload = new TestPayload("ready_timer", 42);
    timers.setTimer("test_handler", "ready_timer_1", payload, Duration.ZERO);

    assertThat(timers.handleReadyTimers()).isEqualTo(1);

    assertThat(results).containsExactly(payload);
    assertThat(timers.pendingTimers()).isEmpty();
    assertThat(timers.handleReadyTimers()).isZero();
    assertThat(results).hasSize(1);
    assertThat(timers.stats().fired()).isEqualTo(1);
  }

  @Test
  void timerNotReadyYetStays() {
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "future_timer_1", new TestPayload("future_timer", 99),
        Duration.ofSeconds(10));
    assertThat(timers.handleReadyTimers()).isZero();
    assertThat(results).isEmpty();
    assertThat(timers.pendingTimers()).extracting(PendingTimer::timerId)
        .containsExactly("future_timer_1");
  }

  @Test
  void dueTimeIsTheServersClock() {
    redis.assumeKind("only the mock's clock can be moved", BackendKind.MOCK);
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "in_an_hour", new TestPayload("later", 1),
        Duration.ofHours(1));
    assertThat(timers.handleReadyTimers()).isZero();
    redis.clock().get().advance(Duration.ofMinutes(61));
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(results).containsExactly(new TestPayload("later", 1));
  }

  @Test
  void severalTopicsFireTheirOwnHandlers() {
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "multi_timer_1", new TestPayload("timer_1", 1),
        Duration.ZERO);
    timers.setTimer("another_topic", "multi_timer_2", new AnotherPayload("timer_2"),
        Duration.ZERO);
    assertThat(timers.handleReadyTimers()).isEqualTo(2);
    assertThat(results).containsExactlyInAnyOrder(new TestPayload("timer_1", 1),
        new AnotherPayload("timer_2"));
  }

  @Test
  void duplicateTimerIsReplaced() {
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "duplicate_timer", new TestPayload("first", 1),
        Duration.ofSeconds(10));
    timers.setTimer("test_handler", "duplicate_timer", new TestPayload("second", 2),
        Duration.ZERO);
    assertThat(timers.pendingCount()).isEqualTo(1);
    timers.handleReadyTimers();
    assertThat(results).containsExactly(new TestPayload("second", 2));
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void concurrencyZeroHandlesNothing() {
    Timers<Queue<Object>> timers = timers(options().concurrency(0).build());
    timers.setTimer("test_handler", "t", new TestPayload("x", 1), Duration.ZERO);
    assertThat(timers.handleReadyTimers()).isZero();
    assertThat(results).isEmpty();
    assertThat(timers.pendingCount()).isEqualTo(1);
  }

  @Test
  void onePassHandlesAtMostTheConcurrencyLimit() {
    Timers<Queue<Object>> timers = timers(options().concurrency(5).build());
    List<TimerRequest> batch = new ArrayList<>();
    for (int i = 0; i < 42; i++) {
      batch.add(new TimerRequest("test_handler", "r" + i, new TestPayload("r", i), Duration.ZERO));
    }
    timers.setTimers(batch);
    assertThat(timers.handleReadyTimers()).isEqualTo(5);
    assertThat(results).hasSize(5);
    assertThat(timers.pendingCount()).isEqualTo(37);
  }

  @Test
  void handlersOfOnePassRunConcurrentlyUpToTheLimit() throws Exception {
    CountDownLatch allInside = new CountDownLatch(3);
    AtomicInteger ran = new AtomicInteger();
    Timers<Void> timers = timersWith("test_handler", TestPayload.class,
        options().concurrency(3).build(), p -> {
          allInside.countDown();
          try {
            // only completes if the three handlers are inside at the same time
            assertThat(allInside.await(20, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.incrementAndGet();
        });
    for (int i = 0; i < 3; i++) {
      timers.setTimer("test_handler", "c" + i, new TestPayload("c", i), Duration.ZERO);
    }
    assertThat(timers.handleReadyTimers()).isEqualTo(3);
    assertThat(ran).hasValue(3);
    assertThat(timers.stats().fired()).isEqualTo(3);
  }

  /** Writes a timer as some other producer would, bypassing the topic check. */
  private void writeRaw(Timers<?> timers, String member, String payload) {
    var keys = io.github.redisext.timers.internal.KeyLayout.of(timers.options());
    int s = keys.shardOf(member);
    redis.client().zadd(keys.timeline(s), 1.0, member);
    if (payload != null) {
      redis.client().hset(keys.payloads(s), member, payload);
    }
  }

  @Test
  void missingHandlerIsLoggedAndKeptAsideWithoutStoppingTheLoop() {
    Timers<Queue<Object>> timers = timers();
    writeRaw(timers, "unknown_topic--t1", "{\"a\":1}");
    timers.setTimer("test_handler", "ok", new TestPayload("ok", 1), Duration.ZERO);

    assertThat(timers.handleReadyTimers()).isEqualTo(2);

    assertThat(results).containsExactly(new TestPayload("ok", 1));
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.deadLetters(100)).singleElement().satisfies(d -> {
      assertThat(d.topic()).contains("unknown_topic");
      assertThat(d.id()).isEqualTo("t1");
      assertThat(d.payload()).isEqualTo("{\"a\":1}");
      assertThat(d.error()).contains("no handler for topic 'unknown_topic'");
    });
    assertThat(timers.stats().deadLettered()).isEqualTo(1);
  }

  @Test
  void missingPayloadIsLoggedAndKeptAside() {
    Timers<Queue<Object>> timers = timers();
    writeRaw(timers, "test_handler--no_payload", null);
    timers.setTimer("test_handler", "ok", new TestPayload("ok", 1), Duration.ZERO);

    timers.handleReadyTimers();

    assertThat(results).containsExactly(new TestPayload("ok", 1));
    assertThat(timers.deadLetters(100)).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo("no_payload");
      assertThat(d.hasPayload()).isFalse();
      assertThat(d.error()).contains("payload missing");
    });
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void invalidPayloadIsKeptAsideWithItsRawTextAndError() {
    Timers<Queue<Object>> timers = timers();
    writeRaw(timers, "test_handler--bad", "{not json");
    writeRaw(timers, "another_topic--wrong_shape", "[1,2]");
    timers.setTimer("test_handler", "ok", new TestPayload("ok", 1), Duration.ZERO);

    assertThat(timers.handleReadyTimers()).isEqualTo(3);

    assertThat(results).containsExactly(new TestPayload("ok", 1));
    assertThat(timers.deadLetters(100)).hasSize(2).allSatisfy(d ->
        assertThat(d.error()).contains("cannot decode payload"));
    assertThat(timers.deadLetters(100)).extracting(DeadLetter::payload)
        .containsExactlyInAnyOrder("{not json", "[1,2]");
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void aStrictCodecMovesAPayloadOfTheWrongShapeAsideWithItsRawText() {
    Timers<Queue<Object>> strict = Timers.builder(redis.client(), results)
        .include(new Router<Queue<Object>>().handler("test_handler", TestPayload.class,
            JsonCodec.of(TestPayload.class).strict(), (p, ctx) -> ctx.add(p)))
        .options(options().build()).build();
    opened.add(strict);
    writeRaw(strict, "test_handler--wrong_shape", "{\"wrong\":\"shape\"}");
    writeRaw(strict, "test_handler--missing", "{\"message\":\"m\"}");
    strict.setTimer("test_handler", "ok", new TestPayload("ok", 1), Duration.ZERO);
    // a strict codec writes exactly what the default one writes (pydantic's model_dump_json)
    assertThat(strict.pendingTimers()).filteredOn(p -> p.timerId().equals("ok"))
        .extracting(PendingTimer::payloadJson).containsExactly("{\"message\":\"ok\",\"count\":1}");

    assertThat(strict.handleReadyTimers()).isEqualTo(3);

    assertThat(results).containsExactly(new TestPayload("ok", 1));
    assertThat(strict.deadLetters(100)).hasSize(2).allSatisfy(d ->
        assertThat(d.error()).contains("cannot decode payload").contains("strict"));
    assertThat(strict.deadLetters(100)).extracting(DeadLetter::payload)
        .containsExactlyInAnyOrder("{\"wrong\":\"shape\"}", "{\"message\":\"m\"}");
    assertThat(strict.pendingCount()).isZero();
  }

  @Test
  void theDefaultCodecIsLenientAndFillsMissingFieldsWithDefaults() {
    Timers<Queue<Object>> timers = timers();
    writeRaw(timers, "test_handler--wrong_shape", "{\"wrong\":\"shape\"}");

    assertThat(timers.handleReadyTimers()).isEqualTo(1);

    // lenient (the default, for rolling upgrades): unknown fields ignored, missing ones default
    assertThat(results).containsExactly(new TestPayload(null, 0));
    assertThat(timers.deadLetters(100)).isEmpty();
  }

  @Test
  void lockedTimerIsSkippedUntilItsLockIsGone() {
    Timers<Queue<Object>> timers = timers();
    timers.setTimer("test_handler", "locked", new TestPayload("locked", 1), Duration.ZERO);
    var keys = io.github.redisext.timers.internal.KeyLayout.of(timers.options());
    String member = "test_handler--locked";
    String lockKey = keys.lockPrefix(keys.shardOf(member)) + member;
    if (!redis.isCluster()) {
      assertThat(lockKey).isEqualTo("consume-lock--test_handler--locked");
    }
    // a Python consumer holds it (redis-py Lock: SET NX PX 30000 with a uuid1 hex token)
    redis.client().set(lockKey, "0123456789abcdef0123456789abcdef",
        SetParams.setParams().nx().px(30_000));

    assertThat(timers.handleReadyTimers()).isZero();
    assertThat(results).isEmpty();
    assertThat(timers.pendingCount()).isEqualTo(1);

    redis.client().del(lockKey);
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(results).containsExactly(new TestPayload("locked", 1));
  }

  // ------------------------------------------------------------------ beyond the original

  @Test
  void throwingHandlerIsRetriedThenKeptAsideAndCanBeRescheduled() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failUntil = new AtomicInteger(Integer.MAX_VALUE);
    Timers<Void> timers = timersWith("test_handler", TestPayload.class, options()
        .maxAttempts(3).retryBackoff(Duration.ZERO, Duration.ZERO).build(), p -> {
          if (calls.incrementAndGet() <= failUntil.get()) {
            throw new IllegalStateException("boom " + calls.get());
          }
        });
    timers.setTimer("test_handler", "flaky", new TestPayload("flaky", 7), Duration.ZERO);

    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(timers.pendingCount()).isEqualTo(1);
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(calls).hasValue(3);
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.handleReadyTimers()).isZero();

    assertThat(timers.deadLetters(100)).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo("flaky");
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(d.error()).contains("boom 3");
      assertThat(d.payload()).isEqualTo("{\"message\":\"flaky\",\"count\":7}");
    });
    assertThat(timers.stats()).satisfies(s -> {
      assertThat(s.failed()).isEqualTo(3);
      assertThat(s.retried()).isEqualTo(2);
      assertThat(s.deadLettered()).isEqualTo(1);
    });

    failUntil.set(0);
    List<DeadLetter> dead = timers.deadLetters(100);
    assertThat(timers.requeue(dead)).isEqualTo(1);
    assertThat(timers.deadLetters(100)).isEmpty();
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(calls).hasValue(4);
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.requeue(dead)).isZero();
  }

  @Test
  void retriesWaitForTheirBackoff() {
    AtomicInteger calls = new AtomicInteger();
    Timers<Void> timers = timersWith("test_handler", TestPayload.class, options()
        .retryBackoff(Duration.ofHours(1), Duration.ofHours(2)).build(), p -> {
          calls.incrementAndGet();
          throw new IllegalStateException("boom");
        });
    timers.setTimer("test_handler", "t", new TestPayload("t", 1), Duration.ZERO);
    timers.handleReadyTimers();
    assertThat(timers.handleReadyTimers()).isZero();
    assertThat(calls).hasValue(1);
    assertThat(timers.pendingTimers()).singleElement().satisfies(p ->
        assertThat(p.due()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(50))));
  }

  @Test
  void aLostLeaseIsDetectedBeforeRemovalAndTheTimerIsLeftAlone() {
    var keys = io.github.redisext.timers.internal.KeyLayout.of(options().build());
    String member = "test_handler--gc";
    String lockKey = keys.lockPrefix(keys.shardOf(member)) + member;
    Timers<Void> timers = timersWith("test_handler", TestPayload.class, options().build(), p ->
        // what another consumer does after our lease ran out during a long pause
        redis.client().set(lockKey, "another-owner"));
    timers.setTimer("test_handler", "gc", new TestPayload("gc", 1), Duration.ZERO);

    assertThat(timers.handleReadyTimers()).isEqualTo(1);

    assertThat(timers.stats().leaseLost()).isEqualTo(1);
    assertThat(timers.stats().fired()).isZero();
    assertThat(timers.pendingCount()).isEqualTo(1);
    assertThat(redis.client().get(lockKey)).isEqualTo("another-owner");
  }

  @Test
  void aTimerSetAgainWhileItsHandlerRunsKeepsTheNewVersion() {
    List<TestPayload> seen = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Timers<Void>> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    self.set(timersWith("test_handler", TestPayload.class, options().build(), p -> {
      seen.add(p);
      if (p.count() == 1) {
        self.get().setTimer("test_handler", "again", new TestPayload("second", 2), Duration.ZERO);
      }
    }));
    self.get().setTimer("test_handler", "again", new TestPayload("first", 1), Duration.ZERO);

    self.get().handleReadyTimers();
    assertThat(self.get().pendingTimers()).singleElement().satisfies(p ->
        assertThat(p.payloadJson()).contains("second"));
    self.get().handleReadyTimers();
    assertThat(seen).extracting(TestPayload::count).containsExactly(1, 2);
    assertThat(self.get().pendingCount()).isZero();
  }

  @Test
  void aLongHandlerKeepsItsLeaseSoNoOtherConsumerFiresIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    TimersOptions o = options().lease(Duration.ofSeconds(1)).build();
    Timers<Void> first = timersWith("test_handler", TestPayload.class, o, p -> {
      calls.incrementAndGet();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Timers<Void> second = timersWith("test_handler", TestPayload.class, o,
        p -> calls.incrementAndGet());
    first.setTimer("test_handler", "long", new TestPayload("long", 1), Duration.ZERO);
    Thread t = new Thread(first::handleReadyTimers);
    t.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);

    // many lease lengths pass: the renewed claim keeps the second consumer away
    await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(10))
        .until(() -> second.handleReadyTimers() == 0);

    release.countDown();
    t.join(10_000);
    assertThat(calls).hasValue(1);
    assertThat(first.stats().fired()).isEqualTo(1);
    assertThat(first.stats().leaseLost()).isZero();
    assertThat(first.pendingCount()).isZero();
  }

  @Test
  void runForeverFiresDueTimersAndWakesUpForASoonerTimer() {
    Queue<Long> lags = new ConcurrentLinkedQueue<>();
    // the idle wait is an hour: only the wake-up message can make the loop see the new timer
    TimersOptions o = options().idleWait(Duration.ofHours(1)).concurrency(8).build();
    Timers<Void> timers = timersWith("test_handler", TestPayload.class, o,
        p -> lags.add((long) p.count()));
    timers.setTimer("test_handler", "far", new TestPayload("far", 0), Duration.ofHours(1));
    timers.setTimer("test_handler", "now", new TestPayload("now", 1), Duration.ZERO);
    timers.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 1);

    timers.setTimer("test_handler", "soon", new TestPayload("soon", 2), Duration.ofMillis(200));
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 2);
    assertThat(lags).containsExactly(1L, 2L);
    // the handler has run; its completion (removal from the timeline) follows right after it
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timers.pendingTimers())
        .extracting(PendingTimer::timerId).containsExactly("far"));
  }

  @Test
  void bulkSetTimersSpreadsOverShardsAndFiresEachOnce() {
    AtomicInteger calls = new AtomicInteger();
    Timers<Void> timers = timersWith("test_handler", TestPayload.class,
        TimersOptions.builder().sharded("bulk", 4).concurrency(50).build(),
        p -> calls.incrementAndGet());
    List<TimerRequest> batch = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      batch.add(new TimerRequest("test_handler", "b" + i, new TestPayload("b", i), Duration.ZERO));
    }
    timers.setTimers(batch);
    assertThat(timers.pendingCount()).isEqualTo(2_000);
    for (int s = 0; s < 4; s++) {
      assertThat(redis.client().zcard("{bulk:" + s + "}:timeline")).isBetween(350L, 650L);
    }
    if (redis.isCluster()) {
      // the four shard tags land on every master of the 3-master cluster
      long mastersWithTimers = redis.nodes().stream().filter(hp -> {
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(hp,
            io.github.redisext.testing.Backends.clientConfig(redis.kind()))) {
          return j.dbSize() > 0;
        }
      }).count();
      assertThat(mastersWithTimers).isEqualTo(3);
    }
    timers.start();
    await().atMost(Duration.ofSeconds(45)).until(() -> timers.stats().fired() == 2_000);
    assertThat(calls).hasValue(2_000);
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void removeTimersInBulk() {
    Timers<Queue<Object>> timers = timers();
    List<TimerRequest> batch = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      batch.add(new TimerRequest("test_handler", "x" + i, new TestPayload("x", i),
          Duration.ofMinutes(1)));
      ids.add("x" + i);
    }
    timers.setTimers(batch);
    ids.add("missing");
    assertThat(timers.removeTimers("test_handler", ids)).isEqualTo(1200);
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    Timers<Queue<Object>> timers = timers();
    assertThatThrownBy(() -> timers.setTimer("test_handler", "t", null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
    assertThatThrownBy(() -> timers.setTimer("test_handler", "t", new TestPayload("x", 1),
        Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay");
    assertThatThrownBy(() -> timers.setTimer("test_handler", "", new TestPayload("x", 1),
        Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timerId");
    assertThatThrownBy(() -> timers.setTimer("test_handler", "t", new AnotherPayload("x"),
        Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TestPayload");
    assertThatThrownBy(() -> timersWith("bad--topic", TestPayload.class, options().build(),
        p -> { })).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("separator '--'");
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void pythonLayoutIsRejectedOnACluster() {
    redis.assumeKind("only a cluster rejects the Python layout", BackendKind.CLUSTER);
    assertThatThrownBy(() -> timers(TimersOptions.defaults()))
        .isInstanceOf(KeyNameException.class).hasMessageContaining("sharded");
  }

  @Test
  void closeLeavesNoThreadBehind() {
    Timers<Queue<Object>> timers = timers();
    java.util.Set<Thread> before = moduleThreads();
    timers.setTimer("test_handler", "t", new TestPayload("x", 1), Duration.ZERO);
    timers.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
    java.util.Set<Thread> started = moduleThreads();
    started.removeAll(before);
    assertThat(started).isNotEmpty();
    timers.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(Thread::isAlive));
  }

  static java.util.Set<Thread> moduleThreads() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("redis-ext-timers-") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }
}
