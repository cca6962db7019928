package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Atomic or nothing (issue 11, item 2): for each key of a DebounceTask's family holding a value of
 * another type, each public operation that touches Redis fails with a {@link WrongTypeException}
 * naming that key and changes nothing (a dump of the whole family is identical before and after);
 * once the key is fixed, every task (waiting, leased by a dead consumer, dead-lettered) is still
 * there and is delivered exactly once. A running consumer keeps its hands off too and delivers
 * everything once the key is fixed.
 */
@RedisBackends
class DebounceWrongTypeIT {
  private static final String KEY = "{wt}";
  /** Where the sweep parks the corrupted key's real content meanwhile (same slot). */
  private static final String BACKUP = "{wt}:sweep-backup";

  /** Every key of the family and the type DebounceTask keeps there. */
  enum Family {
    TASKS("", "zset"), FIRST(":first", "hash"), PROCESSING(":processing", "zset"),
    LEASES(":leases", "hash"), ATTEMPTS(":attempts", "hash"), DEAD(":dead", "hash"),
    DEAD_INFO(":dead-info", "hash");

    final String suffix;
    final String type;

    Family(String suffix, String type) {
      this.suffix = suffix;
      this.type = type;
    }

    String key() {
      return KEY + suffix;
    }
  }

  /** One public operation; {@code tasksOnly}: a plain read of the tasks key, no script. */
  private record Op(String name, boolean tasksOnly, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(DebounceTask<Object> tasks) throws Exception;
  }

  private static final List<Op> OPS = List.of(
      new Op("add(task)", false, t -> t.add("new")),
      new Op("add(task, delay)", false, t -> t.add("new", Duration.ofSeconds(5))),
      new Op("addAll(tasks)", false, t -> t.addAll(List.of("new1", "new2"))),
      new Op("addAll(tasks, delay)", false, t -> t.addAll(List.of("new1", "w1"), Duration.ZERO)),
      new Op("has(task)", true, t -> t.has("w1")),
      new Op("remove(task)", false, t -> t.remove("w1")),
      new Op("removeAll(tasks)", false, t -> t.removeAll(List.of("w1", "w2"))),
      new Op("pop(count)", false, t -> t.pop(10)),
      new Op("pop()", false, DebounceTask::pop),
      new Op("await(count, timeout)", false, t -> t.await(10, Duration.ofMillis(200))),
      new Op("pendingCount()", true, DebounceTask::pendingCount),
      new Op("info()", false, DebounceTask::info),
      new Op("clear()", false, DebounceTask::clear),
      new Op("deadLetters(max)", false, t -> t.deadLetters(100)),
      new Op("deadLetterCount()", false, DebounceTask::deadLetterCount),
      new Op("requeue(deadLetters)", false, t -> t.requeue(List.of(dead("\"d1\""), dead("\"d2\"")))),
      new Op("purge(deadLetters)", false, t -> t.purge(List.of(dead("\"d1\""), dead("\"d2\"")))),
      new Op("requeueAllDeadLetters()", false, DebounceTask::requeueAllDeadLetters),
      new Op("purgeAllDeadLetters()", false, DebounceTask::purgeAllDeadLetters));

  private static DeadLetter dead(String member) {
    return DeadLetter.builder(member, member.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .error("x").build();
  }

  /** Every task the seed stores: waiting, leased by a consumer that died, dead-lettered. */
  private static final Set<Object> ALL = Set.of("w1", "w2", "w3", "l1", "l2", "d1", "d2");

  private final RedisBackend redis;
  private final List<DebounceTask<?>> opened = new ArrayList<>();

  DebounceWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(DebounceTask::close);
  }

  private DebounceTask<Object> open(String key) {
    DebounceTask<Object> t = DebounceTask.create(redis.client(), key, Object.class,
        DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE)
            .maxWait(Duration.ofHours(1)).lease(Duration.ofSeconds(10))
            .retryBackoff(Duration.ofMillis(10), Duration.ofMinutes(1)).idleWait(Duration.ofMillis(50)).build());
    opened.add(t);
    return t;
  }

  /** The observed loss, exactly. */
  @Test
  void aPopThatMeetsAnAttemptsKeyOfAnotherTypeTakesNoTaskAndNamesTheKey() {
    UnifiedJedis c = redis.client();
    DebounceTask<Object> tasks = DebounceTask.create(c, "{d}", Object.class,
        DebounceOptions.defaults());
    opened.add(tasks);
    tasks.addAll(List.of("a", "b", "c"), Duration.ZERO);
    c.set("{d}:attempts", "x");
    assertThatThrownBy(() -> tasks.pop(10)).isInstanceOfSatisfying(WrongTypeException.class,
        e -> {
          assertThat(e.key()).isEqualTo("{d}:attempts");
          assertThat(e.expectedType()).isEqualTo("hash");
          assertThat(e.actualType()).isEqualTo("string");
        });
    assertThat(c.zcard("{d}")).isEqualTo(3);
    c.del("{d}:attempts");
    assertThat(tasks.pop(10)).containsExactlyInAnyOrder("a", "b", "c");
  }

  /** More than one script call (10,000 tasks each), pipelined: every call refuses, none writes. */
  @Test
  void aPipelinedAddAllMeetingAKeyOfAnotherTypeAddsNothingAndNamesTheKey() {
    UnifiedJedis c = redis.client();
    DebounceTask<Object> tasks = open(KEY);
    c.set(Family.FIRST.key(), "oops");
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 15_000; i++) {
      many.add("t" + i);
    }
    assertThatThrownBy(() -> tasks.addAll(many, Duration.ZERO))
        .isInstanceOfSatisfying(WrongTypeException.class,
            e -> assertThat(e.key()).isEqualTo(Family.FIRST.key()));
    assertThat(c.exists(KEY)).isFalse();
    c.del(Family.FIRST.key());
    assertThat(tasks.addAll(many, Duration.ZERO)).isEqualTo(15_000);
  }

  /** HINCRBY would fail on a garbled count after the lease was already dropped. */
  @Test
  void anExpiredLeaseWithAGarbledAttemptCountIsStillPutBack() {
    UnifiedJedis c = redis.client();
    DebounceTask<Object> tasks = open(KEY);
    c.zadd(Family.PROCESSING.key(), 1, "\"l1\"");
    c.hset(Family.LEASES.key(), "\"l1\"", "dead-consumer:1");
    c.hset(Family.ATTEMPTS.key(), "\"l1\"", "not a number");
    assertThat(tasks.pop(10)).containsExactly("l1");
    assertThat(tasks.info()).isEqualTo(new DebounceInfo(0, 0, 0, 0));
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void everyOperationRefusesAKeyOfAnotherTypeChangesNothingAndLosesNoTask(Family bad)
      throws Exception {
    DebounceTask<Object> tasks = open(KEY);
    for (Op op : OPS) {
      String what = op.name() + " with " + bad.key() + " holding a string";
      redis.flushAll();
      seed(tasks);
      corrupt(bad);
      Map<String, String> before = dump();

      Throwable thrown = catchThrowable(() -> op.action().run(tasks));

      if (op.tasksOnly() && bad != Family.TASKS) {
        assertThat(thrown).as(what + " (does not read that key)").isNull();
      } else {
        assertThat(thrown).as(what).isInstanceOfSatisfying(WrongTypeException.class, e -> {
          assertThat(e.key()).as(what).isEqualTo(bad.key());
          assertThat(e.expectedType()).as(what).isEqualTo(bad.type);
          assertThat(e.actualType()).as(what).isEqualTo("string");
        });
      }
      assertThat(dump()).as(what + ": the family after the call").isEqualTo(before);

      fix(bad);
      assertThat(drain(tasks)).as(what + ": delivered after the fix").containsExactlyInAnyOrderElementsOf(ALL);
      assertThat(tasks.info()).as(what + ": nothing left").isEqualTo(new DebounceInfo(0, 0, 0, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aConsumerLeavesEverythingInPlaceWhileAKeyHasAnotherTypeAndDeliversItOnceFixed(Family bad) {
    DebounceTask<Object> tasks = open(KEY);
    seed(tasks);
    corrupt(bad);
    Map<String, String> before = dump();
    List<Object> handled = new CopyOnWriteArrayList<>();
    try (DebounceConsumer c = tasks.consume(handled::add)) {
      // its claims fail (logged with the key) and are retried; nothing moves meanwhile
      await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
          .until(() -> handled.isEmpty() && dump().equals(before));
      fix(bad);
      tasks.requeueAllDeadLetters(); // dead letters wait for a decision; requeue them to see them
      await().atMost(Duration.ofSeconds(30))
          .until(() -> new HashSet<>(handled).equals(ALL));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> tasks.info().equals(new DebounceInfo(0, 0, 0, 0)));
      assertThat(handled).containsExactlyInAnyOrderElementsOf(ALL);
      assertThat(c.failed()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aConsumerWhoseAckOrRetryMeetsAKeyOfAnotherTypeKeepsItsTasksLeasedAndDeliversThemOnceFixed(
      Family bad) throws Exception {
    DebounceTask<Object> tasks = DebounceTask.create(redis.client(), KEY, Object.class,
        DebounceOptions.builder().lease(Duration.ofMillis(500))
            .retryBackoff(Duration.ZERO, Duration.ZERO).idleWait(Duration.ofMillis(50)).build());
    opened.add(tasks);
    CountDownLatch release = new CountDownLatch(1);
    Map<Object, AtomicInteger> calls = new ConcurrentHashMap<>();
    AtomicInteger returned = new AtomicInteger();
    try (DebounceConsumer c = tasks.consume(t -> {
      int n = calls.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet();
      try {
        if (n == 1) {
          release.await();
          if (t.equals("fails")) {
            throw new IllegalStateException("first call fails");
          }
        }
      } finally {
        returned.incrementAndGet();
      }
    })) {
      tasks.addAll(List.of("acks", "fails"), Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2);
      corrupt(bad);
      Map<String, String> before = dump();
      release.countDown();
      // the ack and the retry both fail (logged with the key), renewals too: nothing moves, for
      // longer than the 500 ms lease (the consumer keeps retrying its settlements meanwhile), so
      // the leases have run out when the key is fixed: a lease past its deadline is lost
      await().atMost(Duration.ofSeconds(10)).until(() -> returned.get() == 2);
      await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(8))
          .until(() -> dump().equals(before));
      fix(bad);
      // the leases run out and both are delivered again; the second calls succeed
      await().atMost(Duration.ofSeconds(30)).until(() -> returned.get() == 4
          && tasks.info().equals(new DebounceInfo(0, 0, 0, 0)));
      assertThat(calls.get("acks").get()).isEqualTo(2);
      assertThat(calls.get("fails").get()).isEqualTo(2);
      assertThat(c.handled()).isEqualTo(3);
      assertThat(tasks.deadLetters(1000)).isEmpty();
    }
  }

  /**
   * Waiting tasks w1-w3 (DEBOUNCE + maxWait, so they have first-add times; w1 failed once), l1-l2
   * leased by a consumer that died (lease long expired; l1 failed once), d1-d2 dead letters.
   */
  private void seed(DebounceTask<Object> tasks) {
    UnifiedJedis c = redis.client();
    tasks.addAll(List.of("w1", "w2", "w3"), Duration.ZERO);
    c.zadd(Family.PROCESSING.key(), Map.of("\"l1\"", 1.0, "\"l2\"", 1.0));
    c.hset(Family.LEASES.key(), Map.of("\"l1\"", "dead-consumer:1", "\"l2\"", "dead-consumer:1"));
    c.hset(Family.ATTEMPTS.key(), Map.of("\"l1\"", "1", "\"w1\"", "1"));
    c.hset(Family.DEAD.key(), Map.of("\"d1\"", "java.lang.IllegalStateException: boom",
        "\"d2\"", "java.lang.IllegalStateException: boom"));
    c.hset(Family.DEAD_INFO.key(), Map.of("\"d1\"", "5 1700000000.000000",
        "\"d2\"", "5 1700000000.000000"));
    for (Family f : Family.values()) {
      assertThat(c.type(f.key())).as("seeded %s", f.key()).isEqualTo(f.type);
    }
  }

  /** Parks the key's real content (if any) and puts a string there. */
  private void corrupt(Family bad) {
    if (redis.client().exists(bad.key())) {
      redis.client().rename(bad.key(), BACKUP);
    }
    redis.client().set(bad.key(), "oops");
  }

  /** Deletes the string and puts the real content (if any) back. */
  private void fix(Family bad) {
    redis.client().del(bad.key());
    if (redis.client().exists(BACKUP)) {
      redis.client().rename(BACKUP, bad.key());
    }
  }

  /** Type and content of every key of the family (and the parked backup). */
  private Map<String, String> dump() {
    List<String> keys = new ArrayList<>();
    for (Family f : Family.values()) {
      keys.add(f.key());
    }
    keys.add(BACKUP);
    return KeyDump.of(redis.client(), keys);
  }


  /** Requeues the dead letters and pops until every seeded task came out; returns them all. */
  private List<Object> drain(DebounceTask<Object> tasks) {
    tasks.requeueAllDeadLetters();
    List<Object> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      got.addAll(tasks.pop(100));
      return new HashSet<>(got).containsAll(ALL) && tasks.info().equals(new DebounceInfo(0, 0, 0, 0));
    });
    return got;
  }
}
