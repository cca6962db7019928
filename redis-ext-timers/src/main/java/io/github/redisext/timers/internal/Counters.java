package io.github.redisext.timers.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.timers.TimersStats;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@code Timers} did, counted from the scripts' replies (a handler that returned counts as
 * fired only once its timer was removed), plus the {@code FIRED} metric tagged with the topic.
 * Thread-safe.
 */
public final class Counters {
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong fired = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong leaseLost = new AtomicLong();
  private final AtomicLong lastLag = new AtomicLong();
  private final AtomicLong maxLag = new AtomicLong();
  private final Metrics metrics;
  private final Map<String, Metrics> firedByTopic = new ConcurrentHashMap<>();

  /** Counters reporting {@code FIRED} to {@code metrics} (tagged with the topic). */
  public Counters(Metrics metrics) {
    this.metrics = metrics;
  }

  void claimed(int n) {
    claimed.addAndGet(n);
  }

  void fired(String topic) {
    fired.incrementAndGet();
    if (metrics.enabled()) {
      firedByTopic.computeIfAbsent(topic, t -> metrics.withTag("topic", t))
          .count(Metric.FIRED, 1);
    }
  }

  void failed() {
    failed.incrementAndGet();
  }

  void retried() {
    retried.incrementAndGet();
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  void leaseLost() {
    leaseLost.incrementAndGet();
  }

  void lag(long ms) {
    lastLag.set(ms);
    if (ms > maxLag.get()) {
      maxLag.accumulateAndGet(ms, Math::max);
    }
  }

  /** A snapshot. */
  public TimersStats snapshot() {
    return new TimersStats(claimed.get(), fired.get(), failed.get(), retried.get(),
        deadLettered.get(), leaseLost.get(), Duration.ofMillis(lastLag.get()),
        Duration.ofMillis(maxLag.get()));
  }
}
