package io.github.redisext.bench.timers;

import io.github.redisext.core.RedisClients;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.UnifiedJedis;

/**
 * One consumer JVM of the timers burst scenario ({@link TimersBenchmark}): fires "tick" timers
 * with a no-op handler and records each firing's lateness (the kernel's {@code DELIVERY_LAG}: its
 * handler start minus its due time on the timeline). Arguments: redis URI, child name, handlers,
 * prefetch, most timers it may fire. Publishes its count in {@code bench:burst:n:<name>}; when
 * {@code bench:burst:phase} becomes 2 it notes how many it had fired in {@code
 * bench:burst:split:<name>}; once {@code bench:burst:stop} is set it pushes its lateness values
 * (ms, in firing order) to {@code bench:burst:lat:<name>}, prints FLUSHED and exits.
 */
public final class BurstChild {
  private BurstChild() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String name = args[1];
    int handlers = Integer.parseInt(args[2]);
    int prefetch = Integer.parseInt(args[3]);
    int expected = Integer.parseInt(args[4]);
    long[] lags = new long[expected];
    AtomicInteger n = new AtomicInteger();
    MetricsListener lagRecorder = new MetricsListener() {
      @Override
      public void time(MetricSource source, Metric metric, long nanos) {
        if (metric == Metric.DELIVERY_LAG) {
          int i = n.getAndIncrement();
          if (i < lags.length) {
            lags[i] = nanos / 1_000_000;
          }
        }
      }
    };
    try (UnifiedJedis client = RedisClients.create(uri);
        Timers<Void> timers = Timers.builder(client, (Void) null)
            .include(new Router<Void>().handler("tick", TimersBenchmark.Tick.class, (p, c) -> { }))
            .options(TimersOptions.builder().concurrency(handlers).prefetch(prefetch)
                .metrics(lagRecorder).build()).build()) {
      timers.start();
      System.out.println("READY " + name);
      System.out.flush();
      boolean split = false;
      while (client.get("bench:burst:stop") == null) {
        if (!split && "2".equals(client.get("bench:burst:phase"))) {
          client.set("bench:burst:split:" + name, Integer.toString(Math.min(n.get(), expected)));
          split = true;
        }
        client.set("bench:burst:n:" + name, Integer.toString(Math.min(n.get(), expected)));
        Thread.sleep(20);
      }
      int count = Math.min(n.get(), expected);
      List<String> chunk = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        chunk.add(Long.toString(lags[i]));
        if (chunk.size() == 1000 || i == count - 1) {
          client.rpush("bench:burst:lat:" + name, chunk.toArray(new String[0]));
          chunk.clear();
        }
      }
      System.out.println("FLUSHED " + count);
      System.out.flush();
    }
    System.exit(0);
  }
}
