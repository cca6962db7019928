package io.github.redisext.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The pickup-latency ceiling of this machine and server: what plain Jedis gets, in the same run,
 * for the path every consumer takes from an idle wait to a handler. One thread blocks in a
 * blocking read on its own connection, the sender writes one item carrying its {@code nanoTime},
 * and the reader hands the item to a second thread (the "handler") through a {@link
 * SynchronousQueue}; the latency is write-start to handler. Also measured: how late this
 * machine wakes a {@code Thread.sleep(1)} in the same period (scheduler noise no library can
 * beat).
 */
public final class PickupCeiling {
  /** The percentiles of one run, in microseconds. */
  public record Result(double p50, double p99, double sleepLatenessP99) {}

  private PickupCeiling() {}

  /** Raw {@code LPUSH} → {@code BLMOVE} → hand-off, {@code n} items one at a time. */
  public static Result list(HostAndPort redis, int n) throws Exception {
    String key = "{bench-raw-pickup}";
    String to = "{bench-raw-pickup}:claimed";
    try (Jedis sender = new Jedis(redis); Jedis reader = new Jedis(redis)) {
      sender.del(key, to);
      Result r = measure(n, sender, reader,
          (s, t) -> s.lpush(key, Long.toString(t)),
          rd -> {
            String v = rd.blmove(key, to, ListDirection.RIGHT, ListDirection.LEFT, 0.5);
            if (v != null) {
              rd.lpop(to);
            }
            return v == null ? null : Long.parseLong(v);
          });
      sender.del(key, to);
      return r;
    }
  }

  /** Raw {@code XADD} → {@code XREADGROUP BLOCK} → hand-off, {@code n} entries one at a time. */
  public static Result stream(HostAndPort redis, int n) throws Exception {
    String key = "{bench-raw-pickup}:x";
    try (Jedis sender = new Jedis(redis); Jedis reader = new Jedis(redis)) {
      sender.del(key);
      sender.xgroupCreate(key, "g", new StreamEntryID(0, 0), true);
      Result r = measure(n, sender, reader,
          (s, t) -> s.xadd(key, XAddParams.xAddParams(), Map.of("data", Long.toString(t))),
          rd -> {
            List<Map.Entry<String, List<StreamEntry>>> got = rd.xreadGroup("g", "c",
                XReadGroupParams.xReadGroupParams().count(10).block(500),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            if (got == null || got.isEmpty() || got.get(0).getValue().isEmpty()) {
              return null;
            }
            StreamEntry e = got.get(0).getValue().get(0);
            rd.xack(key, "g", e.getID());
            return Long.parseLong(e.getFields().get("data"));
          });
      sender.del(key);
      return r;
    }
  }

  private interface Send {
    void send(Jedis sender, long nanos);
  }

  private interface Read {
    Long read(Jedis reader);
  }

  private static Result measure(int n, Jedis sender, Jedis reader, Send send, Read read)
      throws Exception {
    SynchronousQueue<Long> handoff = new SynchronousQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread readerThread = new Thread(() -> {
      while (!stop.get()) {
        Long sent = read.read(reader);
        if (sent != null) {
          try {
            handoff.put(sent);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "bench-raw-pickup-reader");
    readerThread.setDaemon(true);
    readerThread.start();
    long[] lat = new long[n];
    long[] late = new long[n];
    try {
      for (int i = -50; i < n; i++) { // 50 warm-up items
        long before = System.nanoTime();
        Thread.sleep(1);
        long woke = System.nanoTime();
        send.send(sender, woke);
        Long sent = handoff.poll(10, TimeUnit.SECONDS);
        long now = System.nanoTime();
        if (sent == null) {
          throw new IllegalStateException("raw pickup: item " + i + " not read within 10 s");
        }
        if (i >= 0) {
          lat[i] = (now - sent) / 1000;
          late[i] = Math.max(0, (woke - before) / 1000 - 1000);
        }
      }
    } finally {
      stop.set(true);
      readerThread.join(2000);
    }
    return new Result(Stats.percentile(lat, 50), Stats.percentile(lat, 99),
        Stats.percentile(late, 99));
  }
}
