package io.github.redisext.fastset.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one FastSet instance counts (read by {@code FastSet.stats()}), and the metrics listener
 * the countable events are reported to as they happen. Cheap to update from many threads.
 */
final class SetCounters {
  /** Write scripts that changed the set. */
  final LongAdder writes = new LongAdder();
  /** Conditional writes refused because the set had moved on. */
  final LongAdder conflicts = new LongAdder();
  /** Change entries applied to the cache. */
  final LongAdder deltasApplied = new LongAdder();
  /** Full loads of the set. */
  final LongAdder fullReloads = new LongAdder();
  /** Version checks (round trips to read the remote version). */
  final LongAdder versionChecks = new LongAdder();
  /** Pub/sub messages received. */
  final LongAdder messages = new LongAdder();
  /** Version checks that failed (the cache was served). */
  final LongAdder failedChecks = new LongAdder();

  private final Metrics metrics;

  SetCounters(Metrics metrics) {
    this.metrics = metrics;
  }

  /** A write script replied: {@code changed} members written, or -1 for a conflict. */
  void written(long changed) {
    if (changed > 0) {
      writes.increment();
      metrics.count(Metric.PUBLISHED, changed);
    } else if (changed < 0) {
      conflicts.increment();
    }
  }

  /** A full load of the set started. */
  void loading() {
    fullReloads.increment();
  }

  /** A full load of the set was installed in the cache. */
  void loaded() {
    metrics.count(Metric.RELOADED, 1);
  }
}
