package io.github.redisext.bench.streams;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.PickupCeiling;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StartFrom;
import io.github.redisext.streams.StreamConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * RedisStream end to end: {@code addAll} of small entries and a consumer with a no-op handler
 * draining them (XREADGROUP, fenced group-committed acks), against the raw pipelined XADD →
 * XREADGROUP → XACK ceiling of the same run; and the pickup latency from {@code add} to the
 * handler with entries added one at a time at about 1,000/s.
 */
public final class StreamsBenchmark implements BenchScenario {
  private static final String NAME = "{bench-streams}";

  /** For the runner. */
  public StreamsBenchmark() {}

  @Override
  public String name() {
    return "streams";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    try (UnifiedJedis client = ctx.newClient()) {
      endToEnd(ctx, client);
      ctx.quiesce();
      pickup(ctx, client);
    }
  }

  private static void endToEnd(BenchContext ctx, UnifiedJedis client) {
    int n = ctx.size(200_000);
    int rounds = ctx.quick() ? 2 : 3;
    double[] rates = new double[rounds];
    double[] drains = new double[rounds];
    List<Map<String, Object>> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(Map.of("i", i));
    }
    @SuppressWarnings("unchecked")
    Class<Map<String, Object>> type = (Class<Map<String, Object>>) (Class<?>) Map.class;
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      try (RedisStream<Map<String, Object>> s = RedisStream.create(client, NAME, type)) {
        s.clear();
        long t0 = System.nanoTime();
        s.addAll(batch);
        long t1 = System.nanoTime();
        AtomicInteger handled = new AtomicInteger();
        long t2;
        try (StreamConsumer c = s.process(ProcessOptions.builder("bench")
            .startFrom(StartFrom.OLDEST).concurrency(8).prefetch(2000).build(),
            d -> handled.incrementAndGet())) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          while ((handled.get() < n || s.groups().get(0).pending() > 0)
              && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
          }
          t2 = System.nanoTime();
          if (handled.get() < n) {
            throw new IllegalStateException("only " + handled.get() + " of " + n + " handled");
          }
        }
        if (r >= 0) {
          rates[r] = Stats.perSecond(n, t2 - t0);
          drains[r] = Stats.perSecond(n, t2 - t1);
        }
      }
    }
    ctx.report("addAll + process drain msgs/s (no-op handler, acked)", Stats.median(rates),
        "msgs/s", Ceilings.XADD_XREADGROUP_XACK, ">= 150000 msgs/s and >= 0.5 x ceiling");
    ctx.report("process drain msgs/s (entries already added)", Stats.median(drains), "msgs/s",
        Ceilings.XADD_XREADGROUP_XACK, null);
  }

  private static void pickup(BenchContext ctx, UnifiedJedis client) throws Exception {
    int n = ctx.size(10_000);
    long[] lat = new long[n];
    long[] late = new long[n];
    AtomicInteger got = new AtomicInteger();
    try (RedisStream<Long> s = RedisStream.create(client, NAME, Long.class)) {
      s.clear();
      try (StreamConsumer c = s.process(ProcessOptions.builder("pickup")
          .startFrom(StartFrom.OLDEST).concurrency(4).build(), d -> {
            long now = System.nanoTime();
            int k = got.getAndIncrement();
            if (k < n) {
              lat[k] = now - d.value();
            }
          })) {
        for (int i = 0; i < 200; i++) { // warm-up, not measured
          s.add(System.nanoTime());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.get() < 200 && System.nanoTime() < deadline) {
          LockSupport.parkNanos(1_000_000L);
        }
        got.set(0);
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
          next += 1_000_000L; // about 1,000 entries/s
          LockSupport.parkNanos(next - System.nanoTime());
          long now = System.nanoTime();
          late[i] = Math.max(0, now - next) / 1000;
          s.add(now);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.get() < n && System.nanoTime() < deadline) {
          LockSupport.parkNanos(1_000_000L);
        }
      }
    }
    int m = Math.min(n, got.get());
    long[] us = new long[m];
    for (int i = 0; i < m; i++) {
      us[i] = lat[i] / 1000;
    }
    ctx.report("pickup latency p50 (add -> handler)", Stats.percentile(us, 50), "us", null, null);
    ctx.report("pickup latency p99 (add -> handler)", Stats.percentile(us, 99), "us", null,
        "<= 2000 us");
    ctx.report("pickup latency p99.9 (add -> handler)", Stats.percentile(us, 99.9), "us", null,
        null);
    ctx.report("reference: the producer's parkNanos lateness p99 (same period)",
        Stats.percentile(late, 99), "us", null, null);
    PickupCeiling.Result raw = PickupCeiling.stream(ctx.nodes().iterator().next(),
        Math.min(n, 2000));
    ctx.report("reference: raw XADD -> XREADGROUP BLOCK -> hand-off p50", raw.p50(), "us", null,
        null);
    ctx.report("reference: raw XADD -> XREADGROUP BLOCK -> hand-off p99", raw.p99(), "us", null,
        null);
    ctx.report("reference: Thread.sleep(1) lateness p99 (same period)", raw.sleepLatenessP99(),
        "us", null, null);
  }
}
