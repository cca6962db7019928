package io.github.redisext.bench.fastset;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.fastset.FastSet;
import io.github.redisext.fastset.FastSetOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * FastSet figures: cached {@code contains} on a 100,000-member set (1 and 2 threads), {@code add}
 * (one script per call) and bulk {@code addAll}, a full load, and the cross-instance visibility lag
 * with push invalidation.
 */
public class FastSetBenchmark implements BenchScenario {
  private static final String KEY = "{bench-fastset}";

  /** For {@code BenchRunner}. */
  public FastSetBenchmark() {}

  @Override
  public String name() {
    return "fastset";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    int n = ctx.size(100_000);
    FastSetOptions options = FastSetOptions.builder().refreshInterval(Duration.ofSeconds(60))
        .build();
    try (UnifiedJedis c1 = ctx.newClient(); UnifiedJedis c2 = ctx.newClient();
        FastSet<String> a = FastSet.create(c1, KEY, String.class, options)) {
      String[] members = new String[n];
      for (int i = 0; i < n; i++) {
        members[i] = "member-" + i;
      }
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += 1000) {
        a.addAll(List.of(members).subList(from, Math.min(n, from + 1000)));
      }
      ctx.report("addAll, batches of 1000 (members/s)", Stats.perSecond(n, System.nanoTime() - t0),
          "ops/s", Ceilings.EVALSHA, null);

      t0 = System.nanoTime();
      try (FastSet<String> loaded = FastSet.create(c2, KEY, String.class,
          FastSetOptions.builder().pushInvalidation(false).build())) {
        ctx.report("full load (SSCAN) of " + n + " members", (System.nanoTime() - t0) / 1e6, "ms",
            null, null);
        if (loaded.size() != n) {
          throw new IllegalStateException("loaded " + loaded.size() + " of " + n);
        }
      }

      long runNanos = ctx.quick() ? 300_000_000L : 2_000_000_000L;
      containsLoop(a, members, runNanos / 4); // warm-up
      ctx.report("contains, 1 thread, " + n + " members", containsRate(a, members, 1, runNanos),
          "ops/s", null, ">= 20,000,000 ops/s");
      ctx.report("contains, 1 thread, per CPU-second of the thread", containsPerCpuSecond(a,
          members, runNanos), "ops/s", null, null);
      ctx.report("contains, 2 threads, " + n + " members", containsRate(a, members, 2, runNanos),
          "ops/s", null, null);

      int adds = ctx.size(20_000);
      t0 = System.nanoTime();
      for (int i = 0; i < adds; i++) {
        a.add("added-" + i);
      }
      ctx.report("add, 1 thread (one script per call)", Stats.perSecond(adds,
          System.nanoTime() - t0), "ops/s", Ceilings.ROUND_TRIP, null);
      ctx.report("add, 4 threads", addRate(a, 4, adds), "ops/s", Ceilings.EVALSHA, null);

      try (FastSet<String> b = FastSet.create(c2, KEY, String.class, options)) {
        int samples = ctx.size(2_000);
        long[] lag = new long[samples];
        for (int i = 0; i < samples; i++) {
          String m = "lag-" + i;
          long start = System.nanoTime();
          a.add(m);
          long deadline = start + 5_000_000_000L;
          while (!b.contains(m)) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("instance b did not see " + m + " within 5 s");
            }
            Thread.onSpinWait();
          }
          lag[i] = System.nanoTime() - start;
        }
        ctx.report("visibility lag p50 (write call to seen by another instance)",
            Stats.percentile(lag, 50) / 1e3, "µs", null, null);
        ctx.report("visibility lag p99 (write call to seen by another instance)",
            Stats.percentile(lag, 99) / 1e3, "µs", null, "<= 10 ms (10,000 µs)");
        ctx.report("visibility lag max", Stats.percentile(lag, 100) / 1e3, "µs", null, null);
      }
      a.clear();
    }
  }

  private static long containsLoop(FastSet<String> set, String[] probes, long nanos) {
    long ops = 0;
    long hits = 0;
    long end = System.nanoTime() + nanos;
    int i = 0;
    while (true) {
      for (int k = 0; k < 4096; k++) {
        if (set.contains(probes[i])) {
          hits++;
        }
        if (++i == probes.length) {
          i = 0;
        }
      }
      ops += 4096;
      if (System.nanoTime() >= end) {
        break;
      }
    }
    if (hits != ops) {
      throw new IllegalStateException("contains missed " + (ops - hits) + " members");
    }
    return ops;
  }

  /** Ops per CPU-second of the measuring thread: what contains costs when it has a core. */
  private static double containsPerCpuSecond(FastSet<String> set, String[] probes, long nanos) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long ops = containsLoop(set, probes, nanos);
    return Stats.perSecond(ops, mx.getCurrentThreadCpuTime() - cpu0);
  }

  private static double containsRate(FastSet<String> set, String[] probes, int threads,
      long nanos) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> fs = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> containsLoop(set, probes, nanos)));
      }
      long ops = 0;
      for (Future<Long> f : fs) {
        ops += f.get();
      }
      return Stats.perSecond(ops, System.nanoTime() - t0);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double addRate(FastSet<String> set, int threads, int total) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicBoolean failed = new AtomicBoolean();
    try {
      List<Future<?>> fs = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < total / threads; i++) {
            if (!set.add("threaded-" + id + "-" + i)) {
              failed.set(true);
            }
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      if (failed.get()) {
        throw new IllegalStateException("an add of a new member returned false");
      }
      return Stats.perSecond((long) total / threads * threads, System.nanoTime() - t0);
    } finally {
      pool.shutdownNow();
    }
  }
}
