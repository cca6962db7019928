package io.github.redisext.bench.events;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.EventQueueOptions;
import io.github.redisext.events.Subscription;
import io.github.redisext.events.SubscriptionOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * EventQueue: single publish/s (one script per round trip), bulk publishAll/s (500 events per
 * script, pipelined) beside raw pipelined PUBLISH and the EVALSHA ceiling; end-to-end delivery
 * latency (publish at 1,000/s, pub/sub wake-up, claim, handler) against the event's created_at;
 * and the catch-up rate of a durable subscription after an outage during which events kept coming.
 * Beside them the server's main-thread CPU per event ({@code INFO cpu}) and, as a reference, the
 * same WIRE-FORMAT.md section 11 writes as raw pipelined commands without a script or checks.
 */
public final class EventsBenchmark implements BenchScenario {
  /** For the runner. */
  public EventsBenchmark() {}

  @Override
  public String name() {
    return "events";
  }

  private static EventQueueOptions options() {
    return EventQueueOptions.builder().prefix("{bench-events-" + UUID.randomUUID()
        .toString().substring(0, 8) + "}").eventTtl(Duration.ofSeconds(300)).build();
  }

  private static Map<String, Object> payload(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order_id", "ORD-" + i);
    m.put("amount", 99.5);
    return m;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void run(BenchContext ctx) throws Exception {
    try (UnifiedJedis client = ctx.newClient()) {
      Class<Map<String, Object>> type = (Class) Map.class;
      try (EventQueue<Map<String, Object>> q = EventQueue.create(client, "BenchEvent",
          io.github.redisext.core.JsonCodec.of(type, io.github.redisext.core.JsonStyle.PYTHON),
          options())) {
        publish(ctx, q, client);
        ctx.quiesce();
        latency(ctx, q);
      }
      try (EventQueue<Map<String, Object>> q = EventQueue.create(client, "BenchEvent",
          io.github.redisext.core.JsonCodec.of(type, io.github.redisext.core.JsonStyle.PYTHON),
          options())) {
        catchUp(ctx, q, client);
      }
    }
  }

  private void publish(BenchContext ctx, EventQueue<Map<String, Object>> q, UnifiedJedis client) {
    int single = ctx.size(20_000);
    for (int i = 0; i < Math.min(2000, single); i++) {
      q.publish(payload(i)); // warm-up
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < single; i++) {
      q.publish(payload(i));
    }
    ctx.report("publish() events/s (one script per round trip)",
        Stats.perSecond(single, System.nanoTime() - t0), "events/s", Ceilings.ROUND_TRIP, null);

    int n = ctx.size(200_000);
    int chunk = 10_000;
    int rounds = ctx.quick() ? 2 : 3;
    double[] rates = new double[rounds];
    double[] floor = new double[rounds];
    long scriptMicros = 0;
    double scriptCpu = 0;
    for (int r = -1; r < rounds; r++) {
      List<Map<String, Object>> batch = new ArrayList<>(chunk);
      for (int i = 0; i < chunk; i++) {
        batch.add(payload(i));
      }
      long u0 = evalshaMicros(client);
      double c0 = serverCpuSeconds(client);
      long s0 = System.nanoTime();
      for (int done = 0; done < n; done += chunk) {
        q.publishAll(batch);
      }
      long s1 = System.nanoTime();
      if (r >= 0) {
        rates[r] = Stats.perSecond(n, s1 - s0);
        scriptMicros += evalshaMicros(client) - u0;
        scriptCpu += serverCpuSeconds(client) - c0;
      }
    }
    double rawCpu = 0;
    for (int r = 0; r < rounds; r++) { // after the rounds above, so they write into the same data
      double c0 = serverCpuSeconds(client);
      floor[r] = rawLayoutWrites(client, n, chunk, r);
      rawCpu += serverCpuSeconds(client) - c0;
    }
    double bulk = Stats.median(rates);
    ctx.report("publishAll events/s (500 per script, pipelined)", bulk, "events/s",
        Ceilings.PUBLISH, ">= 100000 events/s");
    ctx.report("publishAll events/s vs one EVALSHA per event", bulk, "events/s",
        Ceilings.EVALSHA, null);
    ctx.report("publish script's Redis time per event (commandstats)",
        (double) scriptMicros / ((long) n * rounds), "us", null, null);
    ctx.report("publishAll: Redis main-thread CPU per event", scriptCpu * 1e6 / ((long) n * rounds),
        "us", null, null);
    ctx.report("reference: the same writes without a script (pipelined HSET+EXPIRE+ZADD+PUBLISH,"
        + " no checks)", Stats.median(floor), "events/s", Ceilings.PUBLISH, null);
    ctx.report("reference: Redis main-thread CPU per event of those raw writes",
        rawCpu * 1e6 / ((long) n * rounds), "us", null, null);
  }

  /** The server's main-thread CPU time so far (INFO cpu, user + system), seconds. */
  private static double serverCpuSeconds(UnifiedJedis client) {
    double t = 0;
    for (String line : client.info("cpu").split("\\r?\\n")) {
      if (line.startsWith("used_cpu_user_main_thread:")
          || line.startsWith("used_cpu_sys_main_thread:")) {
        t += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return t;
  }

  /** The evalsha line of INFO commandstats: total microseconds spent in scripts so far. */
  private static long evalshaMicros(UnifiedJedis client) {
    for (String line : client.info("commandstats").split("\\r?\\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
          if (part.startsWith("usec=")) {
            return Long.parseLong(part.substring(5));
          }
        }
      }
    }
    return 0;
  }

  /**
   * The floor of WIRE-FORMAT.md section 11's layout on this server: {@code n} events written as
   * raw pipelined commands (an HSET of the five fields and an EXPIRE per event, one ZADD per 500,
   * a PUBLISH per event) into keys of their own, without a script, a counter or any check;
   * events/s.
   */
  private static double rawLayoutWrites(UnifiedJedis client, int n, int chunk, int round) {
    String p = "{bench-events-raw-" + round + "}";
    String worker = UUID.randomUUID().toString();
    String created = "2026-12-02T06:40:12.123456+00:00";
    long s0 = System.nanoTime();
    long id = 0;
    for (int done = 0; done < n; done += chunk) {
      try (redis.clients.jedis.AbstractPipeline pl = client.pipelined()) {
        for (int k = 0; k < chunk; k += 500) {
          Map<String, Double> index = new java.util.HashMap<>();
          for (int i = 0; i < 500; i++) {
            id++;
            String key = p + ":events:BenchEvent:" + id;
            Map<String, String> h = new LinkedHashMap<>();
            h.put("id", Long.toString(id));
            h.put("payload", "{\"amount\": 99.5, \"order_id\": \"ORD-" + (k + i) + "\"}");
            h.put("status", "PROCESSING");
            h.put("created_at", created);
            h.put("worker_id", worker);
            pl.hset(key, h);
            pl.expire(key, 300);
            index.put(Long.toString(id), 1764657612.123456);
            pl.publish(p + ":channel:BenchEvent", "{\"event_id\": " + id
                + ", \"status\": \"PROCESSING\", \"worker_id\": \"" + worker + "\"}");
          }
          pl.zadd(p + ":index:BenchEvent", index);
        }
        pl.sync();
      }
    }
    return Stats.perSecond(n, System.nanoTime() - s0);
  }

  private void latency(BenchContext ctx, EventQueue<Map<String, Object>> q) {
    int n = ctx.size(10_000);
    double[] lags = new double[n];
    AtomicInteger got = new AtomicInteger();
    AtomicLong first = new AtomicLong(-1);
    try (Subscription s = q.subscribe("latency", e -> {
      Instant now = Instant.now();
      int i = got.getAndIncrement();
      if (i < n) {
        lags[i] = Duration.between(e.createdAt(), now).toNanos() / 1e6;
      }
    }, SubscriptionOptions.builder().build())) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long slot = t0 + i * 1_000_000L;
        long wait = slot - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        q.publish(payload(i));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (got.get() < n && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000L);
      }
      if (got.get() < n) {
        throw new IllegalStateException("only " + got.get() + " of " + n + " delivered");
      }
    }
    ctx.report("delivery latency p50 (publish 1,000/s -> handler)", Stats.percentile(lags, 50),
        "ms", null, null);
    ctx.report("delivery latency p99 (publish 1,000/s -> handler)", Stats.percentile(lags, 99),
        "ms", null, "<= 5 ms");
  }

  private void catchUp(BenchContext ctx, EventQueue<Map<String, Object>> q, UnifiedJedis client) {
    catchUp(ctx, q, client, "broadcast", SubscriptionOptions.builder().batchSize(1000).build());
    catchUp(ctx, q, client, "shared", SubscriptionOptions.builder().shared().batchSize(1000)
        .concurrency(4).prefetch(4).build());
  }

  private static long s0Position(EventQueue<Map<String, Object>> q, String name) {
    return q.searchSubscribers().stream().filter(i -> i.name().equals(name)).findFirst()
        .map(i -> i.position()).orElse(0L);
  }

  private void catchUp(BenchContext ctx, EventQueue<Map<String, Object>> q, UnifiedJedis client,
      String mode, SubscriptionOptions opts) {
    Duration outage = Duration.ofSeconds(ctx.quick() ? 2 : 10);
    int perSecond = 20_000;
    AtomicLong handled = new AtomicLong();
    String name = "catch-up-" + mode;
    q.subscribe(name, e -> handled.incrementAndGet(), opts).close();
    // the subscriber is down: events keep coming at 20,000/s for the whole outage
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < perSecond / 10; i++) {
      batch.add(payload(i));
    }
    long t0 = System.nanoTime();
    long published = 0;
    for (int tick = 0; tick < outage.toMillis() / 100; tick++) {
      long slot = t0 + tick * 100_000_000L;
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      published += q.publishAll(batch).size();
    }
    double c0 = serverCpuSeconds(client);
    long s0 = System.nanoTime();
    long base = s0Position(q, name);
    try (Subscription s = q.subscribe(name, e -> handled.incrementAndGet(), opts)) {
      long deadline = s0 + TimeUnit.SECONDS.toNanos(120);
      while (handled.get() < published && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000L);
      }
      while (s.info().position() < base + published && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000L);
      }
      long s1 = System.nanoTime();
      if (handled.get() < published) {
        throw new IllegalStateException("caught up " + handled.get() + " of " + published);
      }
      ctx.report(mode + " catch-up events/s after a " + outage.toSeconds() + " s outage ("
          + published + " events, batch 1000)", Stats.perSecond(published, s1 - s0), "events/s",
          Ceilings.ZPOPMIN, ">= 100000 events/s");
      ctx.report(mode + " catch-up: Redis main-thread CPU per event",
          (serverCpuSeconds(client) - c0) * 1e6 / published, "us", null, null);
    }
  }
}
