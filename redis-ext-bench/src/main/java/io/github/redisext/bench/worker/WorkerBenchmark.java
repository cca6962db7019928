package io.github.redisext.bench.worker;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.PickupCeiling;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * End-to-end throughput of small tasks (pipelined pushes, no-op handler, 8 handler threads,
 * at-least-once bookkeeping on) and the pickup latency of single tasks pushed into an idle queue.
 */
public final class WorkerBenchmark implements BenchScenario {
  /** Small task: a number and the nanoTime it was pushed at (same JVM). */
  record Tick(long n, long sentNanos) {}

  /** For the benchmark runner. */
  public WorkerBenchmark() {}

  @Override
  public String name() {
    return "worker";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    try (UnifiedJedis c = ctx.newClient()) {
      throughput(ctx, c);
      ctx.quiesce();
      latency(ctx, c);
    }
  }

  private void throughput(BenchContext ctx, UnifiedJedis c) throws Exception {
    int n = ctx.size(200_000);
    int rounds = ctx.quick() ? 1 : 3;
    WorkerOptions o = WorkerOptions.builder().concurrency(8).prefetch(2000)
        .idleWait(Duration.ofMillis(500)).build();
    double rate = endToEnd(c, "{bench-worker}", n, rounds, o);
    ctx.report("end-to-end tasks/s (" + n + " tasks, 8 handlers, median of " + rounds + ")",
        rate, "tasks/s", Ceilings.RPUSH_LPOP, ">= 0.6 x rpush+lpop");
  }

  /**
   * The median end-to-end rate of {@code rounds} rounds of {@code n} small tasks pushed in
   * batches of 1,000 and handled by a no-op handler under {@code options}, after a warm-up.
   */
  public static double endToEnd(UnifiedJedis c, String key, int n, int rounds,
      WorkerOptions options) throws Exception {
    AtomicLong done = new AtomicLong();
    WorkQueue<Tick> q = WorkQueue.create(c, key, Tick.class);
    double[] rates = new double[rounds];
    try (RedisWork<Tick> w = RedisWork.create(c, key, Tick.class, t -> done.incrementAndGet(),
        options)) {
      w.startInBackground();
      push(q, 0, Math.min(n, 20_000)); // warm-up
      waitFor(done, Math.min(n, 20_000));
      for (int r = 0; r < rounds; r++) {
        done.set(0);
        long t0 = System.nanoTime();
        push(q, 0, n);
        waitFor(done, n);
        rates[r] = Stats.perSecond(n, System.nanoTime() - t0);
      }
    }
    return Stats.median(rates);
  }

  private static void push(WorkQueue<Tick> q, int from, int to) {
    List<Tick> batch = new ArrayList<>(1000);
    for (int i = from; i < to; i++) {
      batch.add(new Tick(i, 0));
      if (batch.size() == 1000) {
        q.pushAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      q.pushAll(batch);
    }
  }

  private static void waitFor(AtomicLong done, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (done.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + done.get() + " of " + n + " tasks handled");
      }
      Thread.sleep(1);
    }
  }

  private void latency(BenchContext ctx, UnifiedJedis c) throws Exception {
    int n = ctx.size(2000);
    String key = "{bench-pickup}";
    SynchronousQueue<Long> picked = new SynchronousQueue<>();
    WorkQueue<Tick> q = WorkQueue.create(c, key, Tick.class);
    long[] micros = new long[n];
    try (RedisWork<Tick> w = RedisWork.create(c, key, Tick.class,
        t -> picked.put(System.nanoTime() - t.sentNanos()),
        WorkerOptions.builder().concurrency(8).build())) {
      w.startInBackground();
      for (int i = -50; i < n; i++) { // 50 warm-up tasks
        Thread.sleep(1); // the worker is idle, blocked in BLMOVE, when the task arrives
        q.push(new Tick(i, System.nanoTime()));
        Long ns = picked.poll(10, TimeUnit.SECONDS);
        if (ns == null) {
          throw new IllegalStateException("task " + i + " was not picked up within 10 s");
        }
        if (i >= 0) {
          micros[i] = ns / 1000;
        }
      }
    }
    ctx.report("pickup latency p50 (idle queue, push -> handle)", Stats.percentile(micros, 50)
        / 1000.0, "ms", null, null);
    ctx.report("pickup latency p99 (idle queue, push -> handle)", Stats.percentile(micros, 99)
        / 1000.0, "ms", null, "<= 2 ms");
    PickupCeiling.Result raw = PickupCeiling.list(ctx.nodes().iterator().next(), n);
    ctx.report("reference: raw LPUSH -> BLMOVE -> hand-off p50", raw.p50() / 1000.0, "ms", null,
        null);
    ctx.report("reference: raw LPUSH -> BLMOVE -> hand-off p99", raw.p99() / 1000.0, "ms", null,
        null);
    ctx.report("reference: Thread.sleep(1) lateness p99 (same period)",
        raw.sleepLatenessP99() / 1000.0, "ms", null, null);
  }
}
