package io.github.redisext.core.metrics;

import java.util.Locale;

/**
 * What a primitive reports to a {@link MetricsListener}. Each metric has one {@link Kind}: counts
 * arrive through {@link MetricsListener#count}, durations through {@link MetricsListener#time},
 * levels through {@link MetricsListener#gauge}. {@link #metricName()} is the snake-case name a
 * metrics binding can append to its prefix (e.g. {@code redisext.worker.dead_lettered}).
 */
public enum Metric {
  /**
   * Items claimed from Redis and handed to this consumer (count), including the ones its store
   * then sets aside before the handler (an undecodable payload, also counted in {@code
   * DEAD_LETTERED}).
   */
  DELIVERED(Kind.COUNT),
  /** Items whose handler returned normally (count). */
  HANDLED(Kind.COUNT),
  /** Handler attempts that threw (count; each is then retried or dead-lettered). */
  FAILED(Kind.COUNT),
  /** Failed items scheduled for another attempt (count). */
  RETRIED(Kind.COUNT),
  /** Items moved to the dead letters: out of attempts, undecodable, or refused (count). */
  DEAD_LETTERED(Kind.COUNT),
  /** Claimed items whose lease expired before they were settled (count). */
  LEASE_LOST(Kind.COUNT),
  /** Claimed but unstarted items given back at shutdown (count). */
  GIVEN_BACK(Kind.COUNT),
  /** Settlements or writes refused because this process no longer owned the item (count). */
  DUPLICATE_REFUSED(Kind.COUNT),
  /** Items that expired (or vanished) before a consumer could read them (count). */
  MISSED(Kind.COUNT),
  /** Items written by producers through this object: pushed, added, set, published (count). */
  PUBLISHED(Kind.COUNT),
  /** Timers and triggers fired (count; timers tag it with the topic). */
  FIRED(Kind.COUNT),
  /** Scheduled items cancelled before they fired: triggers (count). */
  CANCELLED(Kind.COUNT),
  /** Items written by another writer (e.g. a Python SETEX) taken over by a sweep or an event (count). */
  ADOPTED(Kind.COUNT),
  /** Items that fired later than their primitive's lateness threshold after their due time (count). */
  LATE(Kind.COUNT),
  /** A local cache reloaded from Redis in full (count). */
  RELOADED(Kind.COUNT),
  /** Ids created (count). */
  CREATED(Kind.COUNT),
  /** Locks acquired (count). */
  ACQUIRED(Kind.COUNT),
  /** Lock attempts that gave up after their wait (count). */
  TIMED_OUT(Kind.COUNT),
  /** Time a handler ran, success or failure (time). */
  HANDLER_TIME(Kind.TIME),
  /** From when an item fell due (or was written) to when its handler started (time). */
  DELIVERY_LAG(Kind.TIME),
  /** Time a lock acquisition waited (time). */
  WAIT_TIME(Kind.TIME),
  /** Items claimed and not yet settled by this consumer (gauge). */
  IN_FLIGHT(Kind.GAUGE),
  /** Items waiting in Redis, where a claim reply tells it (gauge). */
  DEPTH(Kind.GAUGE),
  /** Items ready to be taken now, read from Redis (gauge; see {@link Instrumented}). */
  WAITING(Kind.GAUGE),
  /** Items scheduled for later (retries, delayed items), read from Redis (gauge). */
  DELAYED(Kind.GAUGE),
  /**
   * Items stored and not yet delivered, due or not (timers, debounced tasks), read from Redis
   * (gauge).
   */
  PENDING(Kind.GAUGE),
  /** Items claimed by any consumer and not yet settled, read from Redis (gauge). */
  LEASED(Kind.GAUGE),
  /** Items kept as dead letters, read from Redis (gauge). */
  DEAD_LETTERS(Kind.GAUGE),
  /** Members, ids or entries stored (gauge). */
  SIZE(Kind.GAUGE);

  /** How a metric's values arrive. */
  public enum Kind {
    /** Through {@link MetricsListener#count}: an amount to add. */
    COUNT,
    /** Through {@link MetricsListener#time}: one duration in nanoseconds. */
    TIME,
    /** Through {@link MetricsListener#gauge}: the current level. */
    GAUGE
  }

  private final Kind kind;
  private final String metricName;

  Metric(Kind kind) {
    this.kind = kind;
    this.metricName = name().toLowerCase(Locale.ROOT);
  }

  /** How its values arrive. */
  public Kind kind() {
    return kind;
  }

  /** Its snake-case name, e.g. {@code dead_lettered}. */
  public String metricName() {
    return metricName;
  }
}
