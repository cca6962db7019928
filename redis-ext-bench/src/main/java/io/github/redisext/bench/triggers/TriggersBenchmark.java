package io.github.redisext.bench.triggers;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.triggers.TriggersOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * Triggers figures: bulk set/s (setAll, batches of 10,000), single set/s, and the firing lag
 * (handler start minus due time) p50/p99 of 2,000 triggers due over 4 s while 10,000 and 100,000
 * other triggers are outstanding, next to the keyspace-event lag ({@code expired} event minus
 * due time) of the very same keys measured in the same run.
 */
public class TriggersBenchmark implements BenchScenario {
  private static final int MEASURED = 2_000;
  private static final long SPREAD_MS = 4_000;
  private static final Duration EVENT_WAIT = Duration.ofSeconds(40);

  @Override
  public String name() {
    return "triggers";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    Set<String> parts = Set.of(System.getProperty("bench.triggers.only", "bulk,single,lag")
        .split(","));
    try (UnifiedJedis client = ctx.newClient()) {
      if (parts.contains("bulk")) {
        bulkSet(ctx, client);
        client.flushAll();
      }
      if (parts.contains("single")) {
        singleSet(ctx, client);
        client.flushAll();
      }
      if (parts.contains("lag")) {
        for (int outstanding : new int[] {10_000, 100_000}) {
          ctx.quiesce();
          lag(ctx, client, outstanding);
          client.flushAll();
        }
      }
    }
  }

  /** CPU time used by this JVM so far, ns. */
  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time used by the redis-server so far (INFO cpu), ns. */
  private static long redisCpuNanos(UnifiedJedis client) {
    double s = 0;
    for (String line : client.info("cpu").split("\\r?\\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return (long) (s * 1e9);
  }

  /**
   * INFO commandstats as command to {calls, usec}; on Redis 7 the commands a script runs are
   * counted too, so a delta shows where a script's time goes.
   */
  private static Map<String, long[]> commandStats(UnifiedJedis client) {
    Map<String, long[]> m = new TreeMap<>();
    for (String line : client.info("commandstats").split("\\r?\\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      String name = line.substring("cmdstat_".length(), line.indexOf(':'));
      long calls = 0;
      long usec = 0;
      for (String f : line.substring(line.indexOf(':') + 1).split(",")) {
        if (f.startsWith("calls=")) {
          calls = Long.parseLong(f.substring(6));
        } else if (f.startsWith("usec=")) {
          usec = Long.parseLong(f.substring(5));
        }
      }
      m.put(name, new long[] {calls, usec});
    }
    return m;
  }

  private static List<String> ids(String prefix, int from, int to) {
    List<String> ids = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  private void bulkSet(BenchContext ctx, UnifiedJedis client) {
    int total = ctx.size(500_000);
    int batch = 10_000;
    try (ExpiryTriggers t = ExpiryTriggers.create(client, "bench")) {
      t.setAll("warm", ids("w", 0, batch), Duration.ofHours(1));
      Map<String, long[]> stats0 = commandStats(client);
      long redis0 = redisCpuNanos(client);
      long jvm0 = jvmCpuNanos();
      long t0 = System.nanoTime();
      for (int from = 0; from < total; from += batch) {
        t.setAll("job", ids("id-", from, Math.min(total, from + batch)), Duration.ofHours(1));
      }
      long elapsed = System.nanoTime() - t0;
      long jvm = jvmCpuNanos() - jvm0;
      long redis = redisCpuNanos(client) - redis0;
      Map<String, long[]> stats1 = commandStats(client);
      double perSecond = Stats.perSecond(total, elapsed);
      ctx.report("bulk set (setAll, batches of 10k, " + total + ")", perSecond, "trig/s",
          Ceilings.ZADD, ">= 100000 triggers/s");
      ctx.report("bulk set vs one EVALSHA per trigger", perSecond, "trig/s", Ceilings.EVALSHA,
          null);
      ctx.report("bulk set: redis-server CPU per trigger", redis / 1000.0 / total, "us", null,
          null);
      ctx.report("bulk set: client JVM CPU per trigger", jvm / 1000.0 / total, "us", null, null);
      long[] e0 = stats0.getOrDefault("evalsha", new long[2]);
      long[] e1 = stats1.getOrDefault("evalsha", new long[2]);
      ctx.report("bulk set: EVALSHA time per trigger (commandstats)",
          (e1[1] - e0[1]) / (double) total, "us", null, null);
      StringBuilder b = new StringBuilder("  commandstats during bulk set, per trigger:");
      for (Map.Entry<String, long[]> c : stats1.entrySet()) {
        long[] before = stats0.getOrDefault(c.getKey(), new long[2]);
        long calls = c.getValue()[0] - before[0];
        if (calls > 0) {
          b.append(String.format(" %s %.3f calls %.2f us;", c.getKey(), calls / (double) total,
              (c.getValue()[1] - before[1]) / (double) total));
        }
      }
      System.out.println(b);
    }
  }

  private void singleSet(BenchContext ctx, UnifiedJedis client) {
    int n = ctx.size(20_000);
    try (ExpiryTriggers t = ExpiryTriggers.create(client, "bench")) {
      for (int i = 0; i < 2_000; i++) {
        t.set("warm", "w" + i, Duration.ofHours(1));
      }
      long redis0 = redisCpuNanos(client);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        t.set("job", "s-" + i, Duration.ofHours(1));
      }
      long elapsed = System.nanoTime() - t0;
      long redis = redisCpuNanos(client) - redis0;
      ctx.report("set, one thread, one call each", Stats.perSecond(n, elapsed),
          "trig/s", Ceilings.ROUND_TRIP, null);
      ctx.report("set: redis-server CPU per call", redis / 1000.0 / n, "us", null, null);
    }
  }

  private void lag(BenchContext ctx, UnifiedJedis client, int outstanding) throws Exception {
    Map<String, Long> dueAt = new ConcurrentHashMap<>();
    Map<String, Long> firedLag = new ConcurrentHashMap<>();
    Map<String, Long> eventLag = new ConcurrentHashMap<>();
    TriggersOptions o = TriggersOptions.builder().concurrency(16).prefetch(200).build();
    try (ExpiryTriggers t = ExpiryTriggers.create(client, "lag", o);
        UnifiedJedis sub = ctx.newClient();
        RedisSubscriber events = RedisSubscriber.start(sub, "bench-keyspace-events",
            (ch, key) -> {
              Long d = dueAt.get(key);
              if (d != null) {
                eventLag.putIfAbsent(key, System.currentTimeMillis() - d);
              }
            }, "__keyevent@0__:expired")) {
      t.on("m", x -> firedLag.putIfAbsent(x.key(), System.currentTimeMillis()
          - x.dueAt().toEpochMilli())).start();
      for (int from = 0; from < outstanding; from += 10_000) {
        t.setAll("bg", ids("bg-", from, Math.min(outstanding, from + 10_000)), Duration.ofHours(1));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!events.isSubscribed() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      // MEASURED triggers due over SPREAD_MS, set in small groups as time goes on
      long start = System.currentTimeMillis();
      for (int i = 0; i < MEASURED; i++) {
        long due = t.set("m", "m-" + i, Duration.ofMillis(1_000 + SPREAD_MS * i / MEASURED))
            .toEpochMilli();
        dueAt.put(t.key("m", "m-" + i), due);
      }
      long waitUntil = start + 1_000 + SPREAD_MS + EVENT_WAIT.toMillis();
      while ((firedLag.size() < MEASURED || eventLag.size() < MEASURED)
          && System.currentTimeMillis() < waitUntil) {
        LockSupport.parkNanos(10_000_000);
      }
      report(ctx, "firing lag", outstanding, firedLag, "<= 50 ms p99 at 100k");
      report(ctx, "keyspace-event lag (same keys)", outstanding, eventLag, null);
      if (eventLag.size() < MEASURED) {
        ctx.report("keyspace events not yet arrived after " + EVENT_WAIT.toSeconds() + " s, "
            + outstanding + " outstanding", MEASURED - eventLag.size(), "keys", null, null);
      }
    }
  }

  private static void report(BenchContext ctx, String what, int outstanding, Map<String, Long> lags,
      String target) {
    long[] v = lags.values().stream().mapToLong(Long::longValue).sorted().toArray();
    if (v.length == 0) {
      ctx.report(what + " (" + outstanding + " outstanding): none arrived", 0, "ms", null, target);
      return;
    }
    String n = v.length < MEASURED ? ", " + v.length + "/" + MEASURED + " arrived" : "";
    ctx.report(what + " p50 (" + outstanding + " outstanding" + n + ")",
        Stats.percentile(v, 50), "ms", null, null);
    ctx.report(what + " p99 (" + outstanding + " outstanding" + n + ")",
        Stats.percentile(v, 99), "ms", null, target);
  }
}
