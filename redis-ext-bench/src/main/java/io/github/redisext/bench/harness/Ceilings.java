package io.github.redisext.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The raw-Redis ceilings every primitive is compared with: what plain Jedis gets from the same
 * server in the same run. Each figure is the median of several rounds, in operations per second.
 */
public final class Ceilings {
  /** Pipelined RPUSH then pipelined LPOP; items through the list per second. */
  public static final String RPUSH_LPOP = "rpush+lpop";
  /** Pipelined RPUSH alone, ops/s. */
  public static final String RPUSH = "rpush";
  /** Pipelined ZADD then pipelined ZPOPMIN; items through the sorted set per second. */
  public static final String ZADD_ZPOPMIN = "zadd+zpopmin";
  /** Pipelined ZADD alone, ops/s. */
  public static final String ZADD = "zadd";
  /** Pipelined ZPOPMIN alone, ops/s. */
  public static final String ZPOPMIN = "zpopmin";
  /** Pipelined INCR, ops/s. */
  public static final String INCR = "incr";
  /** Pipelined EVALSHA of a trivial script, ops/s. */
  public static final String EVALSHA = "evalsha";
  /** Unpipelined round trips (GET) from one thread, ops/s. */
  public static final String ROUND_TRIP = "round-trip";
  /** Pipelined PUBLISH of a small JSON message to a channel without subscribers (ops/s). */
  public static final String PUBLISH = "publish";

  /**
   * Raw Streams round trip: pipelined {@code XADD}s, then {@code XREADGROUP COUNT 1000} and one
   * {@code XACK} of the 1,000 ids read, per entry.
   */
  public static final String XADD_XREADGROUP_XACK = "xadd+xreadgroup+xack";
  private static final int BATCH = 1000;

  private Ceilings() {}

  /** Measures every ceiling with {@code n} operations per round and {@code rounds} rounds. */
  public static Map<String, Double> measure(UnifiedJedis c, int n, int rounds) {
    Map<String, double[]> samples = new LinkedHashMap<>();
    String sha = c.scriptLoad("return 1", "{bench}:s");
    for (int r = 0; r < rounds; r++) {
      c.del("{bench}:l", "{bench}:z", "{bench}:i");
      long push = pipelined(c, n, (p, i) -> p.rpush("{bench}:l", "task-" + i));
      long pop = pipelined(c, n, (p, i) -> p.lpop("{bench}:l"));
      add(samples, RPUSH, Stats.perSecond(n, push));
      add(samples, RPUSH_LPOP, Stats.perSecond(n, push + pop));
      long zadd = pipelined(c, n, (p, i) -> p.zadd("{bench}:z", i, "task-" + i));
      long zpop = pipelined(c, n, (p, i) -> p.zpopmin("{bench}:z"));
      add(samples, ZADD, Stats.perSecond(n, zadd));
      add(samples, ZPOPMIN, Stats.perSecond(n, zpop));
      add(samples, ZADD_ZPOPMIN, Stats.perSecond(n, zadd + zpop));
      add(samples, INCR, Stats.perSecond(n, pipelined(c, n, (p, i) -> p.incr("{bench}:i"))));
      add(samples, EVALSHA, Stats.perSecond(n, pipelined(c, n,
          (p, i) -> p.evalsha(sha, List.of("{bench}:s"), List.of()))));
      add(samples, XADD_XREADGROUP_XACK, Stats.perSecond(n, streamRoundTrip(c, n)));
      add(samples, PUBLISH, Stats.perSecond(n, pipelined(c, n, (p, i) -> p.publish(
          "{bench}:ch", "{\"event_id\": " + i + ", \"status\": \"PROCESSING\"}"))));
      int rt = Math.max(1, n / 10);
      long t0 = System.nanoTime();
      for (int i = 0; i < rt; i++) {
        c.get("{bench}:s");
      }
      add(samples, ROUND_TRIP, Stats.perSecond(rt, System.nanoTime() - t0));
    }
    c.del("{bench}:l", "{bench}:z", "{bench}:i", "{bench}:x");
    Map<String, Double> out = new LinkedHashMap<>();
    samples.forEach((k, v) -> out.put(k, Stats.median(v)));
    return out;
  }

  private static void add(Map<String, double[]> samples, String key, double v) {
    samples.merge(key, new double[] {v}, (a, b) -> {
      double[] x = java.util.Arrays.copyOf(a, a.length + 1);
      x[a.length] = b[0];
      return x;
    });
  }

  /** Runs {@code op} n times in pipelines of 1000 and returns the nanoseconds taken. */
  private static long pipelined(UnifiedJedis c, int n, PipelineOp op) {
    long t0 = System.nanoTime();
    for (int from = 0; from < n; from += BATCH) {
      try (AbstractPipeline p = c.pipelined()) {
        for (int i = from; i < Math.min(n, from + BATCH); i++) {
          op.apply(p, i);
        }
        p.sync();
      }
    }
    return System.nanoTime() - t0;
  }

  /** XADD n entries (pipelined), then read them in a group and ack them; nanoseconds taken. */
  private static long streamRoundTrip(UnifiedJedis c, int n) {
    String key = "{bench}:x";
    c.del(key);
    c.xgroupCreate(key, "g", new StreamEntryID(0, 0), true);
    long add = pipelined(c, n, (p, i) -> p.xadd(key, XAddParams.xAddParams(), Map.of("data", "{\"i\": " + i + "}")));
    long t0 = System.nanoTime();
    int read = 0;
    while (read < n) {
      List<Map.Entry<String, List<StreamEntry>>> r = c.xreadGroup("g",
          "c", XReadGroupParams.xReadGroupParams().count(BATCH),
          Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      if (r == null || r.isEmpty() || r.get(0).getValue().isEmpty()) {
        break;
      }
      List<StreamEntry> es = r.get(0).getValue();
      c.xack(key, "g", es.stream().map(StreamEntry::getID)
          .toArray(StreamEntryID[]::new));
      read += es.size();
    }
    return add + System.nanoTime() - t0;
  }

  @FunctionalInterface
  private interface PipelineOp {
    void apply(AbstractPipeline p, int i);
  }

}
