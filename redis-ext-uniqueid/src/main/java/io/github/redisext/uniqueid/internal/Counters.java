package io.github.redisext.uniqueid.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one UniqueId instance, cheap to update from many threads, and the metrics
 * listener the countable events are reported to as they happen.
 */
public final class Counters {
  /** Names that got a new id. */
  public final LongAdder created = new LongAdder();
  /** Lookups that found an existing mapping. */
  public final LongAdder found = new LongAdder();
  /** Mappings deleted. */
  public final LongAdder removed = new LongAdder();
  /** Script calls and DELs for mappings. */
  public final LongAdder mappingRoundTrips = new LongAdder();
  /** Sequence ids handed out. */
  public final LongAdder sequenceIds = new LongAdder();
  /** INCR/INCRBY round trips for sequences. */
  public final LongAdder sequenceRoundTrips = new LongAdder();

  private final Metrics metrics;

  /** Counters reporting to {@code metrics}. */
  public Counters(Metrics metrics) {
    this.metrics = metrics;
  }

  /** {@code n} names got a new id ({@link Metric#CREATED}). */
  void created(long n) {
    created.add(n);
    metrics.count(Metric.CREATED, n);
  }
}
