package io.github.redisext.fastset;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * Immutable options of a {@link FastSet}; build with {@link #builder()}, or take {@link
 * #defaults()}. Every setter rejects a bad value at once with the option's name in the message.
 *
 * <pre>{@code
 * FastSetOptions options = FastSetOptions.builder()
 *     .refreshInterval(Duration.ofSeconds(5))   // backstop for writers that do not publish
 *     .pushInvalidation(true)                    // follow other instances within milliseconds
 *     .metrics(listener)                         // RELOADED, PUBLISHED
 *     .build();
 * }</pre>
 */
public final class FastSetOptions {
  /**
   * Default {@link Builder#refreshInterval(Duration)}: 60 s, the Python FastSet's default
   * {@code timeout}.
   */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(60);
  /** Default {@link Builder#pushInvalidation(boolean)}: on. */
  public static final boolean DEFAULT_PUSH_INVALIDATION = true;
  /** Default {@link Builder#scanBatch(int)}: SSCAN COUNT 1000. */
  public static final int DEFAULT_SCAN_BATCH = 1000;
  /** Default {@link Builder#changeLogLength(int)}: the last 1000 changes are kept. */
  public static final int DEFAULT_CHANGE_LOG_LENGTH = 1000;
  /** Default {@link Builder#maxDeltaMembers(int)}: 1000 members per change entry. */
  public static final int DEFAULT_MAX_DELTA_MEMBERS = 1000;
  /** Default {@link Builder#subscribeTimeout(Duration)}: 10 s. */
  public static final Duration DEFAULT_SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link Builder#maxConflictRetries(int)}: 100. */
  public static final int DEFAULT_MAX_CONFLICT_RETRIES = 100;

  /** The longest {@link Builder#refreshInterval(Duration)}: 365 days. */
  public static final Duration MAX_REFRESH_INTERVAL = Duration.ofDays(365);
  /** The largest {@link Builder#scanBatch(int)}: 100,000. */
  public static final int MAX_SCAN_BATCH = 100_000;
  /** The largest {@link Builder#changeLogLength(int)}: 100,000 entries. */
  public static final int MAX_CHANGE_LOG_LENGTH = 100_000;
  /** The largest {@link Builder#maxDeltaMembers(int)}: 100,000 members. */
  public static final int MAX_DELTA_MEMBERS = 100_000;
  /** The longest {@link Builder#subscribeTimeout(Duration)}: 1 hour. */
  public static final Duration MAX_SUBSCRIBE_TIMEOUT = Duration.ofHours(1);
  /** The largest {@link Builder#maxConflictRetries(int)}: 10,000. */
  public static final int MAX_CONFLICT_RETRIES = 10_000;

  private static final FastSetOptions DEFAULTS = new Builder().build();

  private final Duration refreshInterval;
  private final boolean pushInvalidation;
  private final int scanBatch;
  private final int changeLogLength;
  private final int maxDeltaMembers;
  private final Duration subscribeTimeout;
  private final int maxConflictRetries;
  private final MetricsListener metrics;

  private FastSetOptions(Builder b) {
    this.refreshInterval = b.refreshInterval;
    this.pushInvalidation = b.pushInvalidation;
    this.scanBatch = b.scanBatch;
    this.changeLogLength = b.changeLogLength;
    this.maxDeltaMembers = b.maxDeltaMembers;
    this.subscribeTimeout = b.subscribeTimeout;
    this.maxConflictRetries = b.maxConflictRetries;
    this.metrics = b.metrics;
  }

  /** The defaults (every {@code DEFAULT_*} constant). */
  public static FastSetOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * How often the remote version is checked at most (timeout refresh); {@link Duration#ZERO}
   * checks on every read.
   */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /** Whether the set subscribes to change announcements (push invalidation). */
  public boolean pushInvalidation() {
    return pushInvalidation;
  }

  /** The SSCAN COUNT of a full reload. */
  public int scanBatch() {
    return scanBatch;
  }

  /** How many change entries the {@code <key>:log} list keeps; 0 keeps none. */
  public int changeLogLength() {
    return changeLogLength;
  }

  /** The most members one change entry lists; bigger changes make peers reload. */
  public int maxDeltaMembers() {
    return maxDeltaMembers;
  }

  /** How long {@code create} waits for the first subscription. */
  public Duration subscribeTimeout() {
    return subscribeTimeout;
  }

  /** How often a conditional write is retried after a version conflict before it gives up. */
  public int maxConflictRetries() {
    return maxConflictRetries;
  }

  /** Where the set reports what it does ({@link MetricsListener#NONE} by default). */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "FastSetOptions[refreshInterval=" + refreshInterval + ", pushInvalidation="
        + pushInvalidation + ", scanBatch=" + scanBatch + ", changeLogLength=" + changeLogLength
        + ", maxDeltaMembers=" + maxDeltaMembers + ", subscribeTimeout=" + subscribeTimeout
        + ", maxConflictRetries=" + maxConflictRetries
        + (metrics == MetricsListener.NONE ? "" : ", metrics=" + metrics) + "]";
  }

  /** Builds {@link FastSetOptions}; not thread-safe. */
  public static final class Builder {
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private boolean pushInvalidation = DEFAULT_PUSH_INVALIDATION;
    private int scanBatch = DEFAULT_SCAN_BATCH;
    private int changeLogLength = DEFAULT_CHANGE_LOG_LENGTH;
    private int maxDeltaMembers = DEFAULT_MAX_DELTA_MEMBERS;
    private Duration subscribeTimeout = DEFAULT_SUBSCRIBE_TIMEOUT;
    private int maxConflictRetries = DEFAULT_MAX_CONFLICT_RETRIES;
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    private Builder(FastSetOptions o) {
      refreshInterval = o.refreshInterval;
      pushInvalidation = o.pushInvalidation;
      scanBatch = o.scanBatch;
      changeLogLength = o.changeLogLength;
      maxDeltaMembers = o.maxDeltaMembers;
      subscribeTimeout = o.subscribeTimeout;
      maxConflictRetries = o.maxConflictRetries;
      metrics = o.metrics;
    }

    /**
     * Timeout refresh: a read checks the remote version (one round trip) when this much time has
     * passed since the last check, so without push invalidation a read is at most this stale (plus
     * one round trip). {@link Duration#ZERO} checks on every read. Default {@link
     * #DEFAULT_REFRESH_INTERVAL}; with push invalidation on it is the backstop for writers that do
     * not publish (the Python FastSet).
     *
     * @param interval {@link Duration#ZERO} to {@link #MAX_REFRESH_INTERVAL}
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_REFRESH_INTERVAL}
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = Args.inRange(interval, Duration.ZERO, MAX_REFRESH_INTERVAL,
          "refreshInterval");
      return this;
    }

    /**
     * Push invalidation: subscribe to {@code <key>:changed} and apply every other instance's
     * change within milliseconds of its write. Holds one connection of the client's pool and one
     * thread while open. Default {@link #DEFAULT_PUSH_INVALIDATION}. Writes always publish,
     * whatever this says.
     */
    public Builder pushInvalidation(boolean on) {
      this.pushInvalidation = on;
      return this;
    }

    /**
     * SSCAN COUNT used when the whole set is (re)loaded. Default {@link #DEFAULT_SCAN_BATCH}.
     *
     * @param count 1 to {@link #MAX_SCAN_BATCH}
     * @throws IllegalArgumentException if out of that range
     */
    public Builder scanBatch(int count) {
      this.scanBatch = Args.inRange(count, 1, MAX_SCAN_BATCH, "scanBatch");
      return this;
    }

    /**
     * How many change entries {@code <key>:log} keeps, so that an instance that fell behind (a
     * timeout refresh, a reconnect, a concurrent writer) catches up by applying the changes instead
     * of reloading the whole set. 0 keeps no log (every catch-up is then a full reload). Default
     * {@link #DEFAULT_CHANGE_LOG_LENGTH}. All instances sharing a key should use the same value.
     *
     * @param entries 0 to {@link #MAX_CHANGE_LOG_LENGTH}
     * @throws IllegalArgumentException if out of that range
     */
    public Builder changeLogLength(int entries) {
      this.changeLogLength = Args.inRange(entries, 0, MAX_CHANGE_LOG_LENGTH, "changeLogLength");
      return this;
    }

    /**
     * The most members one change entry lists; a bigger bulk write is announced as "reload" and
     * peers reload the whole set. Default {@link #DEFAULT_MAX_DELTA_MEMBERS}.
     *
     * @param members 1 to {@link #MAX_DELTA_MEMBERS}
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxDeltaMembers(int members) {
      this.maxDeltaMembers = Args.inRange(members, 1, MAX_DELTA_MEMBERS, "maxDeltaMembers");
      return this;
    }

    /**
     * How long {@code FastSet.create} waits for the first subscription before it goes on without
     * (a WARN is logged; the subscription keeps trying and re-validates once it is up). {@link
     * Duration#ZERO} does not wait (and does not warn). Default {@link #DEFAULT_SUBSCRIBE_TIMEOUT}.
     *
     * @param timeout {@link Duration#ZERO} to {@link #MAX_SUBSCRIBE_TIMEOUT}
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_SUBSCRIBE_TIMEOUT}
     */
    public Builder subscribeTimeout(Duration timeout) {
      this.subscribeTimeout = Args.inRange(timeout, Duration.ZERO, MAX_SUBSCRIBE_TIMEOUT,
          "subscribeTimeout");
      return this;
    }

    /**
     * How many times a conditional write ({@code retainAll}, {@code removeIf}, {@code
     * symmetricDifferenceUpdate}) is retried after another writer changed the set first, before it
     * fails. The first retry is immediate, later ones wait a jittered 1 ms doubling up to 100 ms.
     * Default {@link #DEFAULT_MAX_CONFLICT_RETRIES}.
     *
     * @param retries 0 to {@link #MAX_CONFLICT_RETRIES}
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxConflictRetries(int retries) {
      this.maxConflictRetries = Args.inRange(retries, 0, MAX_CONFLICT_RETRIES,
          "maxConflictRetries");
      return this;
    }

    /**
     * Where the set reports what it does, with source {@code MetricSource.of("fastset", name)}:
     * {@link io.github.redisext.core.metrics.Metric#PUBLISHED} with the number of members each
     * effective write added or removed (a clear: the members removed), and {@link
     * io.github.redisext.core.metrics.Metric#RELOADED} once per full load of the cache (including
     * the first). The listener is called on the writing or following thread; exceptions it throws
     * are logged and ignored. Default {@link MetricsListener#NONE} (nothing reported, no cost).
     *
     * @throws NullPointerException if null
     */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /** The options. */
    public FastSetOptions build() {
      return new FastSetOptions(this);
    }
  }
}
