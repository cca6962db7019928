package io.github.redisext.bench.lock;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.timers.RedisLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.UnifiedJedis;

/**
 * RedisLock against Redisson's {@code RLock} on the same server in the same run: uncontended
 * lock+unlock pairs from one thread (median of three rounds), and 16 contenders on one lock holding
 * it 1–2 ms each time (acquisitions/s, and the time each {@code tryLock} waited: p50, p99, max).
 * Both locks renew with their watchdog ({@code RedisLock} with its default auto-renewal and a 30 s
 * lease, {@code RLock.lock()} / {@code tryLock(wait)} with Redisson's default 30 s watchdog). The
 * contended RedisLock run is made once with all contenders on one client and once spread over four
 * clients (as four processes would be: waiters queue within a client, heads race across clients).
 */
public class LockBenchmark implements BenchScenario {
  private static final int ROUNDS = 3;
  private static final int CONTENDERS = 16;
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Used by the runner. */
  public LockBenchmark() {}

  @Override
  public String name() {
    return "lock";
  }

  /** One contender's loop: acquire (timed), hold 1–2 ms, release. */
  private interface Contender {
    /** Tries to acquire within {@link #WAIT}; true when acquired. */
    boolean acquire() throws Exception;

    void release();

    /** Frees what the contender holds (its lock instance). */
    default void close() {}
  }

  private record Contention(double perSecond, long[] waitsNanos, long failures) {}

  @Override
  public void run(BenchContext ctx) throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress(ctx.uri());
    RedissonClient redisson = Redisson.create(config);
    try (UnifiedJedis client = ctx.newClient()) {
      int pairs = ctx.size(20_000);
      double[] ours = new double[ROUNDS];
      double[] theirs = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        try (RedisLock lock = RedisLock.create(client, "bench-lock-" + r)) {
          ours[r] = pairs(pairs, () -> {
            if (!lock.tryLock(WAIT, LEASE)) {
              throw new IllegalStateException("uncontended tryLock failed");
            }
            lock.unlock();
          });
        }
        RLock rlock = redisson.getLock("bench-rlock-" + r);
        theirs[r] = pairs(pairs, () -> {
          rlock.lock();
          rlock.unlock();
        });
      }
      double oursPairs = Stats.median(ours);
      double theirPairs = Stats.median(theirs);
      ctx.report("RedisLock tryLock+unlock pairs/s, 1 thread (median of " + ROUNDS + ")",
          oursPairs, "pairs/s", Ceilings.ROUND_TRIP, ">= 2 x Redisson");
      ctx.report("Redisson RLock lock+unlock pairs/s, 1 thread (median of " + ROUNDS + ")",
          theirPairs, "pairs/s", Ceilings.ROUND_TRIP, null);
      ctx.report("RedisLock / Redisson pairs/s", oursPairs / theirPairs, "x", null, ">= 2");

      Duration run = Duration.ofSeconds(ctx.quick() ? 3 : 10);
      List<UnifiedJedis> four = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          four.add(ctx.newClient());
        }
        ctx.quiesce();
        reportContention(ctx, "RedisLock, 1 client", contention(run, t -> {
          RedisLock l = RedisLock.create(client, "bench-contended");
          return redisLock(l);
        }), true);
        ctx.quiesce();
        reportContention(ctx, "RedisLock, 4 clients", contention(run, t -> {
          RedisLock l = RedisLock.create(four.get(t % 4), "bench-contended-4");
          return redisLock(l);
        }), false);
      } finally {
        for (UnifiedJedis c : four) {
          c.close();
        }
      }
      RLock shared = redisson.getLock("bench-rlock-contended");
      ctx.quiesce();
      reportContention(ctx, "Redisson RLock", contention(run, t -> new Contender() {
        @Override
        public boolean acquire() throws InterruptedException {
          return shared.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void release() {
          shared.unlock();
        }
      }), false);
    } finally {
      redisson.shutdown();
    }
  }

  private static Contender redisLock(RedisLock l) {
    return new Contender() {
      @Override
      public boolean acquire() {
        return l.tryLock(WAIT, LEASE);
      }

      @Override
      public void release() {
        l.unlock();
      }

      @Override
      public void close() {
        l.close();
      }
    };
  }

  private static void reportContention(BenchContext ctx, String what, Contention c,
      boolean targets) {
    String label = what + ", " + CONTENDERS + " contenders, 1-2 ms holds";
    ctx.report(label + ": acquisitions/s", c.perSecond(), "acq/s", null, null);
    ctx.report(label + ": wait p50", Stats.percentile(c.waitsNanos(), 50) / 1e6, "ms", null, null);
    ctx.report(label + ": wait p99", Stats.percentile(c.waitsNanos(), 99) / 1e6, "ms", null,
        targets ? "<= 50 ms" : null);
    ctx.report(label + ": wait max", Stats.percentile(c.waitsNanos(), 100) / 1e6, "ms", null,
        null);
    if (c.failures() > 0) {
      ctx.report(label + ": tryLock timed out", c.failures(), "calls", null, "0");
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static double pairs(int n, ThrowingRunnable pair) throws Exception {
    for (int i = 0; i < Math.min(1_000, n); i++) {
      pair.run(); // warm-up
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      pair.run();
    }
    return Stats.perSecond(n, System.nanoTime() - t0);
  }

  private interface ContenderFactory {
    Contender create(int thread);
  }

  private static Contention contention(Duration run, ContenderFactory factory) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
    CyclicBarrier start = new CyclicBarrier(CONTENDERS + 1);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<long[]>> futures = new ArrayList<>();
    long[] failures = new long[CONTENDERS];
    for (int t = 0; t < CONTENDERS; t++) {
      int thread = t;
      Contender c = factory.create(t);
      futures.add(pool.submit(() -> {
        long[] waits = new long[1024];
        int n = 0;
        start.await();
        while (!stop.get()) {
          long t0 = System.nanoTime();
          if (!c.acquire()) {
            failures[thread]++;
            continue;
          }
          long waited = System.nanoTime() - t0;
          if (n == waits.length) {
            waits = java.util.Arrays.copyOf(waits, n * 2);
          }
          waits[n++] = waited;
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 2_000_001));
          c.release();
        }
        c.close();
        return java.util.Arrays.copyOf(waits, n);
      }));
    }
    start.await();
    long t0 = System.nanoTime();
    Thread.sleep(run.toMillis());
    stop.set(true);
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      all.add(f.get(2, TimeUnit.MINUTES));
    }
    long elapsed = System.nanoTime() - t0;
    pool.shutdown();
    long[] waits = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    long failed = java.util.Arrays.stream(failures).sum();
    return new Contention(Stats.perSecond(waits.length, elapsed), waits, failed);
  }
}
