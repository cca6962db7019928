package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A primitive whose levels (queue depth, dead letters, set size ...) can be read from Redis on
 * demand, for gauges. Primitives that implement it announce themselves to their metrics
 * listeners through {@link MetricsListener#attached} when created and {@link
 * MetricsListener#detached} when closed, so a metrics binding can register a gauge per level
 * and read them when it is scraped, rather than on every operation.
 *
 * <pre>{@code
 * void attached(Instrumented p) {
 *   for (Metric m : p.levels()) {
 *     registerGauge(p.metricSource(), m, () -> p.readLevels().get(m));  // cache it: one read per scrape
 *   }
 * }
 * }</pre>
 */
public interface Instrumented {
  /** Which primitive this is (kind, name and tags), as its counters report it. */
  MetricSource metricSource();

  /** The {@link Metric.Kind#GAUGE} metrics {@link #readLevels()} returns; fixed for the object. */
  Set<Metric> levels();

  /**
   * Reads the current levels from Redis: one entry per metric of {@link #levels()}. Costs a round
   * trip or a few, may block while Redis is slow and throws like any Redis call when it is
   * unreachable or closed; callers cache the result and bound the wait.
   */
  Map<Metric, Long> readLevels();

  /**
   * An {@code Instrumented} reading each level with its own supplier, in the map's order (for
   * primitives: {@code Instrumented.of(source, Map.of(Metric.WAITING, queue::length, ...))}).
   *
   * @throws IllegalArgumentException if a metric is not a {@link Metric.Kind#GAUGE}
   */
  static Instrumented of(MetricSource source, Map<Metric, LongSupplier> readers) {
    Args.notNull(source, "source");
    Map<Metric, LongSupplier> copy = new LinkedHashMap<>(Args.notNull(readers, "readers"));
    for (Map.Entry<Metric, LongSupplier> e : copy.entrySet()) {
      Args.notNull(e.getKey(), "metric");
      Args.notNull(e.getValue(), "reader");
      if (e.getKey().kind() != Metric.Kind.GAUGE) {
        throw new IllegalArgumentException(e.getKey() + " is not a gauge metric");
      }
    }
    Set<Metric> levels = Collections.unmodifiableSet(copy.keySet());
    return new Instrumented() {
      @Override
      public MetricSource metricSource() {
        return source;
      }

      @Override
      public Set<Metric> levels() {
        return levels;
      }

      @Override
      public Map<Metric, Long> readLevels() {
        Map<Metric, Long> values = new EnumMap<>(Metric.class);
        copy.forEach((m, r) -> values.put(m, r.getAsLong()));
        return values;
      }

      @Override
      public String toString() {
        return "Instrumented[" + source + " " + levels + "]";
      }
    };
  }
}
