package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The largest sizes the worker allows (issue 11, item 1): a worker holding 10,001 tasks
 * ({@code prefetch} at its maximum) gives every unstarted one back on close (release.lua used to
 * {@code unpack} them all at once, which Lua refuses above about 8,000: the tasks were lost), and
 * {@code pushAll} of 100,000 tasks delivers every one.
 */
@RedisBackends
class WorkerBulkIT {
  private static final String KEY = "{jobs}";
  private static final Duration WAIT = Duration.ofMinutes(3);

  private final RedisBackend redis;
  private final UnifiedJedis c;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  WorkerBulkIT(RedisBackend redis) {
    this.redis = redis;
    this.c = redis.client();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static List<Job> jobs(int from, int to) {
    List<Job> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(new Job(i));
    }
    return out;
  }

  @Test
  void closeWithTheMaximumPrefetchGivesEveryUnstartedTaskBackAndLosesNone() throws Exception {
    int pushed = 10_500;
    WorkQueue<Job> q = WorkQueue.create(c, KEY, Job.class);
    q.pushAll(jobs(0, pushed));
    CountDownLatch release = new CountDownLatch(1);
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    TestWorker w = new TestWorker(c, KEY, WorkerOptions.builder().concurrency(1)
        .prefetch(WorkerOptions.MAX_PREFETCH).idleWait(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(30)).shutdownGrace(Duration.ofSeconds(30)).build(), j -> {
          handled.add(j.n());
          release.await(); // a slow handler: the first task runs until the worker is closing
        });
    toClose.add(w);
    w.startInBackground();
    // 1 running + 10,000 prefetched = concurrency + prefetch
    await().atMost(WAIT).until(() -> q.inFlightCount() == 1 + WorkerOptions.MAX_PREFETCH);
    assertThat(q.length()).isEqualTo(pushed - 1 - WorkerOptions.MAX_PREFETCH);
    Thread closer = new Thread(w::close);
    closer.start();
    // the 10,000 unstarted tasks go back to the head of the queue while the handler still runs
    await().atMost(WAIT).until(() -> q.length() == pushed - 1);
    release.countDown();
    closer.join(TimeUnit.MINUTES.toMillis(2));
    assertThat(closer.isAlive()).isFalse();

    assertThat(handled).hasSize(1);
    assertThat(w.stats().processed()).isEqualTo(1);
    assertThat(q.length()).isEqualTo(pushed - handled.size());
    assertThat(q.inFlightCount()).isZero();
    assertThat(q.deadLetterCount()).isZero();
    assertThat(c.zcard(KEY + ":workers")).isZero();
    // every unhandled task is in the queue exactly once, in push order
    List<String> left = c.lrange(KEY, 0, -1);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < pushed; i++) {
      if (!handled.contains(i)) {
        expected.add("{\"n\":" + i + "}");
      }
    }
    assertThat(left).containsExactlyElementsOf(expected);
  }

  @Test
  void pushAllOfOneHundredThousandTasksDeliversEveryOneExactlyOnce() {
    // jedis-mock's Lua is slow: 20,000 there, the full 100,000 on real servers
    int n = redis.kind() == BackendKind.MOCK ? 20_000 : 100_000;
    WorkQueue<Job> q = WorkQueue.create(c, KEY, Job.class);
    q.pushAll(jobs(0, n));
    assertThat(q.length()).isEqualTo(n);
    AtomicInteger calls = new AtomicInteger();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    TestWorker w = new TestWorker(c, KEY, WorkerOptions.builder().concurrency(4).prefetch(2_000)
        .idleWait(Duration.ofMillis(200)).build(), j -> {
          calls.incrementAndGet();
          seen.add(j.n());
        });
    toClose.add(w);
    w.startInBackground();
    await().atMost(WAIT).until(() -> seen.size() == n);
    w.close();
    assertThat(calls.get()).isEqualTo(n);
    Set<Integer> all = new HashSet<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    assertThat(seen).isEqualTo(all);
    assertThat(q.length()).isZero();
    assertThat(q.inFlightCount()).isZero();
    assertThat(q.deadLetterCount()).isZero();
  }
}
