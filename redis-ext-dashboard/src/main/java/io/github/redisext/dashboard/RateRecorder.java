package io.github.redisext.dashboard;

import io.github.redisext.core.metrics.ClientMetrics;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.dashboard.internal.RateStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Records how many items every consumer on a client processed and failed, per minute, in Redis,
 * for the dashboard's rate charts. It is a {@link MetricsListener} bound to the client ({@link
 * ClientMetrics#bind}): every worker, debounce consumer and timers instance built on that client
 * (before or after) is counted, in memory ({@code LongAdder}s, no Redis call per item), and the
 * counts are flushed every {@link #DEFAULT_FLUSH} by one script call per primitive that did
 * something (nothing is written while idle). It is a {@linkplain MetricsListener#countsOnly()
 * counts-only} listener: while it is the only one bound, the consumers skip the clock reads of
 * their timings.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * RateRecorder rates = RateRecorder.start(redis);   // once, in each application that consumes
 * ...
 * rates.close();                                     // flushes what is left and unbinds
 * }</pre>
 *
 * <p><b>Keys.</b> {@code redis-ext:rates:<kind>:<name>}: a hash of {@code <epoch minute>:p}
 * (processed: {@code HANDLED}) and {@code <epoch minute>:f} (failed deliveries: {@code FAILED})
 * counts, the minute of the Redis server's clock, trimmed to two weeks by the same script (at most
 * 40,320 fields). On a cluster the key carries the primitive's name, so a tagged name keeps its
 * rates in its own slot. A flush that fails keeps its counts for the next one.
 */
public final class RateRecorder implements AutoCloseable {
  /** Default interval between flushes: 5 s. */
  public static final Duration DEFAULT_FLUSH = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(RateRecorder.class);

  private final RateStore store;
  private final Map<MetricSourceKey, Counts> counts = new ConcurrentHashMap<>();
  private final ClientMetrics.Binding binding;
  private final ScheduledExecutorService flusher;
  private final Duration every;
  private volatile boolean closed;
  private long lastWarning;

  private record MetricSourceKey(String kind, String name) {}

  /** The counts of the source reported last: primitives reuse their source object. */
  private record Last(MetricSource source, Counts counts) {}

  private volatile Last last;

  private static final class Counts {
    final LongAdder processed = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  private RateRecorder(UnifiedJedis client, Duration every) {
    this.store = new RateStore(client);
    this.every = every;
    this.flusher = Executors.newSingleThreadScheduledExecutor(
        NamedThreads.factory("redis-ext-dashboard-rates", true));
    this.binding = ClientMetrics.bind(client, new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        if (metric == Metric.HANDLED || metric == Metric.FAILED) {
          Last l = last;
          Counts c;
          if (l != null && l.source() == source) {
            c = l.counts(); // the common case: no lookup, no allocation
          } else {
            c = counts.computeIfAbsent(new MetricSourceKey(source.primitive(), source.name()),
                k -> new Counts());
            last = new Last(source, c);
          }
          (metric == Metric.HANDLED ? c.processed : c.failed).add(amount);
        }
      }

      /** Only HANDLED and FAILED counts: the primitives skip their clock reads for it. */
      @Override
      public boolean countsOnly() {
        return true;
      }

      @Override
      public String toString() {
        return "RateRecorder";
      }
    });
    flusher.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts recording the consumers on {@code client}, flushing every {@link #DEFAULT_FLUSH}.
   *
   * @throws NullPointerException if {@code client} is null
   */
  public static RateRecorder start(UnifiedJedis client) {
    return start(client, DEFAULT_FLUSH);
  }

  /**
   * Starts recording, flushing every {@code every} (100 ms .. 1 min).
   *
   * @throws IllegalArgumentException if {@code every} is out of range
   */
  public static RateRecorder start(UnifiedJedis client, Duration every) {
    Args.notNull(client, "client");
    Args.notNull(every, "every");
    if (every.toMillis() < 100 || every.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("every must be in 100ms..1m, was " + every);
    }
    return new RateRecorder(client, every);
  }

  /**
   * Writes the counts gathered so far now (the background flush does it every interval).
   *
   * @throws IllegalStateException if closed
   * @throws RuntimeException what Redis throws (the counts are kept for the next flush)
   */
  public void flush() {
    if (closed) {
      throw new IllegalStateException("rate recorder is closed");
    }
    doFlush();
  }

  private synchronized void doFlush() {
    RuntimeException first = null;
    for (Map.Entry<MetricSourceKey, Counts> e : counts.entrySet()) {
      long p = e.getValue().processed.sumThenReset();
      long f = e.getValue().failed.sumThenReset();
      if (p == 0 && f == 0) {
        continue;
      }
      try {
        store.add(e.getKey().kind(), e.getKey().name(), p, f);
      } catch (RuntimeException ex) {
        e.getValue().processed.add(p); // keep them for the next flush
        e.getValue().failed.add(f);
        first = first == null ? ex : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void flushQuietly() {
    try {
      doFlush();
    } catch (RuntimeException e) {
      long now = System.currentTimeMillis();
      if (now - lastWarning > 60_000) {
        lastWarning = now;
        log.warn("could not write rates to Redis; kept for the next flush (logged once a minute)",
            e);
      }
    }
  }

  /** Stops counting, flushes what is left (best effort) and stops the flush thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    binding.close();
    flusher.shutdown();
    try {
      flusher.awaitTermination(every.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }

  @Override
  public String toString() {
    return "RateRecorder[every=" + every + (closed ? ", closed" : "") + "]";
  }
}
