package io.github.redisext.bench.uniqueid;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.uniqueid.UniqueId;
import io.github.redisext.uniqueid.UniqueIdOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.UnifiedJedis;

/**
 * UniqueId throughput: get-or-create per call (1 and 8 threads), in bulk, and sequence ids with
 * blocks of 1,000. Each figure is the median of three rounds.
 */
public class UniqueIdBenchmark implements BenchScenario {
  private static final int ROUNDS = 3;
  private static final int THREADS = 8;

  /** Used by the runner. */
  public UniqueIdBenchmark() {}

  @Override
  public String name() {
    return "uniqueid";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    try (UnifiedJedis client = ctx.newClient()) {
      int single = ctx.size(20_000);
      double[] fresh = new double[ROUNDS];
      double[] again = new double[ROUNDS];
      double[] multi = new double[ROUNDS];
      double[] perCall = new double[ROUNDS];
      double[] bulkNew = new double[ROUNDS];
      double[] bulkOld = new double[ROUNDS];
      double[] seqOne = new double[ROUNDS];
      double[] seqBlock1 = new double[ROUNDS];
      double[] seqBlock8 = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        UniqueId ids = UniqueId.create(client, "{bench" + r + "}");
        long t0 = System.nanoTime();
        for (int i = 0; i < single; i++) {
          ids.getOrCreate("n" + i);
        }
        fresh[r] = Stats.perSecond(single, System.nanoTime() - t0);
        t0 = System.nanoTime();
        for (int i = 0; i < single; i++) {
          ids.getOrCreate("n" + i);
        }
        again[r] = Stats.perSecond(single, System.nanoTime() - t0);

        // 8 threads, half new names and half existing ones, racing on the same names
        int perThread = ctx.size(10_000);
        long calls0 = ids.stats().mappingRoundTrips();
        multi[r] = threads(THREADS, perThread, t -> {
          for (int i = 0; i < perThread; i++) {
            ids.getOrCreate("m" + (i % 2 == 0 ? i : i - 1));
          }
        });
        perCall[r] = (double) THREADS * perThread / (ids.stats().mappingRoundTrips() - calls0);

        int batch = 1000;
        int bulkTotal = ctx.size(500_000);
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < bulkTotal / batch; b++) {
          List<String> names = new ArrayList<>(batch);
          for (int i = 0; i < batch; i++) {
            names.add("b" + b + ":" + i);
          }
          batches.add(names);
        }
        t0 = System.nanoTime();
        for (List<String> names : batches) {
          ids.getOrCreateAll(names);
        }
        bulkNew[r] = Stats.perSecond((long) batches.size() * batch, System.nanoTime() - t0);
        t0 = System.nanoTime();
        for (List<String> names : batches) {
          ids.getOrCreateAll(names);
        }
        bulkOld[r] = Stats.perSecond((long) batches.size() * batch, System.nanoTime() - t0);

        int n = ctx.size(20_000);
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          ids.next();
        }
        seqOne[r] = Stats.perSecond(n, System.nanoTime() - t0);

        UniqueId blocks = UniqueId.create(client, "{bench" + r + "}",
            UniqueIdOptions.builder().sequenceBlockSize(1000).build());
        int m = ctx.size(20_000_000);
        t0 = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < m; i++) {
          sink += blocks.next();
        }
        seqBlock1[r] = Stats.perSecond(m, System.nanoTime() - t0);
        if (sink == 42) {
          System.out.print("");
        }
        int mt = m / THREADS;
        seqBlock8[r] = threads(THREADS, mt, t -> {
          long s = 0;
          for (int i = 0; i < mt; i++) {
            s += blocks.next();
          }
          if (s == 42) {
            System.out.print("");
          }
        });
        client.del("{bench" + r + "}:auto", "{bench" + r + "}:seq");
      }
      ctx.report("getOrCreate, new names, 1 thread", Stats.median(fresh), "ops/s",
          Ceilings.ROUND_TRIP, null);
      ctx.report("getOrCreate, existing names, 1 thread", Stats.median(again), "ops/s",
          Ceilings.ROUND_TRIP, null);
      ctx.report("getOrCreate, 8 threads (half new)", Stats.median(multi), "ops/s",
          Ceilings.EVALSHA, null);
      ctx.report("getOrCreate, 8 threads: calls per script call", Stats.median(perCall), "calls",
          null, null);
      ctx.report("getOrCreateAll, new names, batches of 1000", Stats.median(bulkNew), "keys/s",
          Ceilings.EVALSHA, ">= 200000 keys/s");
      ctx.report("getOrCreateAll, existing names, batches of 1000", Stats.median(bulkOld),
          "keys/s", Ceilings.EVALSHA, ">= 200000 keys/s");
      ctx.report("next(), no blocks, 1 thread", Stats.median(seqOne), "ids/s",
          Ceilings.ROUND_TRIP, null);
      ctx.report("next(), blocks of 1000, 1 thread", Stats.median(seqBlock1), "ids/s",
          Ceilings.INCR, ">= 5000000 ids/s");
      ctx.report("next(), blocks of 1000, 8 threads", Stats.median(seqBlock8), "ids/s",
          Ceilings.INCR, ">= 5000000 ids/s");
      client.flushAll();
    }
  }

  /** Runs {@code body} on {@code n} threads started together; returns total ops/s. */
  private static double threads(int n, int opsPerThread, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n + 1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          start.await();
          body.run(id);
          return null;
        }));
      }
      start.await();
      long t0 = System.nanoTime();
      for (Future<?> f : fs) {
        f.get();
      }
      return Stats.perSecond((long) n * opsPerThread, System.nanoTime() - t0);
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface ThreadBody {
    void run(int thread) throws Exception;
  }
}
