package io.github.redisext.debounce;

import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable options of a {@link DebounceTask}. Build with {@link #builder()}, or take {@link
 * #defaults()}.
 *
 * <pre>{@code
 * DebounceOptions opts = DebounceOptions.builder()
 *     .defaultDelay(Duration.ofSeconds(5))
 *     .duplicatePolicy(DuplicatePolicy.DEBOUNCE)
 *     .maxWait(Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 */
public final class DebounceOptions {
  /** Default delay of {@code add(task)}: {@value #DEFAULT_DELAY_MILLIS} ms (due at once). */
  public static final long DEFAULT_DELAY_MILLIS = 0;
  /** Default delay of {@code add(task)}: zero. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(DEFAULT_DELAY_MILLIS);
  /** Default duplicate policy: {@link DuplicatePolicy#KEEP_FIRST} (the Python original's). */
  public static final DuplicatePolicy DEFAULT_DUPLICATE_POLICY = DuplicatePolicy.KEEP_FIRST;
  /** Default consumer lease: 30 s (renewed every third of it while the handler runs). */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Default number of consumer handler threads: 4. */
  public static final int DEFAULT_CONSUMER_THREADS = 4;
  /**
   * Default delay before a task whose handler threw is due again the first time: 1 s (it
   * doubles with each further failure, up to {@link #DEFAULT_MAX_RETRY_DELAY}).
   */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  /** Default cap of the exponentially growing retry delay: 1 min. */
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(1);
  /**
   * Default number of failed deliveries (handler threw, or its lease ran out) after which a
   * consumed task goes to the dead letters: 5.
   */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /**
   * Default longest sleep of {@code await} and consumers without a wake-up: 1 s. Wake-ups come
   * from pub/sub and the earliest due time; this only bounds how late a task added by a peer
   * that does not publish (e.g. the Python library) can be seen.
   */
  public static final Duration DEFAULT_MAX_IDLE_WAIT = Duration.ofSeconds(1);
  /** Default time {@link DebounceConsumer#close()} waits for running handlers: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /** Default: adds publish a wake-up when they make the earliest due time earlier. */
  public static final boolean DEFAULT_PUBLISH_WAKE_UPS = true;

  /**
   * The longest duration any option or {@link DebounceTask} argument takes: 36,500 days (about
   * 100 years; due times stay exact to the microsecond in the sorted set's double scores). Longer
   * ones are rejected with an {@link IllegalArgumentException} naming the parameter and the range.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);
  /** The shortest {@link #lease()}: 100 ms. */
  public static final Duration MIN_LEASE = Duration.ofMillis(100);
  /** The shortest {@link #maxIdleWait()}: 1 ms. */
  public static final Duration MIN_IDLE_WAIT = Duration.ofMillis(1);
  /** The longest {@link #maxIdleWait()}: 1 day. */
  public static final Duration MAX_IDLE_WAIT = Duration.ofDays(1);
  /** The most {@link #consumerThreads()}: 1,000 (each is a platform thread). */
  public static final int MAX_CONSUMER_THREADS = 1_000;

  private static final DebounceOptions DEFAULTS = builder().build();

  private final Duration defaultDelay;
  private final DuplicatePolicy duplicatePolicy;
  private final Duration maxWait;
  private final Duration lease;
  private final int consumerThreads;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final int maxAttempts;
  private final Duration maxIdleWait;
  private final Duration shutdownTimeout;
  private final boolean publishWakeUps;

  private DebounceOptions(Builder b) {
    this.defaultDelay = b.defaultDelay;
    this.duplicatePolicy = b.duplicatePolicy;
    this.maxWait = b.maxWait;
    this.lease = b.lease;
    this.consumerThreads = b.consumerThreads;
    this.retryDelay = b.retryDelay;
    this.maxRetryDelay = b.maxRetryDelay;
    this.maxAttempts = b.maxAttempts;
    this.maxIdleWait = b.maxIdleWait;
    this.shutdownTimeout = b.shutdownTimeout;
    this.publishWakeUps = b.publishWakeUps;
  }

  /** The defaults (every {@code DEFAULT_*} constant). */
  public static DebounceOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.defaultDelay = defaultDelay;
    b.duplicatePolicy = duplicatePolicy;
    b.maxWait = maxWait;
    b.lease = lease;
    b.consumerThreads = consumerThreads;
    b.retryDelay = retryDelay;
    b.maxRetryDelay = maxRetryDelay;
    b.maxAttempts = maxAttempts;
    b.maxIdleWait = maxIdleWait;
    b.shutdownTimeout = shutdownTimeout;
    b.publishWakeUps = publishWakeUps;
    return b;
  }

  /** The delay of {@link DebounceTask#add(Object)} and {@link DebounceTask#addAll}. */
  public Duration defaultDelay() {
    return defaultDelay;
  }

  /** What adding a waiting task again does. */
  public DuplicatePolicy duplicatePolicy() {
    return duplicatePolicy;
  }

  /** The maximum wait of {@link DuplicatePolicy#DEBOUNCE}, if any. */
  public Optional<Duration> maxWait() {
    return Optional.ofNullable(maxWait);
  }

  /** How long a consumer's claim on a task lasts without renewal. */
  public Duration lease() {
    return lease;
  }

  /** Handler threads of {@link DebounceTask#consume(TaskHandler)}. */
  public int consumerThreads() {
    return consumerThreads;
  }

  /**
   * Delay before a task whose handler threw is due again the first time; failure n waits
   * {@code min(retryDelay * 2^(n-1), max(retryDelay, maxRetryDelay))}.
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** Cap of the exponentially growing retry delay (never below {@link #retryDelay()}). */
  public Duration maxRetryDelay() {
    return maxRetryDelay;
  }

  /**
   * Failed deliveries of a consumed task (handler threw, or its lease ran out) after which it
   * goes to the dead letters instead of being retried.
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Longest sleep of a waiter without any wake-up. */
  public Duration maxIdleWait() {
    return maxIdleWait;
  }

  /** How long closing a consumer waits for running handlers. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Whether adds publish wake-ups for waiters. */
  public boolean publishWakeUps() {
    return publishWakeUps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DebounceOptions x && defaultDelay.equals(x.defaultDelay)
        && duplicatePolicy == x.duplicatePolicy && Objects.equals(maxWait, x.maxWait)
        && lease.equals(x.lease) && consumerThreads == x.consumerThreads
        && retryDelay.equals(x.retryDelay) && maxRetryDelay.equals(x.maxRetryDelay)
        && maxAttempts == x.maxAttempts && maxIdleWait.equals(x.maxIdleWait)
        && shutdownTimeout.equals(x.shutdownTimeout) && publishWakeUps == x.publishWakeUps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaultDelay, duplicatePolicy, maxWait, lease, consumerThreads, retryDelay,
        maxRetryDelay, maxAttempts, maxIdleWait, shutdownTimeout, publishWakeUps);
  }

  @Override
  public String toString() {
    return "DebounceOptions[defaultDelay=" + defaultDelay + ", duplicatePolicy=" + duplicatePolicy
        + ", maxWait=" + (maxWait == null ? "none" : maxWait) + ", lease=" + lease
        + ", consumerThreads=" + consumerThreads + ", retryDelay=" + retryDelay
        + ", maxRetryDelay=" + maxRetryDelay + ", maxAttempts=" + maxAttempts + ", maxIdleWait="
        + maxIdleWait + ", shutdownTimeout=" + shutdownTimeout + ", publishWakeUps="
        + publishWakeUps + "]";
  }

  /** Builds {@link DebounceOptions}; every setter rejects a bad value at once, naming it. */
  public static final class Builder {
    private Duration defaultDelay = DEFAULT_DELAY;
    private DuplicatePolicy duplicatePolicy = DEFAULT_DUPLICATE_POLICY;
    private Duration maxWait;
    private Duration lease = DEFAULT_LEASE;
    private int consumerThreads = DEFAULT_CONSUMER_THREADS;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxIdleWait = DEFAULT_MAX_IDLE_WAIT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private boolean publishWakeUps = DEFAULT_PUBLISH_WAKE_UPS;

    private Builder() {}

    /**
     * Delay of adds that name none (default {@link #DEFAULT_DELAY}); 0 to {@link #MAX_DURATION}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_DURATION}
     */
    public Builder defaultDelay(Duration d) {
      this.defaultDelay = Args.inRange(d, Duration.ZERO, MAX_DURATION, "defaultDelay");
      return this;
    }

    /**
     * Duplicate policy (default {@link #DEFAULT_DUPLICATE_POLICY}).
     *
     * @throws NullPointerException if null
     */
    public Builder duplicatePolicy(DuplicatePolicy p) {
      this.duplicatePolicy = Args.notNull(p, "duplicatePolicy");
      return this;
    }

    /**
     * Maximum wait for {@link DuplicatePolicy#DEBOUNCE}: a task's due time never moves past its
     * first add + this (default: none); 0 to {@link #MAX_DURATION}. Requires the DEBOUNCE policy
     * ({@link #build()} checks).
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_DURATION}
     */
    public Builder maxWait(Duration d) {
      this.maxWait = Args.inRange(d, Duration.ZERO, MAX_DURATION, "maxWait");
      return this;
    }

    /** Removes the maximum wait (the default). */
    public Builder noMaxWait() {
      this.maxWait = null;
      return this;
    }

    /**
     * Consumer lease (default {@link #DEFAULT_LEASE}); {@link #MIN_LEASE} (100 ms) to {@link
     * #MAX_DURATION}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if shorter than 100 ms or longer than {@link #MAX_DURATION}
     */
    public Builder lease(Duration d) {
      this.lease = Args.inRange(d, MIN_LEASE, MAX_DURATION, "lease");
      return this;
    }

    /**
     * Consumer handler threads (default {@link #DEFAULT_CONSUMER_THREADS}); 1 to {@link
     * #MAX_CONSUMER_THREADS}.
     *
     * @throws IllegalArgumentException if below 1 or above {@link #MAX_CONSUMER_THREADS}
     */
    public Builder consumerThreads(int n) {
      this.consumerThreads = Args.inRange(n, 1, MAX_CONSUMER_THREADS, "consumerThreads");
      return this;
    }

    /**
     * Delay before a failed task is due again the first time (default {@link
     * #DEFAULT_RETRY_DELAY}); it doubles with each further failure up to {@link #maxRetryDelay}.
     * 0 to {@link #MAX_DURATION}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_DURATION}
     */
    public Builder retryDelay(Duration d) {
      this.retryDelay = Args.inRange(d, Duration.ZERO, MAX_DURATION, "retryDelay");
      return this;
    }

    /**
     * Cap of the exponentially growing retry delay (default {@link #DEFAULT_MAX_RETRY_DELAY}). A
     * cap below {@link #retryDelay} means every retry waits {@code retryDelay}. 0 to {@link
     * #MAX_DURATION}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_DURATION}
     */
    public Builder maxRetryDelay(Duration d) {
      this.maxRetryDelay = Args.inRange(d, Duration.ZERO, MAX_DURATION, "maxRetryDelay");
      return this;
    }

    /**
     * Failed deliveries after which a consumed task goes to the dead letters (default {@link
     * #DEFAULT_MAX_ATTEMPTS}); 1 dead-letters it at the first failure, {@link Integer#MAX_VALUE}
     * practically never.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttempts(int n) {
      this.maxAttempts = Args.inRange(n, 1, Integer.MAX_VALUE, "maxAttempts");
      return this;
    }

    /**
     * Longest sleep without a wake-up (default {@link #DEFAULT_MAX_IDLE_WAIT}); {@link
     * #MIN_IDLE_WAIT} (1 ms) to {@link #MAX_IDLE_WAIT} (1 day).
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if shorter than 1 ms or longer than 1 day
     */
    public Builder maxIdleWait(Duration d) {
      this.maxIdleWait = Args.inRange(d, MIN_IDLE_WAIT, MAX_IDLE_WAIT, "maxIdleWait");
      return this;
    }

    /**
     * Time a consumer's close waits for running handlers (default {@link
     * #DEFAULT_SHUTDOWN_TIMEOUT}); 0 to {@link #MAX_DURATION}.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if negative or longer than {@link #MAX_DURATION}
     */
    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = Args.inRange(d, Duration.ZERO, MAX_DURATION, "shutdownTimeout");
      return this;
    }

    /** Whether adds publish wake-ups (default {@link #DEFAULT_PUBLISH_WAKE_UPS}). */
    public Builder publishWakeUps(boolean b) {
      this.publishWakeUps = b;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalStateException if a maximum wait is set without the DEBOUNCE policy
     */
    public DebounceOptions build() {
      if (maxWait != null && duplicatePolicy != DuplicatePolicy.DEBOUNCE) {
        throw new IllegalStateException("maxWait (" + maxWait + ") needs duplicatePolicy DEBOUNCE, "
            + "got " + duplicatePolicy + ": with KEEP_FIRST the first due time never moves");
      }
      return new DebounceOptions(this);
    }
  }
}
