package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.ServerTime;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.Tuple;

@RedisBackends
class DebounceTaskIT {
  private static final String KEY = "{jobs}";

  private final RedisBackend redis;
  private final List<DebounceTask<?>> opened = new ArrayList<>();

  DebounceTaskIT(RedisBackend redis) {
    this.redis = redis;
  }

  private <T> DebounceTask<T> open(Class<T> type, DebounceOptions options) {
    DebounceTask<T> t = DebounceTask.create(redis.client(), KEY, type, options);
    opened.add(t);
    return t;
  }

  private DebounceTask<Object> open() {
    return open(Object.class, DebounceOptions.defaults());
  }

  @AfterEach
  void closeAll() {
    opened.forEach(DebounceTask::close);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void deduplicatesByContentWhateverTheKeyOrderOfMaps() {
    DebounceTask<Object> tasks = open();
    assertThat(tasks.add(map("b", 1, "a", map("y", 2, "x", 3)))).isTrue();
    assertThat(tasks.add(map("a", map("x", 3, "y", 2), "b", 1))).isFalse();
    assertThat(tasks.has(map("a", map("y", 2, "x", 3), "b", 1))).isTrue();
    assertThat(tasks.pendingCount()).isEqualTo(1);
    assertThat(tasks.add(map("a", map("x", 3, "y", 2), "b", 2))).isTrue();
    assertThat(tasks.pendingCount()).isEqualTo(2);
  }

  @Test
  void writesThePythonMemberByteForByteAndScoresInEpochSeconds() {
    DebounceTask<Object> tasks = open();
    tasks.add(map("b", 1, "a", "é", "n", map("z", 1, "y", List.of(1.0, 1e10))), Duration.ofSeconds(5));
    List<Tuple> all = redis.client().zrangeWithScores(KEY, 0, -1);
    assertThat(all).hasSize(1);
    assertThat(all.get(0).getElement())
        .isEqualTo("{\"a\": \"é\", \"b\": 1, \"n\": {\"y\": [1.0, 10000000000.0], \"z\": 1}}");
    double now = ServerTime.now(redis.client(), KEY).toEpochMilli() / 1000.0;
    assertThat(all.get(0).getScore()).isBetween(now + 3, now + 5.001);
  }

  @Test
  void recognisesATaskAPythonProducerAdded() {
    DebounceTask<Object> tasks = open();
    redis.client().zadd(KEY, 0, "{\"i\": 1, \"kind\": \"bench\"}");
    assertThat(tasks.has(map("kind", "bench", "i", 1))).isTrue();
    assertThat(tasks.add(map("kind", "bench", "i", 1))).isFalse();
    assertThat(tasks.pop(10)).containsExactly(map("i", 1L, "kind", "bench"));
  }

  @Test
  void matchesMembersWrittenByPythonsJsonDumpsByteForByte() {
    // right column: json.dumps(task, ensure_ascii=False, sort_keys=isinstance(task, dict)) from
    // CPython 3, i.e. what DebounceInfoTask stores for the same task
    Map<String, Object> odd = map("emoji", "😀", "ctrl", "a\nb\t\"q\"\\", "del", "\u007f",
        "big", new java.math.BigInteger("1180591620717411303424"), "neg", -0.0, "t", true,
        "f", false, "none", null);
    List<Map.Entry<Object, String>> golden = List.of(
        Map.entry(map("kind", "bench", "i", 1), "{\"i\": 1, \"kind\": \"bench\"}"),
        Map.entry(map("b", 1, "a", "é", "n", map("z", 1, "y", List.of(1.0, 1e10, 1e16, 1.5e-5, 0.1))),
            "{\"a\": \"\u00e9\", \"b\": 1, \"n\": {\"y\": [1.0, 10000000000.0, 1e+16, 1.5e-05, 0.1], \"z\": 1}}"),
        Map.entry(odd, "{\"big\": 1180591620717411303424, \"ctrl\": \"a\\nb\\t\\\"q\\\"\\\\\", \"del\": \"\u007f\", \"emoji\": \"\ud83d\ude00\", \"f\": false, \"neg\": -0.0, \"none\": null, \"t\": true}"),
        Map.entry("plain string ü", "\"plain string \u00fc\""),
        Map.entry(Arrays.asList(1, "x", 2.5, Arrays.asList(true, null)), "[1, \"x\", 2.5, [true, null]]"),
        Map.entry(42, "42"),
        Map.entry(3.14, "3.14"));
    DebounceTask<Object> tasks = open();
    for (Map.Entry<Object, String> g : golden) {
      redis.client().del(KEY);
      assertThat(tasks.add(g.getKey(), Duration.ZERO)).isTrue();
      assertThat(redis.client().zrange(KEY, 0, -1)).as("member of %s", g.getKey())
          .containsExactly(g.getValue());
      // and a member a Python producer wrote is the same task for Java
      redis.client().del(KEY);
      redis.client().zadd(KEY, 1, g.getValue());
      assertThat(tasks.add(g.getKey(), Duration.ZERO)).as("re-add of %s", g.getValue()).isFalse();
      assertThat(tasks.pop(10)).hasSize(1);
    }
  }

  @Test
  void popsDueTasksInDueOrder() {
    DebounceTask<Object> tasks = open();
    tasks.add("late", Duration.ofMillis(300));
    tasks.add("early", Duration.ofMillis(100));
    tasks.add("middle", Duration.ofMillis(200));
    assertThat(tasks.pop(10)).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> tasks.info().overdue() == 3);
    assertThat(tasks.pop(10)).containsExactly("early", "middle", "late");
    assertThat(tasks.pendingCount()).isZero();
  }

  @Test
  void usesTheDefaultDelayUnlessACallNamesOne() {
    DebounceTask<Object> tasks = open(Object.class,
        DebounceOptions.builder().defaultDelay(Duration.ofHours(1)).build());
    tasks.add("later");
    tasks.add("now", Duration.ZERO);
    tasks.addAll(List.of("later-1", "later-2"));
    tasks.addAll(List.of("now-1", "now-2"), Duration.ZERO);
    assertThat(tasks.pop(10)).containsExactlyInAnyOrder("now", "now-1", "now-2");
    assertThat(tasks.pendingCount()).isEqualTo(3);
    assertThat(tasks.has("later")).isTrue();
  }

  @Test
  void popTakesAtMostCountTasks() {
    DebounceTask<Object> tasks = open();
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(map("i", i));
    }
    assertThat(tasks.addAll(many, Duration.ZERO)).isEqualTo(25);
    assertThat(tasks.pop(10)).hasSize(10);
    assertThat(tasks.pop(10)).hasSize(10);
    assertThat(tasks.pop()).hasSize(5);
    assertThat(tasks.pop(10)).isEmpty();
  }

  @Test
  void addAllCountsOnlyNewTasksUnderEveryPolicy() {
    List<DebounceOptions> policies = List.of(DebounceOptions.defaults(),
        DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE).build(),
        DebounceOptions.builder().duplicatePolicy(DuplicatePolicy.DEBOUNCE)
            .maxWait(Duration.ofMinutes(1)).build());
    for (DebounceOptions o : policies) {
      redis.client().del(KEY, KEY + ":first");
      DebounceTask<Object> tasks = open(Object.class, o);
      assertThat(tasks.addAll(List.of("a", "b", "a", map("k", 1)), Duration.ofHours(1)))
          .as("%s", o.duplicatePolicy()).isEqualTo(3);
      assertThat(tasks.addAll(List.of("b", "c", map("k", 1)), Duration.ofHours(1)))
          .as("%s", o.duplicatePolicy()).isEqualTo(1);
      assertThat(tasks.pendingCount()).isEqualTo(4);
      assertThat(tasks.addAll(List.of(), Duration.ZERO)).isZero();
      assertThat(tasks.stats().added()).isEqualTo(4);
    }
  }

  @Test
  void addAllOfMoreThanOneBatchIsPipelinedAndSurvivesAScriptFlush() {
    DebounceTask<Object> tasks = open();
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      many.add(i);
    }
    assertThat(tasks.addAll(many.subList(0, 12_000), Duration.ofHours(1))).isEqualTo(12_000);
    for (redis.clients.jedis.HostAndPort hp : redis.nodes()) {
      try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(hp,
          io.github.redisext.testing.Backends.clientConfig(redis.kind()))) {
        j.scriptFlush();
      }
    }
    assertThat(tasks.addAll(many, Duration.ofHours(1))).isEqualTo(13_000);
    assertThat(tasks.pendingCount()).isEqualTo(25_000);
  }

  @Test
  void infoCountsRemainingAndOverdueTasks() {
    DebounceTask<Object> tasks = open();
    tasks.addAll(List.of("a", "b", "c"), Duration.ZERO);
    tasks.addAll(List.of("d", "e"), Duration.ofHours(1));
    DebounceInfo info = tasks.info();
    assertThat(info.remaining()).isEqualTo(5);
    assertThat(info.overdue()).isEqualTo(3);
    assertThat(info.processing()).isZero();
    assertThat(info.deadLetters()).isZero();
  }

  @Test
  void stringsNumbersListsAndNestedMapsAreTasks() {
    DebounceTask<Object> tasks = open();
    List<Object> in = List.of("text", 42L, 1.5, List.of(1L, "x", List.of(true)),
        map("outer", map("inner", List.of(map("deep", "yes")))), "ünï©ødé ✓ 😀");
    for (Object o : in) {
      assertThat(tasks.add(o, Duration.ZERO)).as("add %s", o).isTrue();
    }
    for (Object o : in) {
      assertThat(tasks.add(o, Duration.ZERO)).as("re-add %s", o).isFalse();
    }
    assertThat(tasks.pop(100)).containsExactlyInAnyOrderElementsOf(in);
  }

  @Test
  void removeAndClearDeleteWaitingTasks() {
    DebounceTask<Object> tasks = open();
    tasks.addAll(List.of("a", "b", "c", "d"), Duration.ofHours(1));
    assertThat(tasks.remove("a")).isTrue();
    assertThat(tasks.remove("a")).isFalse();
    assertThat(tasks.removeAll(List.of("b", "c", "zz"))).isEqualTo(2);
    assertThat(tasks.has("d")).isTrue();
    tasks.clear();
    assertThat(tasks.pendingCount()).isZero();
    assertThat(tasks.has("d")).isFalse();
  }

  @Test
  void badInputIsRejectedNamingWhatWasWrong() {
    DebounceTask<Object> tasks = open();
    assertThatThrownBy(() -> tasks.add(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("task");
    assertThatThrownBy(() -> tasks.add("x", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
    assertThatThrownBy(() -> tasks.add("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("delay");
    assertThatThrownBy(() -> tasks.addAll(Arrays.asList("a", null), Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("element 1");
    assertThatThrownBy(() -> tasks.pop(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count");
    assertThatThrownBy(() -> DebounceTask.create(redis.client(), " ", Object.class))
        .isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> DebounceOptions.builder().maxWait(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxWait");
    assertThatThrownBy(() -> DebounceOptions.builder().defaultDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultDelay");
    assertThat(tasks.pendingCount()).isZero();
  }

  @Test
  void anUntaggedKeyWorksEverywhereThePythonLayoutOffAClusterTaggedOnOne() throws Exception {
    try (DebounceTask<Object> t = DebounceTask.create(redis.client(), "jobs", Object.class);
        DebounceTask<Object> tagged = DebounceTask.create(redis.client(), "{jobs}", Object.class)) {
      assertThat(t.add("x", Duration.ZERO)).isTrue();
      if (redis.isCluster()) {
        // core's naming rule: tagged on a cluster, so "jobs" and "{jobs}" are the same task set
        assertThat(t.key()).isEqualTo("{jobs}");
        assertThat(redis.client().zcard("{jobs}")).isEqualTo(1);
        assertThat(tagged.has("x")).isTrue();
      } else {
        assertThat(t.key()).isEqualTo("jobs"); // the Python layout, byte for byte
        assertThat(redis.client().zcard("jobs")).isEqualTo(1);
        assertThat(tagged.has("x")).isFalse();
      }
      // and the whole family works: a consumer leases, acks and dead-letters on it
      List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (DebounceConsumer c = t.consume(seen::add)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
      }
      assertThat(seen).containsExactly("x");
      assertThat(t.info().processing()).isZero();
    }
  }

  @Test
  void everyOperationAfterCloseThrowsIllegalStateExceptionNamingTheTask() {
    DebounceTask<Object> t = open();
    t.close();
    List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> ops = List.of(
        () -> t.add("x"), () -> t.add("x", Duration.ZERO), () -> t.addAll(List.of("x")),
        () -> t.addAll(List.of("x"), Duration.ZERO), () -> t.has("x"), () -> t.remove("x"),
        () -> t.removeAll(List.of("x")), () -> t.pop(1), t::pop,
        () -> t.await(1, Duration.ofMillis(10)), () -> t.consume(x -> { }), t::pendingCount,
        t::info, t::clear, () -> t.deadLetters(10), t::deadLetterCount,
        () -> t.requeue(List.of()), t::requeueAllDeadLetters, () -> t.purge(List.of()),
        t::purgeAllDeadLetters);
    for (var op : ops) {
      assertThatThrownBy(op).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("debounce task '" + KEY + "' is closed");
    }
    t.close(); // idempotent
  }

  record Point(int x, int y) {}

  @Test
  void anUndecodableMemberIsMovedAsideWithItsRawText() {
    DebounceTask<Point> tasks = open(Point.class, DebounceOptions.defaults());
    tasks.add(new Point(1, 2), Duration.ZERO);
    redis.client().zadd(KEY, 0, "not json {");
    redis.client().zadd(KEY, 1, "[1, 2]");
    assertThat(tasks.pop(10)).containsExactly(new Point(1, 2));
    assertThat(tasks.pendingCount()).isZero();
    assertThat(tasks.deadLetters(1000)).extracting(DeadLetter::payload)
        .containsExactlyInAnyOrder("not json {", "[1, 2]");
    assertThat(tasks.deadLetters(1000)).allSatisfy(d -> assertThat(d.error()).isNotBlank());
    assertThat(tasks.info().deadLetters()).isEqualTo(2);
    assertThat(tasks.stats().deadLettered()).isEqualTo(2);
    assertThat(tasks.deadLetterCount()).isEqualTo(2);
    assertThat(tasks.deadLetters(1)).hasSize(1);
    DeadLetter bad = tasks.deadLetters(1000).stream()
        .filter(d -> d.payload().equals("not json {")).findFirst().orElseThrow();
    assertThat(bad.id()).isEqualTo("not json {");
    assertThat(bad.rawPayload()).isEqualTo("not json {".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(bad.attempts()).isZero();
    assertThat(bad.failedAt()).isAfter(java.time.Instant.now().minusSeconds(600));
    assertThat(tasks.purge(List.of(bad, bad))).isEqualTo(1);
    assertThat(tasks.deadLetters(1000)).extracting(DeadLetter::payload).containsExactly("[1, 2]");
    assertThat(tasks.purgeAllDeadLetters()).isEqualTo(1);
    assertThat(tasks.deadLetterCount()).isZero();
  }

  @Test
  void awaitIsWokenByAnAddFromAnotherInstanceWithoutPolling() throws Exception {
    // no idle re-check for an hour: only the pub/sub wake-up and the due time can wake the waiter
    DebounceTask<Object> tasks = open(Object.class,
        DebounceOptions.builder().idleWait(Duration.ofHours(1)).build());
    tasks.add("far", Duration.ofHours(1));
    DebounceTask<Object> producer = open();
    var result = new java.util.concurrent.CompletableFuture<List<Object>>();
    Thread waiter = new Thread(() -> {
      try {
        result.complete(tasks.await(10, Duration.ofSeconds(30)));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    producer.add("wake", Duration.ofMillis(50));
    assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("wake");
    waiter.join();
  }

  @Test
  void awaitGivesUpAfterTheTimeoutWithNothingDue() throws Exception {
    DebounceTask<Object> tasks = open();
    tasks.add("far", Duration.ofHours(1));
    assertThat(tasks.await(10, Duration.ofMillis(200))).isEmpty();
    assertThat(tasks.pendingCount()).isEqualTo(1);
  }

  @Test
  void aConsumerHandlesTasksAndRetriesOneWhoseHandlerThrew() {
    DebounceTask<Object> tasks = open(Object.class,
        DebounceOptions.builder().retryBackoff(Duration.ofMillis(50), Duration.ofMinutes(1)).concurrency(2).build());
    List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
    try (DebounceConsumer c = tasks.consume(t -> {
      if ("flaky".equals(t) && failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("first try fails");
      }
      seen.add(t);
    })) {
      tasks.addAll(List.of("a", "b", "flaky"), Duration.ZERO);
      tasks.add("c", Duration.ofMillis(100));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 4);
      assertThat(seen).containsExactlyInAnyOrder("a", "b", "c", "flaky");
      assertThat(c.failed()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> c.handled() == 4);
      assertThat(tasks.info().processing()).isZero();
    }
    assertThat(tasks.pendingCount()).isZero();
  }

  @Test
  void closingLeavesNoThreadBehind() {
    DebounceTask<Object> tasks = open();
    DebounceConsumer c = tasks.consume(t -> { });
    tasks.add("x", Duration.ZERO);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.handled() == 1);
    tasks.close();
    assertThat(c.isRunning()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("redis-ext-debounce-")));
  }
}
