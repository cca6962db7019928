package io.github.redisext.uniqueid;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * Settings of a {@link UniqueId}. Immutable and thread-safe; build with {@link #builder()} or take
 * {@link #defaults()}.
 *
 * <pre>{@code
 * UniqueIdOptions opts = UniqueIdOptions.builder()
 *     .timeout(Duration.ofDays(1))     // mappings live one day
 *     .refreshOnRead(true)             // ... counted from their last use
 *     .sequenceBlockSize(1000)         // next() reserves 1,000 ids per round trip
 *     .metrics(listener)               // CREATED: ids created for names
 *     .build();
 * }</pre>
 */
public final class UniqueIdOptions {
  /** Default time to live of a name's mapping: 1 hour, as in the Python original. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  /**
   * By default a lookup does not extend a mapping's life: it expires {@link #DEFAULT_TIMEOUT}
   * after it was created however often it is read, as in the Python original.
   */
  public static final boolean DEFAULT_REFRESH_ON_READ = false;
  /**
   * By default {@link UniqueId#next()} takes one id per round trip (no block): ids are dense,
   * and nothing is lost when a process stops.
   */
  public static final int DEFAULT_SEQUENCE_BLOCK_SIZE = 1;
  /** The longest {@link Builder#timeout(Duration)}: 36,500 days (about 100 years). */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(36_500);
  /** The largest block {@link Builder#sequenceBlockSize(int)} accepts. */
  public static final int MAX_SEQUENCE_BLOCK_SIZE = 100_000_000;

  private final Duration timeout;
  private final boolean refreshOnRead;
  private final int sequenceBlockSize;
  private final MetricsListener metrics;

  private UniqueIdOptions(Builder b) {
    this.timeout = b.timeout;
    this.refreshOnRead = b.refreshOnRead;
    this.sequenceBlockSize = b.sequenceBlockSize;
    this.metrics = b.metrics;
  }

  /** The defaults: timeout 1 hour, no refresh on read, sequence block size 1. */
  public static UniqueIdOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.timeout = timeout;
    b.refreshOnRead = refreshOnRead;
    b.sequenceBlockSize = sequenceBlockSize;
    b.metrics = metrics;
    return b;
  }

  /** How long a name's mapping lives (whole milliseconds, at least 1 ms). */
  public Duration timeout() {
    return timeout;
  }

  /** Whether reading a mapping resets its time to live to {@link #timeout()}. */
  public boolean refreshOnRead() {
    return refreshOnRead;
  }

  /** How many sequence ids {@link UniqueId#next()} reserves per round trip. */
  public int sequenceBlockSize() {
    return sequenceBlockSize;
  }

  /** Where the instance reports what it does ({@link MetricsListener#NONE} by default). */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "UniqueIdOptions[timeout=" + timeout + ", refreshOnRead=" + refreshOnRead
        + ", sequenceBlockSize=" + sequenceBlockSize
        + (metrics == MetricsListener.NONE ? "" : ", metrics=" + metrics) + "]";
  }

  /** Equal when every option is equal (the metrics listener by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof UniqueIdOptions x && timeout.equals(x.timeout)
        && refreshOnRead == x.refreshOnRead && sequenceBlockSize == x.sequenceBlockSize
        && metrics == x.metrics;
  }

  @Override
  public int hashCode() {
    return (timeout.hashCode() * 31 * 31 + Boolean.hashCode(refreshOnRead) * 31
        + sequenceBlockSize) * 31 + System.identityHashCode(metrics);
  }

  /** Builds {@link UniqueIdOptions}; every setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean refreshOnRead = DEFAULT_REFRESH_ON_READ;
    private int sequenceBlockSize = DEFAULT_SEQUENCE_BLOCK_SIZE;
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    /**
     * How long a name's mapping lives after it was created (or, with {@link
     * #refreshOnRead(boolean)}, after it was last read). Set with PX inside the script, so the
     * Redis server's clock decides. Default {@link #DEFAULT_TIMEOUT}.
     *
     * @param timeout 1 ms to {@link #MAX_TIMEOUT}, whole milliseconds
     * @return this
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of that range or not a whole number of
     *     milliseconds
     */
    public Builder timeout(Duration timeout) {
      Args.inRange(timeout, Duration.ofMillis(1), MAX_TIMEOUT, "timeout");
      if (timeout.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException("timeout must be a whole number of milliseconds, at "
            + "least 1 ms, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether a lookup ({@link UniqueId#getOrCreate}, {@link UniqueId#find} and their bulk
     * siblings) that finds a mapping resets its time to live to the timeout, so names in use
     * never expire. Default {@link #DEFAULT_REFRESH_ON_READ} (false, like the Python original).
     *
     * @param refreshOnRead whether reads reset the time to live
     * @return this
     */
    public Builder refreshOnRead(boolean refreshOnRead) {
      this.refreshOnRead = refreshOnRead;
      return this;
    }

    /**
     * How many sequence ids {@link UniqueId#next()} reserves with one INCRBY; they are then handed
     * out locally without a round trip. Reserved ids that were not handed out when the process
     * stops are never used (gaps). Default {@link #DEFAULT_SEQUENCE_BLOCK_SIZE}.
     *
     * @param size 1 to {@link #MAX_SEQUENCE_BLOCK_SIZE}
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public Builder sequenceBlockSize(int size) {
      this.sequenceBlockSize = Args.inRange(size, 1, MAX_SEQUENCE_BLOCK_SIZE,
          "sequenceBlockSize");
      return this;
    }

    /**
     * Where the instance reports what it does, with source {@code MetricSource.of("uniqueid",
     * klass)}: {@link io.github.redisext.core.metrics.Metric#CREATED} with the number of names each
     * call mapped to a new id (not the lookups that found one, not sequence ids). Called on the
     * caller's thread; exceptions it throws are logged and ignored. Default {@link
     * MetricsListener#NONE} (nothing reported, no cost).
     *
     * @param listener the listener
     * @return this
     * @throws NullPointerException if null
     */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /** The options. */
    public UniqueIdOptions build() {
      return new UniqueIdOptions(this);
    }
  }
}
