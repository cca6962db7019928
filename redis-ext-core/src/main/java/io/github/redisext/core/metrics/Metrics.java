package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reporting side of {@link MetricsListener}, for primitives: a listener bound to its {@link
 * MetricSource}. Exceptions thrown by the listener are logged (once per minute at most) and
 * ignored, so a faulty listener never breaks a consumer; {@link #enabled()} lets a caller skip
 * clock reads when nothing listens. Immutable and thread-safe.
 *
 * <pre>{@code
 * Metrics metrics = Metrics.of(options.metrics(), MetricSource.of("worker", key));
 * metrics.count(Metric.PUBLISHED, tasks.size());
 * }</pre>
 */
public final class Metrics {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);
  private static volatile long lastWarning;

  private final MetricsListener listener;
  private final MetricSource source;
  private final boolean enabled;

  private Metrics(MetricsListener listener, MetricSource source) {
    this.listener = Args.notNull(listener, "listener");
    this.source = Args.notNull(source, "source");
    this.enabled = listener != MetricsListener.NONE;
  }

  /** {@code listener} bound to {@code source}. */
  public static Metrics of(MetricsListener listener, MetricSource source) {
    return new Metrics(listener, source);
  }

  /** Whether a listener other than {@link MetricsListener#NONE} is bound. */
  public boolean enabled() {
    return enabled;
  }

  /** The source reported. */
  public MetricSource source() {
    return source;
  }

  /** The same listener with {@code source.withTag(key, value)}. */
  public Metrics withTag(String key, String value) {
    return new Metrics(listener, source.withTag(key, value));
  }

  /** Reports {@code amount} more of {@code metric} (nothing when {@code amount} is 0). */
  public void count(Metric metric, long amount) {
    if (enabled && amount != 0) {
      try {
        listener.count(source, metric, amount);
      } catch (RuntimeException e) {
        warn(e);
      }
    }
  }

  /** Reports one duration of {@code metric}, in nanoseconds. */
  public void time(Metric metric, long nanos) {
    if (enabled) {
      try {
        listener.time(source, metric, nanos);
      } catch (RuntimeException e) {
        warn(e);
      }
    }
  }

  /** Reports the current level of {@code metric}. */
  public void gauge(Metric metric, long value) {
    if (enabled) {
      try {
        listener.gauge(source, metric, value);
      } catch (RuntimeException e) {
        warn(e);
      }
    }
  }

  private void warn(RuntimeException e) {
    long now = System.currentTimeMillis();
    if (now - lastWarning > 60_000) {
      lastWarning = now;
      log.warn("{}: the metrics listener {} threw; ignored (logged once a minute at most)", source,
          listener, e);
    }
  }

  @Override
  public String toString() {
    return "Metrics[" + source + " -> " + listener + "]";
  }
}
