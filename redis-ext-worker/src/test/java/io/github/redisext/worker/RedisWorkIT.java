package io.github.redisext.worker;

import io.github.redisext.core.consumer.DeadLetter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.Backends;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

@RedisBackends
class RedisWorkIT {
  private static final String KEY = "{jobs}";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RedisBackend redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  RedisWorkIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static WorkerOptions.Builder quick() {
    return WorkerOptions.builder().idleWait(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(3)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(80))
        .shutdownGrace(Duration.ofSeconds(10));
  }

  private TestWorker worker(UnifiedJedis client, WorkerOptions o, TestWorker.Body body) {
    TestWorker w = new TestWorker(client, KEY, o, body);
    toClose.add(w);
    return w;
  }

  private TestWorker worker(WorkerOptions o, TestWorker.Body body) {
    return worker(redis.client(), o, body);
  }

  private WorkQueue<Job> queue() {
    return WorkQueue.create(redis.client(), KEY, Job.class);
  }

  private static List<Job> jobs(int from, int to) {
    List<Job> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new Job(i));
    }
    return out;
  }

  @Test
  void handlesTasksPushedByTheQueueAndByARawPythonStyleRpush() {
    Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
    TestWorker w = worker(quick().build(),
        j -> seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet());
    w.startInBackground();
    queue().push(new Job(0));
    queue().pushAll(jobs(1, 50));
    redis.client().rpush(KEY, "{\"n\": 50}", "{\"n\": 51}"); // what redis-py's json.dumps writes

    await().atMost(WAIT).until(() -> w.stats().processed() == 52);
    assertThat(seen).hasSize(52);
    assertThat(seen.values()).allMatch(c -> c.get() == 1);
    await().atMost(WAIT).until(() -> queue().inFlightCount() == 0);
    assertThat(queue().length()).isZero();
    assertThat(queue().deadLetterCount()).isZero();
    assertThat(w.stats()).isEqualTo(new WorkerStats(52, 0, 0, 0, 0));
  }

  @Test
  @SuppressWarnings("deprecation") // JedisCluster and a bare UnifiedJedis are what older code passes
  void worksWithAPlainUnifiedJedisToo() throws Exception {
    // neither RedisClient nor RedisClusterClient: the blocking wait goes through the client itself
    try (UnifiedJedis plain = redis.isCluster()
        ? new JedisCluster(redis.nodes(), Backends.clientConfig(redis.kind()))
        : new UnifiedJedis(new PooledConnectionProvider(redis.nodes().iterator().next(),
            Backends.clientConfig(redis.kind())), 3, Duration.ofSeconds(5))) {
      Set<Integer> seen = ConcurrentHashMap.newKeySet();
      TestWorker w = worker(plain, quick().build(), j -> seen.add(j.n()));
      w.startInBackground();
      await().atMost(WAIT).until(() -> plain.zcard(KEY + ":workers") == 1);
      WorkQueue.create(plain, KEY, Job.class).pushAll(jobs(0, 20));
      await().atMost(WAIT).until(() -> seen.size() == 20);
      w.close();
      assertThat(w.stats().processed()).isEqualTo(20);
    }
  }

  @Test
  void startBlocksUntilCloseIsCalledFromAHandler() throws Exception {
    AtomicReference<TestWorker> self = new AtomicReference<>();
    TestWorker w = worker(quick().build(), j -> {
      if (j.n() == 3) {
        self.get().close();
      }
    });
    self.set(w);
    queue().pushAll(jobs(0, 4));
    Thread t = new Thread(w::start);
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(t.isAlive()).isFalse();
    assertThat(w.isRunning()).isFalse();
    assertThat(w.stats().processed()).isEqualTo(4);
  }

  @Test
  void aSingleHandlerTakesTasksInPushOrder() {
    List<Integer> order = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().concurrency(1).build(), j -> order.add(j.n()));
    w.startInBackground();
    await().atMost(WAIT).until(() -> redis.client().zcard(KEY + ":workers") == 1);
    queue().pushAll(jobs(0, 30)); // the worker is idle, blocked in its wait, when they arrive
    await().atMost(WAIT).until(() -> order.size() == 30);
    if (redis.kind() == BackendKind.MOCK) {
      // jedis-mock has no BLMOVE: the BRPOPLPUSH fallback claims the list's tail first
      assertThat(order).containsExactlyInAnyOrderElementsOf(
          jobs(0, 30).stream().map(Job::n).toList());
    } else {
      assertThat(order).isEqualTo(jobs(0, 30).stream().map(Job::n).toList());
    }
  }

  @Test
  void neverRunsMoreHandlersAtOnceThanTheMaximum() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    TestWorker w = worker(quick().concurrency(3).prefetch(5).build(), j -> {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      Thread.sleep(15);
      now.decrementAndGet();
    });
    queue().pushAll(jobs(0, 60));
    w.startInBackground();
    await().atMost(WAIT).until(() -> w.stats().processed() == 60);
    assertThat(max.get()).isEqualTo(3);
  }

  @Test
  void fetchingPausesWhileEveryHandlerIsBusy() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    TestWorker w = worker(quick().concurrency(2).prefetch(1).build(), j -> {
      started.incrementAndGet();
      release.await();
    });
    queue().pushAll(jobs(0, 20));
    w.startInBackground();
    await().atMost(WAIT).until(() -> started.get() == 2);
    // 2 running + 1 prefetched are taken, the rest stays in the list
    await().atMost(WAIT).until(() -> queue().length() == 17);
    assertThat(queue().inFlightCount()).isEqualTo(3);
    assertThat(w.stats().inFlight()).isEqualTo(2);
    release.countDown();
    await().atMost(WAIT).until(() -> w.stats().processed() == 20);
  }

  @Test
  void stopOnFailureRethrowsTheHandlersExceptionFromStart() {
    IllegalStateException boom = new IllegalStateException("boom on 5");
    TestWorker w = worker(quick().concurrency(1).stopOnFailure(true).build(), j -> {
      if (j.n() == 5) {
        throw boom;
      }
    });
    queue().pushAll(jobs(0, 20));
    assertThatThrownBy(w::start).isInstanceOf(TaskFailedException.class).hasCause(boom)
        .hasMessageContaining("{jobs}").satisfies(e -> {
          assertThat(((TaskFailedException) e).attempt()).isEqualTo(1);
        });
    assertThat(w.isRunning()).isFalse();
    assertThat(w.failure()).isNotNull();
    assertThat(w.stats().processed()).isEqualTo(5);
    assertThat(w.stats().failed()).isEqualTo(1);
    // the failed task follows the retry policy, the rest was never taken or was given back
    assertThat(queue().delayedCount()).isEqualTo(1);
    assertThat(queue().length()).isEqualTo(14);
    assertThat(queue().inFlightCount()).isZero();
  }

  @Test
  void aFailingTaskIsRetriedWithBackoffThenDeadLettered() {
    AtomicInteger calls = new AtomicInteger();
    TestWorker w = worker(quick().maxAttempts(3).build(), j -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("bad job " + j.n());
    });
    w.startInBackground();
    queue().push(new Job(42));
    await().atMost(WAIT).until(() -> queue().deadLetterCount() == 1);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(w.stats()).isEqualTo(new WorkerStats(0, 3, 2, 1, 0));
    DeadLetter d = queue().deadLetters(10).get(0);
    assertThat(d.payload()).isEqualTo("{\"n\":42}");
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.error()).contains("IllegalArgumentException", "bad job 42");
    assertThat(d.consumer()).hasValue(w.workerId());
    assertThat(d.failedAt()).isBetween(java.time.Instant.now().minusSeconds(60),
        java.time.Instant.now().plusSeconds(60));
    assertThat(queue().inFlightCount()).isZero();
    assertThat(queue().delayedCount()).isZero();
  }

  @Test
  void aTaskThatFailsOnceSucceedsOnItsRetry() {
    AtomicInteger calls = new AtomicInteger();
    TestWorker w = worker(quick().build(), j -> {
      if (calls.incrementAndGet() == 1) {
        throw new java.io.IOException("transient");
      }
    });
    w.startInBackground();
    queue().push(new Job(1));
    await().atMost(WAIT).until(() -> w.stats().processed() == 1);
    assertThat(w.stats()).isEqualTo(new WorkerStats(1, 1, 1, 0, 0));
    assertThat(queue().deadLetterCount()).isZero();
  }

  @Test
  void deadLettersCanBeRequeuedAndPurged() {
    AtomicInteger mode = new AtomicInteger(); // 0 = fail everything, 1 = succeed
    List<Integer> done = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().maxAttempts(1).build(), j -> {
      if (mode.get() == 0) {
        throw new RuntimeException("down");
      }
      done.add(j.n());
    });
    w.startInBackground();
    queue().pushAll(jobs(0, 5));
    await().atMost(WAIT).until(() -> queue().deadLetterCount() == 5);
    assertThat(w.stats().retried()).isZero();
    List<DeadLetter> letters = queue().deadLetters(10);
    assertThat(letters).extracting(DeadLetter::attempts).containsOnly(1);
    assertThat(queue().purge(List.of(letters.get(0), letters.get(1)))).isEqualTo(2);
    assertThat(queue().purge(List.of(letters.get(0)))).isZero();
    mode.set(1);
    assertThat(queue().requeue(List.of(letters.get(2)))).isEqualTo(1);
    assertThat(queue().requeue(List.of(letters.get(2)))).isZero();
    await().atMost(WAIT).until(() -> done.size() == 1);
    assertThat(queue().requeueAllDeadLetters()).isEqualTo(2);
    await().atMost(WAIT).until(() -> done.size() == 3);
    assertThat(done).containsExactlyInAnyOrder(
        new Gson().fromJson(letters.get(2).payload(), Job.class).n(),
        new Gson().fromJson(letters.get(3).payload(), Job.class).n(),
        new Gson().fromJson(letters.get(4).payload(), Job.class).n());
    mode.set(0);
    queue().pushAll(jobs(10, 12));
    await().atMost(WAIT).until(() -> queue().deadLetterCount() == 2);
    assertThat(queue().purgeAllDeadLetters()).isEqualTo(2);
    assertThat(queue().deadLetterCount()).isZero();
  }

  @Test
  void anUndecodablePayloadIsDeadLetteredWithItsRawTextAndTheWorkerGoesOn() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().concurrency(1).build(), j -> done.add(j.n()));
    w.startInBackground();
    redis.client().rpush(KEY, "not json {", "{\"n\": \"seven\"}", "{\"n\": 8}");
    await().atMost(WAIT).until(() -> done.size() == 1 && queue().deadLetterCount() == 2);
    assertThat(done).containsExactly(8);
    List<DeadLetter> letters = queue().deadLetters(10);
    assertThat(letters).extracting(DeadLetter::payload)
        .containsExactly("not json {", "{\"n\": \"seven\"}");
    assertThat(letters).allSatisfy(d -> {
      assertThat(d.error()).startsWith("undecodable payload");
      assertThat(d.attempts()).isEqualTo(1);
    });
    assertThat(w.stats()).isEqualTo(new WorkerStats(1, 0, 0, 2, 0));
  }

  @Test
  void aWorkerMadeByCreateReportsItsMetricsUnderTheQueuesSource() {
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    Set<MetricSource> sources = ConcurrentHashMap.newKeySet();
    MetricsListener listener = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        sources.add(source);
        counts.computeIfAbsent(metric.name(), k -> new AtomicInteger()).addAndGet((int) amount);
      }
    };
    List<Integer> done = new CopyOnWriteArrayList<>();
    RedisWork<Job> w = RedisWork.create(redis.client(), KEY, Job.class, j -> done.add(j.n()),
        quick().metrics(listener).build());
    toClose.add(w);
    w.startInBackground();
    w.queue().push(new Job(1));
    w.queue().pushAll(jobs(2, 5));
    redis.client().rpush(KEY, "not json {");
    await().atMost(WAIT).until(() -> done.size() == 4 && queue().deadLetterCount() == 1);
    await().atMost(WAIT).until(() -> counts.containsKey("HANDLED")
        && counts.get("HANDLED").get() == 4);
    assertThat(counts.get("PUBLISHED").get()).isEqualTo(4);
    // the undecodable one is claimed (delivered) too, then set aside before any handler
    assertThat(counts.get("DELIVERED").get()).isEqualTo(5);
    assertThat(counts.get("DEAD_LETTERED").get()).isEqualTo(1);
    assertThat(sources).containsOnly(MetricSource.of("worker", KEY));
    w.close();
    assertThatThrownBy(w::startInBackground).isInstanceOf(IllegalStateException.class)
        .hasMessage("worker '" + KEY + "' is closed");
  }

  @Test
  void pushRejectsNullWithAClearMessage() {
    assertThatThrownBy(() -> queue().push(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("task");
    assertThatThrownBy(() -> queue().pushAll(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tasks");
    assertThatThrownBy(() -> queue().pushAll(Arrays.asList(new Job(1), null)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("element 1");
    assertThat(queue().length()).isZero(); // nothing of the bad batch was pushed
    assertThatThrownBy(() -> queue().deadLetters(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max");
  }

  @Test
  void anUntaggedNameIsTheListKeyAsGivenAndIsTaggedOnAClusterOnly() {
    // the one naming rule: "emails" is the Python layout on a standalone server; on a cluster it
    // becomes "{emails}" so every key of the queue shares one slot; "{emails}" is used as given
    String listKey = redis.isCluster() ? "{emails}" : "emails";
    WorkQueue<Job> q = WorkQueue.create(redis.client(), "emails", Job.class);
    assertThat(q.key()).isEqualTo(listKey);
    q.push(new Job(1));
    assertThat(redis.client().lrange(listKey, 0, -1)).containsExactly("{\"n\":1}");
    List<Integer> done = new CopyOnWriteArrayList<>();
    TestWorker w = new TestWorker(redis.client(), "emails", quick().build(), j -> done.add(j.n()));
    toClose.add(w);
    assertThat(w.key()).isEqualTo(listKey);
    w.startInBackground();
    await().atMost(WAIT).until(() -> done.size() == 1);
    if (redis.isCluster()) { // "emails" and "{emails}" name the same queue there
      WorkQueue.create(redis.client(), "{emails}", Job.class).push(new Job(2));
      await().atMost(WAIT).until(() -> done.size() == 2);
      assertThat(done).containsExactly(1, 2);
    } else { // the Python layout: "{emails}" is another list
      assertThat(WorkQueue.create(redis.client(), "{emails}", Job.class).key())
          .isEqualTo("{emails}");
      assertThat(done).containsExactly(1);
    }
    assertThat(redis.client().zcard(listKey + ":workers")).isEqualTo(1);
    assertThatThrownBy(() -> WorkQueue.create(redis.client(), " ", Job.class))
        .isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> WorkQueue.create(redis.client(), "a}b", Job.class))
        .isInstanceOf(KeyNameException.class);
  }

  @Test
  void closeWaitsForRunningHandlersAndGivesBackUnstartedTasks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> done = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().concurrency(2).prefetch(3).build(), j -> {
      release.await();
      done.add(j.n());
    });
    queue().pushAll(jobs(0, 10));
    w.startInBackground();
    await().atMost(WAIT).until(() -> w.stats().inFlight() == 2 && queue().length() == 5);
    Thread closer = new Thread(w::close);
    closer.start();
    // the 3 prefetched tasks go back to the head of the queue while the 2 handlers still run
    await().atMost(WAIT).until(() -> queue().length() == 8);
    assertThat(closer.isAlive()).isTrue();
    assertThat(redis.client().lrange(KEY, 0, 2)).containsExactly("{\"n\":2}", "{\"n\":3}",
        "{\"n\":4}");
    release.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(closer.isAlive()).isFalse();
    assertThat(done).containsExactlyInAnyOrder(0, 1);
    assertThat(w.stats().processed()).isEqualTo(2);
    assertThat(queue().inFlightCount()).isZero();
    assertThat(redis.client().zcard(KEY + ":workers")).isZero();
    assertThat(w.isRunning()).isFalse();
    // every thread of the worker ended (earlier tests' workers were closed after each test)
    await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("redis-ext-worker-")));
  }

  @Test
  void closeCutsALongBlockingFetchShort() throws Exception {
    TestWorker w = worker(quick().idleWait(Duration.ofSeconds(30)).build(), j -> { });
    w.startInBackground();
    queue().push(new Job(1));
    await().atMost(WAIT).until(() -> w.stats().processed() == 1);
    // now the fetcher waits in BLMOVE/BRPOPLPUSH for up to 30 s
    Thread closer = new Thread(w::close);
    closer.start();
    closer.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(closer.isAlive()).isFalse();
    assertThat(w.isRunning()).isFalse();
    // the worker still works for others: a task pushed now stays queued for the next worker
    queue().push(new Job(2));
    assertThat(queue().length()).isEqualTo(1);
  }

  @Test
  void aHandlerOutlastingTheGracePeriodIsInterruptedAndItsTaskRetried() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    TestWorker w = worker(quick().concurrency(1).shutdownGrace(Duration.ofMillis(200)).build(),
        j -> {
          entered.countDown();
          new CountDownLatch(1).await(); // hangs until close() interrupts it after the grace
        });
    queue().push(new Job(9));
    w.startInBackground();
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    w.close();
    assertThat(w.isRunning()).isFalse();
    assertThat(w.stats().failed()).isEqualTo(1);
    assertThat(queue().delayedCount()).isEqualTo(1);
    assertThat(queue().inFlightCount()).isZero();
  }

  @Test
  void twoWorkersShareTheLoadAndNoTaskIsHandledTwice() throws Exception {
    int n = 2000;
    Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
    AtomicInteger byA = new AtomicInteger();
    AtomicInteger byB = new AtomicInteger();
    try (UnifiedJedis other = redis.newClient()) {
      TestWorker a = worker(quick().prefetch(10).build(), j -> {
        seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet();
        byA.incrementAndGet();
        Thread.sleep(1);
      });
      TestWorker b = worker(other, quick().prefetch(10).build(), j -> {
        seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet();
        byB.incrementAndGet();
        Thread.sleep(1);
      });
      a.startInBackground();
      b.startInBackground();
      for (int i = 0; i < n; i += 100) {
        queue().pushAll(jobs(i, i + 100));
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> byA.get() + byB.get() >= n);
      a.close();
      b.close();
    }
    assertThat(seen).hasSize(n);
    assertThat(seen.values()).allMatch(c -> c.get() == 1);
    assertThat(byA.get() + byB.get()).isEqualTo(n);
    assertThat(byA.get()).isPositive();
    assertThat(byB.get()).isPositive();
    assertThat(queue().inFlightCount()).isZero();
  }

  @Test
  void aLongHandlerKeepsItsTaskBecauseItsLeaseIsRenewed() throws Exception {
    List<String> handledBy = new CopyOnWriteArrayList<>();
    WorkerOptions o = quick().lease(Duration.ofMillis(600)).concurrency(1).build();
    try (UnifiedJedis other = redis.newClient()) {
      CountDownLatch release = new CountDownLatch(1);
      TestWorker a = worker(o, j -> {
        handledBy.add("a");
        release.await(); // runs until the test has seen more than three leases pass
      });
      a.startInBackground();
      queue().push(new Job(1));
      await().atMost(WAIT).until(() -> handledBy.size() == 1);
      TestWorker b = worker(other, o, j -> handledBy.add("b"));
      b.startInBackground();
      // for more than three leases, b (alive and fetching) never gets the task a still handles
      await().during(Duration.ofMillis(2000)).atMost(WAIT.plus(Duration.ofMillis(2000)))
          .until(() -> handledBy.equals(List.of("a")));
      release.countDown();
      await().atMost(WAIT).until(() -> a.stats().processed() == 1);
      queue().push(new Job(2)); // b is alive and polling: this one may go to either
      await().atMost(WAIT).until(() -> a.stats().processed() + b.stats().processed() == 2);
      assertThat(handledBy).hasSize(2).startsWith("a");
      assertThat(b.stats().processed() + a.stats().processed()).isEqualTo(2);
    }
  }

  @Test
  void anInFlightTaskNoThreadKnowsOfIsGivenBack() {
    // what a fetch whose reply was lost to a connection failure leaves behind
    List<Integer> done = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().lease(Duration.ofMillis(600)).build(), j -> done.add(j.n()));
    w.startInBackground();
    await().atMost(WAIT).until(() -> redis.client().zcard(KEY + ":workers") == 1);
    redis.client().hset(KEY + ":inflight:" + w.workerId(), "999", "{\"n\":999}");
    await().atMost(WAIT).until(() -> done.contains(999));
    assertThat(done).containsExactly(999);
    await().atMost(WAIT).until(() -> queue().inFlightCount() == 0);
  }

  @Test
  void theTasksOfAWorkerWhoseLeaseExpiredAreRecoveredByALiveWorker() {
    // a "dead" worker: registered with a lease that ran out long ago, two tasks in flight and one
    // claimed by its blocking wait, exactly as fetch.lua and BLMOVE leave them
    UnifiedJedis c = redis.client();
    c.zadd(KEY + ":workers", 1, "dead-1");
    c.hset(KEY + ":inflight:dead-1", Map.of("7", "{\"n\":7}", "8", "{\"n\":8}"));
    c.hset(KEY + ":attempts", "8", "4");
    c.rpush(KEY + ":claim:dead-1", "{\"n\":9}");
    Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
    TestWorker w = worker(quick().maxAttempts(4).lease(Duration.ofMillis(600)).build(),
        j -> seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet());
    w.startInBackground();
    await().atMost(WAIT).until(() -> seen.size() == 2 && queue().deadLetterCount() == 1);
    assertThat(seen.keySet()).containsExactlyInAnyOrder(7, 9);
    DeadLetter d = queue().deadLetters(1).get(0);
    assertThat(d.payload()).isEqualTo("{\"n\":8}");
    assertThat(d.attempts()).isEqualTo(4);
    assertThat(d.error()).contains("dead-1", "expired");
    assertThat(c.exists(KEY + ":inflight:dead-1")).isFalse();
    assertThat(c.exists(KEY + ":claim:dead-1")).isFalse();
    assertThat(c.zscore(KEY + ":workers", "dead-1")).isNull();
    assertThat(w.stats().deadLettered()).isEqualTo(1);
  }
}
