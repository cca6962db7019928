package io.github.redisext.core.consumer;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * The options every redis-ext consumer shares, with one name per concept in every module.
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ConsumerOptions o = ConsumerOptions.builder().concurrency(8).prefetch(16)
 *     .lease(Duration.ofSeconds(30)).maxAttempts(5)
 *     .retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)).build();
 * }</pre>
 */
public final class ConsumerOptions {
  /** Default handler threads. */
  public static final int DEFAULT_CONCURRENCY = 4;
  /** Default items held beyond the running ones. */
  public static final int DEFAULT_PREFETCH = 4;
  /** Default lease of a claimed item (renewed every third of it while held). */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Default deliveries before an item is dead-lettered. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default first retry delay. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
  /** Default longest retry delay. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
  /** Default wait for running handlers at shutdown. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /** Default longest wait between claims while idle (wake-ups usually come first). */
  public static final Duration DEFAULT_IDLE_WAIT = Duration.ofSeconds(1);

  /** Most handler threads. */
  public static final int MAX_CONCURRENCY = 1024;
  /** Most items held beyond the running ones. */
  public static final int MAX_PREFETCH = 10_000;
  /** Shortest lease. */
  public static final Duration MIN_LEASE = Duration.ofMillis(100);
  /** Longest lease, retry delay, shutdown grace and idle wait. */
  public static final Duration MAX_DURATION = Duration.ofDays(7);

  private final int concurrency;
  private final int prefetch;
  private final Duration lease;
  private final int maxAttempts;
  private final Duration retryInitial;
  private final Duration retryMax;
  private final boolean retryJitter;
  private final Duration shutdownGrace;
  private final Duration idleWait;
  private final MetricsListener metrics;

  private ConsumerOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.prefetch = b.prefetch;
    this.lease = b.lease;
    this.maxAttempts = b.maxAttempts;
    this.retryInitial = b.retryInitial;
    this.retryMax = b.retryMax;
    this.retryJitter = b.retryJitter;
    this.shutdownGrace = b.shutdownGrace;
    this.idleWait = b.idleWait;
    this.metrics = b.metrics;
  }

  /** The defaults. */
  public static ConsumerOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.concurrency = concurrency;
    b.prefetch = prefetch;
    b.lease = lease;
    b.maxAttempts = maxAttempts;
    b.retryInitial = retryInitial;
    b.retryMax = retryMax;
    b.retryJitter = retryJitter;
    b.shutdownGrace = shutdownGrace;
    b.idleWait = idleWait;
    b.metrics = metrics;
    return b;
  }

  /** Handler threads: at most this many items run at once. */
  public int concurrency() {
    return concurrency;
  }

  /** Items claimed and held beyond the running ones, so a free thread never waits for a claim. */
  public int prefetch() {
    return prefetch;
  }

  /** The lease of a claimed item; renewed every third of it while the item is held. */
  public Duration lease() {
    return lease;
  }

  /** Deliveries before a failing item is dead-lettered (1 = no retry). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The first retry delay (doubling per attempt, jittered). */
  public Duration retryInitial() {
    return retryInitial;
  }

  /** The longest retry delay. */
  public Duration retryMax() {
    return retryMax;
  }

  /**
   * Whether retry delays are jittered (default): uniformly between half and all of the doubled
   * delay, so items that failed together do not all come back at once. Without jitter, failure n
   * waits exactly {@code min(retryInitial * 2^(n-1), retryMax)}.
   */
  public boolean retryJitter() {
    return retryJitter;
  }

  /** How long close() waits for running handlers before interrupting them. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** The longest wait between two claims while nothing is due and no wake-up comes. */
  public Duration idleWait() {
    return idleWait;
  }

  /**
   * Where the consumer reports what it does (delivered, handled, failed, retried, dead-lettered,
   * lease lost, given back, handler time, delivery lag, in flight); {@link MetricsListener#NONE}
   * by default.
   */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumerOptions c && concurrency == c.concurrency && prefetch == c.prefetch
        && maxAttempts == c.maxAttempts && lease.equals(c.lease) && retryInitial.equals(c.retryInitial)
        && retryMax.equals(c.retryMax) && retryJitter == c.retryJitter && shutdownGrace.equals(c.shutdownGrace)
        && idleWait.equals(c.idleWait) && metrics == c.metrics;
  }

  @Override
  public int hashCode() {
    return Objects.hash(concurrency, prefetch, lease, maxAttempts, retryInitial, retryMax,
        retryJitter, shutdownGrace, idleWait, System.identityHashCode(metrics));
  }

  @Override
  public String toString() {
    return "ConsumerOptions[concurrency=" + concurrency + ", prefetch=" + prefetch + ", lease="
        + lease + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryInitial + ".."
        + retryMax + (retryJitter ? " jittered" : " exact") + ", shutdownGrace=" + shutdownGrace + ", idleWait=" + idleWait
        + (metrics == MetricsListener.NONE ? "" : ", metrics=" + metrics) + "]";
  }

  /** Builds {@link ConsumerOptions}; every setter rejects a bad value at once, naming it. */
  public static final class Builder {
    private int concurrency = DEFAULT_CONCURRENCY;
    private int prefetch = DEFAULT_PREFETCH;
    private Duration lease = DEFAULT_LEASE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryInitial = DEFAULT_RETRY_INITIAL;
    private Duration retryMax = DEFAULT_RETRY_MAX;
    private boolean retryJitter = true;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration idleWait = DEFAULT_IDLE_WAIT;
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    /** Handler threads, 1..{@value #MAX_CONCURRENCY}. */
    public Builder concurrency(int n) {
      this.concurrency = Args.inRange(n, 1, MAX_CONCURRENCY, "concurrency");
      return this;
    }

    /** Items held beyond the running ones, 0..{@value #MAX_PREFETCH}. */
    public Builder prefetch(int n) {
      this.prefetch = Args.inRange(n, 0, MAX_PREFETCH, "prefetch");
      return this;
    }

    /** The lease of a claimed item, {@link #MIN_LEASE}..{@link #MAX_DURATION}. */
    public Builder lease(Duration d) {
      this.lease = Args.inRange(d, MIN_LEASE, MAX_DURATION, "lease");
      return this;
    }

    /** Deliveries before dead-lettering, 1..1,000,000. */
    public Builder maxAttempts(int n) {
      this.maxAttempts = Args.inRange(n, 1, 1_000_000, "maxAttempts");
      return this;
    }

    /** Retry delays doubling from {@code initial} up to {@code max} (0 <= initial <= max <= 7 days). */
    public Builder retryBackoff(Duration initial, Duration max) {
      Args.inRange(initial, Duration.ZERO, MAX_DURATION, "retryBackoff initial");
      Args.inRange(max, Duration.ZERO, MAX_DURATION, "retryBackoff max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retryBackoff max must be between " + initial
            + " (initial) and " + MAX_DURATION + ", got " + max + " (max must be >= initial)");
      }
      this.retryInitial = initial;
      this.retryMax = max;
      return this;
    }

    /**
     * Whether retry delays are jittered (default true); false makes them exact, e.g. for a
     * primitive whose documented schedule is deterministic.
     */
    public Builder retryJitter(boolean jitter) {
      this.retryJitter = jitter;
      return this;
    }

    /** The wait for running handlers at shutdown, 0..7 days. */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = Args.inRange(d, Duration.ZERO, MAX_DURATION, "shutdownGrace");
      return this;
    }

    /** The longest wait between claims while idle, 1 ms..7 days. */
    public Builder idleWait(Duration d) {
      this.idleWait = Args.inRange(d, Duration.ofMillis(1), MAX_DURATION, "idleWait");
      return this;
    }

    /** Where the consumer reports what it does; {@link MetricsListener#NONE} to report nothing. */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /** The options. */
    public ConsumerOptions build() {
      return new ConsumerOptions(this);
    }
  }
}
