package io.github.redisext.debounce;

import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
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
    this.consumer = b.consumerOptions();
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
    b.consumer(consumer);
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

  /**
   * Builds {@link DebounceOptions}; every setter rejects a bad value at once, naming it. The
   * consumer setters ({@code concurrency}, {@code lease}, ...) are core's ({@link
   * ConsumerBuilder}); the {@code metrics} listener also hears {@code PUBLISHED} for adds.
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private Duration defaultDelay = DEFAULT_DELAY;
    private DuplicatePolicy duplicatePolicy = DEFAULT_DUPLICATE_POLICY;
    private Duration maxWait;
    private boolean wakeUps = DEFAULT_WAKE_UPS;

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
