package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The reporting side of {@link MetricsListener}, for primitives: the listener of a primitive's
 * options, plus those bound to its client through {@link ClientMetrics#bind}, tied to its {@link
 * MetricSource}. Exceptions thrown by a listener are logged (once per minute at most) and
 * ignored, so a faulty listener never breaks a consumer; {@link #enabled()} lets a caller skip
 * clock reads when nothing listens. Thread-safe.
 *
 * <pre>{@code
 * Metrics metrics = Metrics.of(client, options.metrics(), MetricSource.of("worker", key));
 * metrics.count(Metric.PUBLISHED, tasks.size());
 * metrics.attach(this);   // an Instrumented primitive, when created; detach(this) when closed
 * }</pre>
 */
public final class Metrics {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);
  private static volatile long lastWarning;

  private final MetricsListener listener;
  private final MetricSource source;
  private final boolean own;
  private final boolean ownTimed;
  private final ClientMetrics.Hub hub;

  private Metrics(MetricsListener listener, MetricSource source, ClientMetrics.Hub hub) {
    this.listener = Args.notNull(listener, "listener");
    this.source = Args.notNull(source, "source");
    this.own = listener != MetricsListener.NONE;
    this.ownTimed = own && !listener.countsOnly();
    this.hub = hub;
  }

  /** {@code listener} bound to {@code source} (listeners bound to a client are not consulted). */
  public static Metrics of(MetricsListener listener, MetricSource source) {
    return new Metrics(listener, source, null);
  }

  /**
   * {@code listener} and every listener bound to {@code client} (now or later, through {@link
   * ClientMetrics#bind}), reporting for {@code source}.
   */
  public static Metrics of(UnifiedJedis client, MetricsListener listener, MetricSource source) {
    return new Metrics(listener, source, ClientMetrics.hub(Args.notNull(client, "client")));
  }

  /** Whether any listener other than {@link MetricsListener#NONE} receives reports now. */
  public boolean enabled() {
    return own || (hub != null && hub.listeners().length > 0);
  }

  /**
   * Whether any listener takes {@link #time} and {@link #gauge} reports now (one that is not
   * {@link MetricsListener#countsOnly()}): callers skip the clock and level reads of those reports
   * when it is false. Implies {@link #enabled()}.
   */
  public boolean timed() {
    return ownTimed || (hub != null && hub.timed());
  }

  /** The source reported. */
  public MetricSource source() {
    return source;
  }

  /** The same listeners with {@code source.withTag(key, value)}. */
  public Metrics withTag(String key, String value) {
    return new Metrics(listener, source.withTag(key, value), hub);
  }

  /** Reports {@code amount} more of {@code metric} (nothing when {@code amount} is 0). */
  public void count(Metric metric, long amount) {
    if (amount != 0) {
      report(MetricsListener::count, metric, amount);
    }
  }

  /** Reports one duration of {@code metric}, in nanoseconds. */
  public void time(Metric metric, long nanos) {
    report(MetricsListener::time, metric, nanos);
  }

  /** Reports the current level of {@code metric}. */
  public void gauge(Metric metric, long value) {
    report(MetricsListener::gauge, metric, value);
  }

  /** One of the three listener calls (non-capturing method references: no allocation). */
  @FunctionalInterface
  private interface Report {
    void to(MetricsListener listener, MetricSource source, Metric metric, long value);
  }

  private void report(Report call, Metric metric, long value) {
    if (own) {
      try {
        call.to(listener, source, metric, value);
      } catch (RuntimeException e) {
        warn(e, source, listener);
      }
    }
    if (hub != null) {
      for (MetricsListener l : hub.listeners()) {
        if (own && l == listener) {
          continue; // bound to the client and set in the options: report once
        }
        try {
          call.to(l, source, metric, value);
        } catch (RuntimeException e) {
          warn(e, source, l);
        }
      }
    }
  }

  /**
   * Announces {@code primitive} to the listeners ({@link MetricsListener#attached}): call it once
   * the primitive is ready to answer {@link Instrumented#readLevels()}.
   */
  public void attach(Instrumented primitive) {
    Args.notNull(primitive, "primitive");
    if (own) {
      safely(() -> listener.attached(primitive), source, listener);
    }
    if (hub != null) {
      hub.attach(primitive);
    }
  }

  /** Withdraws {@code primitive} ({@link MetricsListener#detached}): call it when it closes. */
  public void detach(Instrumented primitive) {
    Args.notNull(primitive, "primitive");
    if (own) {
      safely(() -> listener.detached(primitive), source, listener);
    }
    if (hub != null) {
      hub.detach(primitive);
    }
  }

  static void safely(Runnable call, MetricSource source, MetricsListener l) {
    try {
      call.run();
    } catch (RuntimeException e) {
      warn(e, source, l);
    }
  }

  private static void warn(RuntimeException e, MetricSource source, MetricsListener l) {
    long now = System.currentTimeMillis();
    if (now - lastWarning > 60_000) {
      lastWarning = now;
      log.warn("{}: the metrics listener {} threw; ignored (logged once a minute at most)", source,
          l, e);
    }
  }

  @Override
  public String toString() {
    return "Metrics[" + source + " -> " + listener + (hub == null ? "" : " + client bindings")
        + "]";
  }
}
