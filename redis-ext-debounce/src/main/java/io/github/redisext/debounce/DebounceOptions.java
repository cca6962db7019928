package io.github.redisext.debounce;

import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.metrics.MetricsListener;
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
 *     .concurrency(8).retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 *
 * <p>The consumer options ({@code concurrency}, {@code prefetch}, {@code lease}, {@code
 * maxAttempts}, {@code retryBackoff}, {@code retryJitter}, {@code shutdownGrace}, {@code
 * idleWait}, {@code metrics}) are core's {@link ConsumerOptions}, with the same names, defaults and ranges as in
 * every redis-ext consumer; {@link #consumer()} returns them.
 */
public final class DebounceOptions {
  /** Default delay of {@code add(task)}: {@value #DEFAULT_DELAY_MILLIS} ms (due at once). */
  public static final long DEFAULT_DELAY_MILLIS = 0;
  /** Default delay of {@code add(task)}: zero. */
  public static final Duration DEFAULT_DELAY = Duration.ofMillis(DEFAULT_DELAY_MILLIS);
  /** Default duplicate policy: {@link DuplicatePolicy#KEEP_FIRST} (the Python original's). */
  public static final DuplicatePolicy DEFAULT_DUPLICATE_POLICY = DuplicatePolicy.KEEP_FIRST;
  /** Default: adds publish a wake-up when they make the earliest due time earlier. */
  public static final boolean DEFAULT_WAKE_UPS = true;

  /**
   * The longest delay ({@code defaultDelay}, {@code maxWait}, the delay of an add) takes: 36,500
   * days (about 100 years; due times stay exact to the microsecond in the sorted set's double
   * scores). Longer ones are rejected with an {@link IllegalArgumentException} naming the
   * parameter and the range. The consumer options have the ranges every redis-ext consumer
   * shares ({@link ConsumerOptions}: durations up to 7 days).
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  private static final DebounceOptions DEFAULTS = builder().build();

  private final Duration defaultDelay;
  private final DuplicatePolicy duplicatePolicy;
  private final Duration maxWait;
  private final boolean wakeUps;
  private final ConsumerOptions consumer;

  private DebounceOptions(Builder b) {
    this.defaultDelay = b.defaultDelay;
    this.duplicatePolicy = b.duplicatePolicy;
    this.maxWait = b.maxWait;
    this.wakeUps = b.wakeUps;
    this.consumer = b.consumer.build();
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
    b.wakeUps = wakeUps;
    b.consumer = consumer.toBuilder();
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

  /**
   * The consumer options of {@link DebounceTask#consume(TaskHandler)}, in the vocabulary every
   * redis-ext consumer shares: read {@code consumer().concurrency()}, {@code lease()}, {@code
   * maxAttempts()}, {@code retryInitial()}, {@code retryMax()}, {@code idleWait()}, {@code
   * shutdownGrace()}, {@code metrics()} there.
   */
  public ConsumerOptions consumer() {
    return consumer;
  }

  /**
   * Whether adds publish wake-ups, so consumers and {@code await} callers of every process react
   * within milliseconds instead of at their idle wait.
   */
  public boolean wakeUps() {
    return wakeUps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DebounceOptions x && defaultDelay.equals(x.defaultDelay)
        && duplicatePolicy == x.duplicatePolicy && Objects.equals(maxWait, x.maxWait)
        && wakeUps == x.wakeUps && consumer.equals(x.consumer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaultDelay, duplicatePolicy, maxWait, wakeUps, consumer);
  }

  @Override
  public String toString() {
    return "DebounceOptions[defaultDelay=" + defaultDelay + ", duplicatePolicy=" + duplicatePolicy
        + ", maxWait=" + (maxWait == null ? "none" : maxWait) + ", wakeUps="
        + wakeUps + ", consumer=" + consumer + "]";
  }

  /** Builds {@link DebounceOptions}; every setter rejects a bad value at once, naming it. */
  public static final class Builder {
    private Duration defaultDelay = DEFAULT_DELAY;
    private DuplicatePolicy duplicatePolicy = DEFAULT_DUPLICATE_POLICY;
    private Duration maxWait;
    private boolean wakeUps = DEFAULT_WAKE_UPS;
    private ConsumerOptions.Builder consumer = ConsumerOptions.builder();

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
     * Every consumer option at once (replacing those set before).
     *
     * @throws NullPointerException if null
     */
    public Builder consumer(ConsumerOptions options) {
      this.consumer = Args.notNull(options, "consumer").toBuilder();
      return this;
    }

    /**
     * Handler threads of a consumer (default {@link ConsumerOptions#DEFAULT_CONCURRENCY}); 1 to
     * {@link ConsumerOptions#MAX_CONCURRENCY}.
     *
     * @throws IllegalArgumentException if out of range (naming {@code concurrency})
     */
    public Builder concurrency(int n) {
      consumer.concurrency(n);
      return this;
    }

    /**
     * Tasks a consumer claims and holds beyond its running handlers, so a free handler never
     * waits for a claim (default {@link ConsumerOptions#DEFAULT_PREFETCH}); 0 to {@link
     * ConsumerOptions#MAX_PREFETCH}. Held tasks are leased: at close, the unstarted ones go back,
     * due at once, their attempt counts unchanged.
     *
     * @throws IllegalArgumentException if out of range (naming {@code prefetch})
     */
    public Builder prefetch(int n) {
      consumer.prefetch(n);
      return this;
    }

    /**
     * Consumer lease (default {@link ConsumerOptions#DEFAULT_LEASE}); {@link
     * ConsumerOptions#MIN_LEASE} (100 ms) to {@link ConsumerOptions#MAX_DURATION} (7 days).
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code lease})
     */
    public Builder lease(Duration d) {
      consumer.lease(d);
      return this;
    }

    /**
     * Deliveries after which a consumed task goes to the dead letters (default {@link
     * ConsumerOptions#DEFAULT_MAX_ATTEMPTS}); 1 dead-letters it at the first failure; at most
     * 1,000,000.
     *
     * @throws IllegalArgumentException if out of range (naming {@code maxAttempts})
     */
    public Builder maxAttempts(int n) {
      consumer.maxAttempts(n);
      return this;
    }

    /**
     * Retry delays of failed tasks: {@code initial} the first time, doubling with each further
     * failure up to {@code max} (defaults {@link ConsumerOptions#DEFAULT_RETRY_INITIAL} and
     * {@link ConsumerOptions#DEFAULT_RETRY_MAX}); 0 &lt;= initial &lt;= max &lt;= 7 days.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code retryBackoff})
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      consumer.retryBackoff(initial, max);
      return this;
    }

    /**
     * Whether retry delays are jittered, uniformly between half and all of the doubled delay
     * (default true); false makes each exactly {@code min(initial * 2^(n-1), max)}.
     */
    public Builder retryJitter(boolean jitter) {
      consumer.retryJitter(jitter);
      return this;
    }

    /**
     * Longest sleep of a consumer or {@code await} without a wake-up (default {@link
     * ConsumerOptions#DEFAULT_IDLE_WAIT}); 1 ms to 7 days. Wake-ups come from pub/sub and the
     * earliest due time; this only bounds how late a task added by a peer that does not publish
     * (e.g. the Python library) is seen.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code idleWait})
     */
    public Builder idleWait(Duration d) {
      consumer.idleWait(d);
      return this;
    }

    /**
     * Time a consumer's close waits for running handlers (default {@link
     * ConsumerOptions#DEFAULT_SHUTDOWN_GRACE}); 0 to 7 days.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code shutdownGrace})
     */
    public Builder shutdownGrace(Duration d) {
      consumer.shutdownGrace(d);
      return this;
    }

    /**
     * Where the consumers report what they do, and adds report {@code PUBLISHED} (default {@link
     * MetricsListener#NONE}).
     *
     * @throws NullPointerException if null
     */
    public Builder metrics(MetricsListener listener) {
      consumer.metrics(listener);
      return this;
    }

    /** Whether adds publish wake-ups (default {@link #DEFAULT_WAKE_UPS}). */
    public Builder wakeUps(boolean b) {
      this.wakeUps = b;
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
