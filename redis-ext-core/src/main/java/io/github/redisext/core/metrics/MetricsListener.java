package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import java.util.List;

/**
 * Receives what a primitive does, as it happens: set one in the primitive's options ({@code
 * .metrics(listener)}, the same option in every module). Every method has an empty default, so a
 * listener overrides only what it records; {@link #NONE}, the default everywhere, costs a call to
 * an empty method. Methods are called from the primitives' own threads (handler, claiming,
 * settling threads), so they must be thread-safe and quick, and must not throw (an exception is
 * logged and ignored by the caller).
 *
 * <p>A binding to a metrics library maps each ({@link MetricSource}, {@link Metric}) pair to a
 * meter; for example, counting into a map:
 *
 * <pre>{@code
 * Map<String, LongAdder> counts = new ConcurrentHashMap<>();
 * MetricsListener listener = new MetricsListener() {
 *   public void count(MetricSource source, Metric metric, long amount) {
 *     counts.computeIfAbsent(source.primitive() + "." + metric.metricName(), k -> new LongAdder())
 *         .add(amount);
 *   }
 * };
 * RedisWork<Job> work = ... WorkerOptions.builder().metrics(listener).build() ...
 * }</pre>
 *
 * <p>{@code stats()} on each primitive keeps counting whatever the listener is. To have every
 * primitive created from one client report to a listener without setting it in each one's
 * options, bind it to the client with {@link ClientMetrics#bind}.
 */
public interface MetricsListener {
  /** The listener that records nothing (the default). */
  MetricsListener NONE = new MetricsListener() {
    @Override
    public String toString() {
      return "MetricsListener.NONE";
    }
  };

  /** {@code amount} more of {@code metric} (a {@link Metric.Kind#COUNT} metric). */
  default void count(MetricSource source, Metric metric, long amount) {}

  /** One duration of {@code metric} (a {@link Metric.Kind#TIME} metric), in nanoseconds. */
  default void time(MetricSource source, Metric metric, long nanos) {}

  /** The current level of {@code metric} (a {@link Metric.Kind#GAUGE} metric). */
  default void gauge(MetricSource source, Metric metric, long value) {}

  /**
   * A primitive that can read its levels from Redis ({@link Instrumented}) now reports to this
   * listener: it was created, or this listener was bound to its client through {@link
   * ClientMetrics#bind}. A binding registers its gauges here.
   */
  default void attached(Instrumented primitive) {}

  /** {@code primitive} was closed, or this listener unbound: drop its gauges. */
  default void detached(Instrumented primitive) {}

  /**
   * Whether this listener records counts only and ignores {@link #time} and {@link #gauge}: the
   * primitives then skip the clock reads and level reads those reports need (see {@link
   * Metrics#timed()}) while only such listeners are bound. Default false; a listener that
   * returns true still receives every call.
   */
  default boolean countsOnly() {
    return false;
  }

  /** A listener that passes everything to each of {@code listeners}, in order. */
  static MetricsListener all(MetricsListener... listeners) {
    List<MetricsListener> list = List.of(Args.notNull(listeners, "listeners"));
    return new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        for (MetricsListener l : list) {
          l.count(source, metric, amount);
        }
      }

      @Override
      public void time(MetricSource source, Metric metric, long nanos) {
        for (MetricsListener l : list) {
          l.time(source, metric, nanos);
        }
      }

      @Override
      public void gauge(MetricSource source, Metric metric, long value) {
        for (MetricsListener l : list) {
          l.gauge(source, metric, value);
        }
      }

      @Override
      public boolean countsOnly() {
        return list.stream().allMatch(MetricsListener::countsOnly);
      }

      @Override
      public void attached(Instrumented primitive) {
        for (MetricsListener l : list) {
          l.attached(primitive);
        }
      }

      @Override
      public void detached(Instrumented primitive) {
        for (MetricsListener l : list) {
          l.detached(primitive);
        }
      }
    };
  }
}
