package io.github.redisext.bench.timers;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.testing.ChildJvm;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.TimerHandler;
import io.github.redisext.timers.TimerRequest;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * Timers figures: bulk setTimers/s (also with a million pending), single setTimer/s, firing
 * throughput (one JVM, 64 no-op handlers, prefetch 1,000 and the default), the lateness of a
 * burst of 30,000 timers due within 3 s over 3 consumer JVMs of 16 handlers, and the lag between
 * due time and handler start at a sustained 5,000 timers/s. Options: {@code
 * -Dbench.burst.prefetch=N} (default 64), {@code -Dbench.timers.only=firing,burst}.
 */
public class TimersBenchmark implements BenchScenario {
  /** A payload carrying its intended due time in microseconds (local clock, same host). */
  public record Tick(long dueMicros) {}

  @Override
  public String name() {
    return "timers";
  }

  /** CPU time used by this JVM so far, ns. */
  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time used by the redis-server so far (INFO cpu), ns. */
  private static long redisCpuNanos(UnifiedJedis client) {
    double s = 0;
    for (String line : client.info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return (long) (s * 1e9);
  }

  private static long nowMicros() {
    Instant n = Instant.now();
    return n.getEpochSecond() * 1_000_000 + n.getNano() / 1000;
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    String only = System.getProperty("bench.timers.only", "bulk,single,firing,burst,lag");
    java.util.Set<String> parts = java.util.Set.of(only.split(","));
    try (UnifiedJedis client = ctx.newClient()) {
      if (parts.contains("bulk")) {
        bulkSet(ctx, client);
        client.flushAll();
      }
      if (parts.contains("single")) {
        singleSet(ctx, client);
        client.flushAll();
      }
      if (parts.contains("firing")) {
        int handlers = Integer.getInteger("bench.firing.handlers", 64);
        firing(ctx, client, handlers, 1000);
        client.flushAll();
        firing(ctx, client, handlers, TimersOptions.DEFAULT_PREFETCH);
        client.flushAll();
      }
      if (parts.contains("burst")) {
        burst(ctx, client);
        client.flushAll();
      }
      if (parts.contains("lag")) {
        ctx.quiesce();
        lag(ctx, client);
        client.flushAll();
      }
    }
  }

  private static Timers<Void> timers(UnifiedJedis client, TimersOptions o,
      TimerHandler<Tick, Void> h) {
    return Timers.builder(client, (Void) null)
        .include(new Router<Void>().handler("tick", Tick.class, h)).options(o).build();
  }

  private void bulkSet(BenchContext ctx, UnifiedJedis client) {
    int total = ctx.size(1_000_000);
    int batch = 10_000;
    try (Timers<Void> t = timers(client, TimersOptions.defaults(), (p, c) -> { })) {
      List<Double> rates = new ArrayList<>();
      long t0All = System.nanoTime();
      for (int from = 0; from < total; from += batch) {
        List<TimerRequest> reqs = new ArrayList<>(batch);
        for (int i = from; i < Math.min(total, from + batch); i++) {
          reqs.add(new TimerRequest("tick", "id-" + i, new Tick(i), Duration.ofHours(1)));
        }
        long t0 = System.nanoTime();
        t.setTimers(reqs);
        rates.add(Stats.perSecond(reqs.size(), System.nanoTime() - t0));
      }
      double overall = Stats.perSecond(total, System.nanoTime() - t0All);
      ctx.report("bulk setTimers (batches of 10k, to " + total + " pending)", overall,
          "timers/s", Ceilings.ZADD, ">= 100000 timers/s");
      double[] r = rates.stream().mapToDouble(Double::doubleValue).toArray();
      double[] last = java.util.Arrays.copyOfRange(r, Math.max(0, r.length - 10), r.length);
      ctx.report("bulk setTimers, last 100k (" + total + " pending)", Stats.median(last),
          "timers/s", Ceilings.ZADD, "O(log n): no drop with size");
      // a claim pass over a million pending timers (none due): O(log n)
      long t0 = System.nanoTime();
      int passes = 200;
      for (int i = 0; i < passes; i++) {
        t.handleReadyTimers();
      }
      ctx.report("empty claim pass with " + t.pendingCount() + " pending",
          (System.nanoTime() - t0) / 1e3 / passes, "us", null, null);
    }
  }

  private void singleSet(BenchContext ctx, UnifiedJedis client) {
    int n = ctx.size(20_000);
    try (Timers<Void> t = timers(client, TimersOptions.defaults(), (p, c) -> { })) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        t.setTimer("tick", "s-" + i, new Tick(i), Duration.ofHours(1));
      }
      ctx.report("setTimer, one thread, one call each", Stats.perSecond(n, System.nanoTime() - t0),
          "timers/s", Ceilings.ROUND_TRIP, null);
    }
  }

  private void firing(BenchContext ctx, UnifiedJedis client, int handlers, int prefetch)
      throws Exception {
    int n = ctx.size(100_000);
    AtomicLong done = new AtomicLong();
    TimersOptions o = TimersOptions.builder().concurrency(handlers).prefetch(prefetch).build();
    // warm-up (not measured): the same path for a fifth of the timers, so the figures below are
    // the steady state rather than the JIT compiling it
    AtomicLong warm = new AtomicLong();
    try (Timers<Void> t = timers(client, o, (p, c) -> warm.incrementAndGet())) {
      List<TimerRequest> reqs = new ArrayList<>(n / 5);
      for (int i = 0; i < n / 5; i++) {
        reqs.add(new TimerRequest("tick", "w-" + i, new Tick(i), Duration.ZERO));
      }
      t.setTimers(reqs);
      t.start();
      long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (warm.get() < n / 5 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
    }
    try (Timers<Void> t = timers(client, o, (p, c) -> done.incrementAndGet())) {
      List<TimerRequest> reqs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        reqs.add(new TimerRequest("tick", "f-" + i, new Tick(i), Duration.ZERO));
      }
      t.setTimers(reqs);
      long cpu0 = jvmCpuNanos();
      long rcpu0 = redisCpuNanos(client);
      long t0 = System.nanoTime();
      t.start();
      while (done.get() < n) {
        if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
          throw new IllegalStateException("firing did not finish: " + done.get() + "/" + n);
        }
        Thread.sleep(5);
      }
      String what = "firing (" + n + " due, 1 JVM, " + handlers + " handlers, prefetch " + prefetch
          + ")";
      ctx.report(what + " throughput", Stats.perSecond(n, System.nanoTime() - t0), "timers/s",
          Ceilings.EVALSHA, prefetch >= 1000 ? ">= 100000 timers/s" : null);
      ctx.report(what + ": JVM CPU per timer", (jvmCpuNanos() - cpu0) / 1e3 / n, "us", null,
          null);
      ctx.report(what + ": redis CPU per timer", (redisCpuNanos(client) - rcpu0) / 1e3 / n, "us",
          null, null);
    }
  }

  /**
   * A burst: 30,000 timers due within 3 s, fired by 3 consumer JVMs of 16 handlers each (no-op
   * handlers); lateness = handler start minus due time on the timeline, as each child's kernel
   * reports it ({@code DELIVERY_LAG}, ms resolution). Two bursts on the same children: the first
   * on freshly started JVMs (their JIT compiles the path while the burst runs), the second on
   * warm ones.
   */
  private void burst(BenchContext ctx, UnifiedJedis client) throws Exception {
    int n = 30_000; // the burst, also with --quick
    int jvms = 3;
    int handlers = 16;
    int prefetch = Integer.getInteger("bench.burst.prefetch", 64);
    List<ChildJvm> children = new ArrayList<>();
    useProjectClassPath();
    try (Timers<Void> producer = timers(client, TimersOptions.defaults(), (p, c) -> { })) {
      for (int j = 0; j < jvms; j++) {
        children.add(ChildJvm.start(BurstChild.class, ctx.uri(), "c" + j,
            Integer.toString(handlers), Integer.toString(prefetch), Integer.toString(2 * n)));
      }
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
      }
      long cpu0 = redisCpuNanos(client);
      double setMs1 = oneBurst(client, producer, n, "b1-", jvms, n);
      long rcpu = redisCpuNanos(client) - cpu0;
      client.set("bench:burst:phase", "2");
      Thread.sleep(200);
      double setMs2 = oneBurst(client, producer, n, "b2-", jvms, 2 * n);
      client.set("bench:burst:stop", "1");
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("FLUSHED"), Duration.ofSeconds(60));
      }
      List<Double> cold = new ArrayList<>();
      List<Double> warm = new ArrayList<>();
      for (int j = 0; j < jvms; j++) {
        List<String> raw = client.lrange("bench:burst:lat:c" + j, 0, -1);
        String sp = client.get("bench:burst:split:c" + j);
        int split = sp == null ? raw.size() : Integer.parseInt(sp);
        for (int i = 0; i < raw.size(); i++) {
          (i < split ? cold : warm).add(Double.parseDouble(raw.get(i)));
        }
        if (Boolean.getBoolean("bench.burst.trace")) {
          for (int from = 0; from < raw.size(); from += 1000) {
            double[] part = raw.subList(from, Math.min(raw.size(), from + 1000)).stream()
                .mapToDouble(Double::parseDouble).toArray();
            System.out.printf("    burst trace c%d [%d..]: p50 %.0f p99 %.0f max %.0f ms%n", j,
                from, Stats.percentile(part, 50), Stats.percentile(part, 99),
                Stats.percentile(part, 100));
          }
        }
      }
      String what = "burst " + n + " due in 3 s, " + jvms + " JVMs x " + handlers + " handlers"
          + " (prefetch " + prefetch + ")";
      report(ctx, what + ", fresh JVMs", cold, n);
      report(ctx, what + ", warm JVMs", warm, n);
      ctx.report(what + ": setTimers of one burst", (setMs1 + setMs2) / 2, "ms", null, null);
      ctx.report(what + ": redis CPU per timer (fresh)", rcpu / 1e3 / n, "us", null, null);
    } finally {
      for (ChildJvm c : children) {
        c.close();
      }
    }
  }

  private static void report(BenchContext ctx, String what, List<Double> lags, int n) {
    double[] ms = lags.stream().mapToDouble(Double::doubleValue).toArray();
    ctx.report(what + ": fired", ms.length, "timers", null, n + " timers");
    ctx.report(what + ": lateness p50", Stats.percentile(ms, 50), "ms", null, null);
    ctx.report(what + ": lateness p99", Stats.percentile(ms, 99), "ms", null, "<= 100 ms");
    ctx.report(what + ": lateness max", Stats.percentile(ms, 100), "ms", null, null);
  }

  /** Sets one burst (due from 1.5 s on, evenly over 3 s) and waits until the children fired it. */
  private static double oneBurst(UnifiedJedis client, Timers<Void> producer, int n, String prefix,
      int jvms, long firedTotal) throws InterruptedException {
    List<TimerRequest> reqs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reqs.add(new TimerRequest("tick", prefix + i, new Tick(i),
          Duration.ofMillis(1_500 + 3_000L * i / n)));
    }
    long t0 = System.nanoTime();
    producer.setTimers(reqs);
    double setMs = (System.nanoTime() - t0) / 1e6;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      long fired = 0;
      for (int j = 0; j < jvms; j++) {
        String v = client.get("bench:burst:n:c" + j);
        fired += v == null ? 0 : Long.parseLong(v);
      }
      if (fired >= firedTotal) {
        break;
      }
      Thread.sleep(50);
    }
    return setMs;
  }

  /**
   * Under {@code exec:java} the project's classes come from a class loader, not from {@code
   * java.class.path} (Maven's launcher): child JVMs need the loader's URLs.
   */
  private static void useProjectClassPath() {
    List<String> parts = new ArrayList<>();
    for (ClassLoader l = TimersBenchmark.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          try {
            parts.add(java.nio.file.Path.of(url.toURI()).toString());
          } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            // not a file: skip
          }
        }
      }
    }
    if (!parts.isEmpty()) {
      parts.add(System.getProperty("java.class.path"));
      System.setProperty("java.class.path", String.join(java.io.File.pathSeparator, parts));
    }
  }

  private void lag(BenchContext ctx, UnifiedJedis client) throws Exception {
    int rate = 5_000;
    int warmupSeconds = ctx.quick() ? 1 : 3;
    int seconds = ctx.quick() ? 3 : 15;
    int warmup = rate * warmupSeconds;
    int total = rate * seconds;
    long[] lags = new long[total];
    AtomicLong seen = new AtomicLong();
    TimersOptions o = TimersOptions.builder().concurrency(32).build();
    try (UnifiedJedis producerClient = ctx.newClient();
        Timers<Void> consumer = timers(client, o, (p, c) -> {
          long i = seen.getAndIncrement() - warmup;
          if (i >= 0 && i < lags.length) {
            lags[(int) i] = nowMicros() - p.dueMicros();
          }
        });
        Timers<Void> producer = timers(producerClient, o, (p, c) -> { })) {
      consumer.start();
      Duration delay = Duration.ofMillis(100);
      int perTick = 5; // 5 timers every millisecond
      long cpu0 = 0;
      long rcpu0 = 0;
      long start = System.nanoTime();
      long measureStart = start;
      int sent = 0;
      for (int tick = 0; sent < warmup + total; tick++) {
        if (sent == warmup) {
          // the first timers measured are due 100 ms later: CPU from here covers the same count
          cpu0 = jvmCpuNanos();
          rcpu0 = redisCpuNanos(client);
          measureStart = System.nanoTime();
        }
        long at = start + tick * 1_000_000L;
        long wait = at - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        List<TimerRequest> reqs = new ArrayList<>(perTick);
        long due = nowMicros() + delay.toNanos() / 1000;
        for (int k = 0; k < perTick && sent < warmup + total; k++, sent++) {
          reqs.add(new TimerRequest("tick", "l-" + sent, new Tick(due), delay));
        }
        producer.setTimers(reqs);
      }
      double achieved = Stats.perSecond(total, System.nanoTime() - measureStart);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen.get() < warmup + total && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long cpu = jvmCpuNanos() - cpu0;
      long rcpu = redisCpuNanos(client) - rcpu0;
      double[] ms = new double[(int) Math.max(0, Math.min(total, seen.get() - warmup))];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = lags[i] / 1000.0;
      }
      ctx.report("sustained set rate during the lag run (after " + warmupSeconds
          + " s warm-up)", achieved, "timers/s", null, "5000 timers/s");
      ctx.report("lag run: JVM CPU (producer+consumer) per timer", cpu / 1e3 / total, "us", null,
          null);
      ctx.report("lag run: redis-server CPU per timer", rcpu / 1e3 / total, "us", null, null);
      ctx.report("lag due->handler p50 @5k/s", Stats.percentile(ms, 50), "ms", null, null);
      ctx.report("lag due->handler p99 @5k/s", Stats.percentile(ms, 99), "ms", null, "<= 20 ms");
      ctx.report("lag due->handler max @5k/s", Stats.percentile(ms, 100), "ms", null, null);
      ctx.report("timers fired in the lag run", ms.length, "timers", null, total + " timers");
    }
  }
}
