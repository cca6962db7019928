package io.github.redisext.bench.debounce;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.debounce.DebounceConsumer;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * DebounceTask throughput and latency: bulk adds (encoding included), pop-drain, the drain rate
 * of a consumer with a no-op handler (claim with a lease, handler, group-committed ack), and the lag
 * between a task's due time and its delivery through {@code await} with tasks coming due at
 * 1,000/s.
 */
public final class DebounceBenchmark implements BenchScenario {
  private static final String KEY = "{bench-debounce}";

  /** For the runner. */
  public DebounceBenchmark() {}

  @Override
  public String name() {
    return "debounce";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    try (UnifiedJedis client = ctx.newClient();
        DebounceTask<Object> tasks = DebounceTask.create(client, KEY, Object.class)) {
      throughput(ctx, tasks);
      consumeThroughput(ctx, client);
      ctx.quiesce();
      lag(ctx, tasks);
    }
  }

  private static Map<String, Object> task(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "bench");
    m.put("i", i);
    return m;
  }

  private void throughput(BenchContext ctx, DebounceTask<Object> tasks) {
    int n = ctx.size(200_000);
    int rounds = ctx.quick() ? 2 : 5;
    double[] adds = new double[rounds];
    double[] pops = new double[rounds];
    double[] both = new double[rounds];
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      tasks.clear();
      List<Object> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(task(r * n + i));
      }
      long t0 = System.nanoTime();
      int added = tasks.addAll(batch, Duration.ZERO);
      long t1 = System.nanoTime();
      long popped = 0;
      while (true) {
        int got = tasks.pop(1000).size();
        if (got == 0) {
          break;
        }
        popped += got;
      }
      long t2 = System.nanoTime();
      if (added != n || popped != n) {
        throw new IllegalStateException("added " + added + ", popped " + popped + " of " + n);
      }
      if (r >= 0) {
        adds[r] = Stats.perSecond(n, t1 - t0);
        pops[r] = Stats.perSecond(n, t2 - t1);
        both[r] = Stats.perSecond(n, t2 - t0);
      }
    }
    ctx.report("addAll tasks/s (encoding included)", Stats.median(adds), "tasks/s", Ceilings.ZADD,
        ">= 200000 tasks/s");
    ctx.report("pop(1000) drain tasks/s (decoding included)", Stats.median(pops), "tasks/s",
        Ceilings.ZPOPMIN, ">= 200000 tasks/s");
    ctx.report("addAll + pop tasks/s", Stats.median(both), "tasks/s", Ceilings.ZADD_ZPOPMIN, null);
  }

  /**
   * consume with a no-op handler draining tasks that are all due: claims of up to 1,000 (free
   * handlers + prefetch), acks group-committed by the kernel's settling thread.
   */
  private void consumeThroughput(BenchContext ctx, UnifiedJedis client) {
    int n = ctx.size(200_000);
    int rounds = ctx.quick() ? 2 : 3;
    double[] rates = new double[rounds];
    DebounceOptions opts = DebounceOptions.builder().concurrency(8).prefetch(2000).build();
    try (DebounceTask<Object> tasks = DebounceTask.create(client, KEY, Object.class, opts)) {
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        tasks.clear();
        List<Object> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(task(i));
        }
        tasks.addAll(batch, Duration.ZERO);
        long t0 = System.nanoTime();
        long t1;
        try (DebounceConsumer c = tasks.consume(o -> { })) {
          long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
          while (c.handled() < n && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
          }
          if (c.handled() < n) {
            throw new IllegalStateException("only " + c.handled() + " of " + n + " tasks handled");
          }
          // acknowledged too: nothing left leased
          while (tasks.info().processing() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
          }
          t1 = System.nanoTime();
        }
        if (r >= 0) {
          rates[r] = Stats.perSecond(n, t1 - t0);
        }
      }
    }
    ctx.report("consume drain tasks/s (no-op handler, concurrency 8, prefetch 2000)",
        Stats.median(rates), "tasks/s", Ceilings.ZADD_ZPOPMIN, ">= 200000 tasks/s");
  }

  private void lag(BenchContext ctx, DebounceTask<Object> tasks) throws Exception {
    int n = ctx.size(10_000);
    tasks.clear();
    long[] lags = new long[n];
    int[] received = {0};
    Thread consumer = new Thread(() -> {
      try {
        while (received[0] < n) {
          for (Object o : tasks.await(100, Duration.ofSeconds(5))) {
            lags[received[0]++] = currentMicros() - due(o);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-debounce-await");
    consumer.start();
    // the machine's own scheduling noise in the same period: a bare thread parking until 1 ms
    // slots and measuring how late it wakes (no Redis involved)
    long[] timer = new long[n];
    Thread probe = new Thread(() -> {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long slot = t0 + i * 1_000_000L;
        long wait = slot - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        timer[i] = Math.max(0, (System.nanoTime() - slot) / 1000);
      }
    }, "bench-debounce-timer-probe");
    probe.start();
    produce(tasks, n);
    consumer.join(TimeUnit.SECONDS.toMillis(60));
    probe.join(TimeUnit.SECONDS.toMillis(60));
    if (received[0] < n) {
      throw new IllegalStateException("only " + received[0] + " of " + n + " tasks delivered");
    }
    reportLag(ctx, "await", lags);
    double[] timerMs = new double[n];
    for (int i = 0; i < n; i++) {
      timerMs[i] = timer[i] / 1000.0;
    }
    ctx.report("reference: bare parkNanos lateness p99 (same period)",
        Stats.percentile(timerMs, 99), "ms", null, null);

    // the same through a consumer (claim with a lease, handler on the pool, ack)
    tasks.clear();
    long[] consumed = new long[n];
    java.util.concurrent.atomic.AtomicInteger got = new java.util.concurrent.atomic.AtomicInteger();
    try (DebounceConsumer c = tasks.consume(o -> {
      long lag = currentMicros() - due(o);
      consumed[got.getAndIncrement()] = lag;
    })) {
      produce(tasks, n);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (c.handled() < n && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000L);
      }
      if (c.handled() < n) {
        throw new IllegalStateException("only " + c.handled() + " of " + n + " tasks handled");
      }
    }
    reportLag(ctx, "consume", consumed);
  }

  private static void produce(DebounceTask<Object> tasks, int n) {
    long delayMicros = 50_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long slot = start + i * 1_000_000L;
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("seq", i);
      t.put("due", currentMicros() + delayMicros);
      tasks.add(t, Duration.ofNanos(delayMicros * 1000));
    }
  }

  @SuppressWarnings("unchecked")
  private static long due(Object task) {
    return ((Number) ((Map<String, Object>) task).get("due")).longValue();
  }

  private static void reportLag(BenchContext ctx, String how, long[] lagsMicros) {
    double[] ms = new double[lagsMicros.length];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = lagsMicros[i] / 1000.0;
    }
    ctx.report(how + " lag p50 (due -> delivered, 1000 tasks/s)", Stats.percentile(ms, 50), "ms",
        null, null);
    ctx.report(how + " lag p99 (due -> delivered, 1000 tasks/s)", Stats.percentile(ms, 99), "ms",
        null, "<= 20 ms");
    ctx.report(how + " lag max", Stats.percentile(ms, 100), "ms", null, null);
  }

  private static long currentMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }
}
