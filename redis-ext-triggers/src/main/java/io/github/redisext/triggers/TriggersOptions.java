package io.github.redisext.triggers;

import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of {@link ExpiryTriggers}. Build with {@link #builder()}, or take {@link
 * #defaults()}.
 *
 * <pre>{@code
 * TriggersOptions opts = TriggersOptions.builder()
 *     .shards(8)                               // hash-tagged sorted sets, spread over a cluster
 *     .sweepInterval(Duration.ofSeconds(10))   // how often Python-written triggers are adopted
 *     .concurrency(8).maxAttempts(5).retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 *
 * <p>The consumer options ({@code concurrency}, {@code prefetch}, {@code lease}, {@code
 * maxAttempts}, {@code retryBackoff}, {@code retryJitter}, {@code shutdownGrace}, {@code
 * idleWait}, {@code metrics}) are core's {@link ConsumerOptions}, with the same names, defaults
 * and ranges as in every redis-ext consumer; {@link #consumer()} returns them.
 */
public final class TriggersOptions {
  /** Default number of due sorted sets (shards): {@value}. */
  public static final int DEFAULT_SHARDS = 4;
  /** Most shards: {@value}. */
  public static final int MAX_SHARDS = 1024;
  /** Default: listen to expired events on every master (for triggers written by others). */
  public static final boolean DEFAULT_LISTEN = true;
  /** Default: {@code del} events of adopted triggers' keys are not followed. */
  public static final boolean DEFAULT_FOLLOW_DELETES = false;
  /** Default: add the missing {@code notify-keyspace-events} flags with CONFIG SET. */
  public static final boolean DEFAULT_CONFIGURE_EVENTS = true;
  /** Default interval of the sweep that adopts triggers written by others: 30 s. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(30);
  /** Default life of a fired marker (tells a trigger's own late expired event): 10 minutes. */
  public static final Duration DEFAULT_FIRED_MARKER_TTL = Duration.ofMinutes(10);
  /** Default lateness from which a firing is flagged late: 1 s. */
  public static final Duration DEFAULT_LATE_AFTER = Duration.ofSeconds(1);
  /** Longest duration option: 7 days. */
  public static final Duration MAX_DURATION = Duration.ofDays(7);

  private static final TriggersOptions DEFAULTS = builder().build();

  private final int shards;
  private final boolean listen;
  private final boolean followDeletes;
  private final boolean configureEvents;
  private final Duration sweepInterval;
  private final Duration firedMarkerTtl;
  private final Duration lateAfter;
  private final ConsumerOptions consumer;

  private TriggersOptions(Builder b) {
    this.shards = b.shards;
    this.listen = b.listen;
    this.followDeletes = b.followDeletes;
    this.configureEvents = b.configureEvents;
    this.sweepInterval = b.sweepInterval;
    this.firedMarkerTtl = b.firedMarkerTtl;
    this.lateAfter = b.lateAfter;
    this.consumer = b.consumerOptions();
  }

  /** The defaults (every {@code DEFAULT_*} constant). */
  public static TriggersOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.shards = shards;
    b.listen = listen;
    b.followDeletes = followDeletes;
    b.configureEvents = configureEvents;
    b.sweepInterval = sweepInterval;
    b.firedMarkerTtl = firedMarkerTtl;
    b.lateAfter = lateAfter;
    b.consumer(consumer);
    return b;
  }

  /** Number of due sorted sets; every process of a tenant must use the same number. */
  public int shards() {
    return shards;
  }

  /** Whether {@code start()} listens to expired events on every master. */
  public boolean listen() {
    return listen;
  }

  /**
   * Whether {@code del} events are followed: an adopted trigger (written by Python) whose TTL key
   * its writer deletes (Python's {@code RedisTrigger.delete}) is cancelled in the sorted set too.
   * Needs the {@code g} flag of {@code notify-keyspace-events}, which publishes an event for every
   * generic command (DEL, EXPIRE, RENAME, ...) of the database.
   */
  public boolean followDeletes() {
    return followDeletes;
  }

  /** Whether missing {@code notify-keyspace-events} flags are added with CONFIG SET. */
  public boolean configureEvents() {
    return configureEvents;
  }

  /** Interval of the sweep adopting triggers written by others (SCAN of the TTL keys). */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /** How long a fired trigger's marker lives (see the README's "Python interop"). */
  public Duration firedMarkerTtl() {
    return firedMarkerTtl;
  }

  /** Lateness from which a firing is flagged {@link Trigger#late()} and counted late. */
  public Duration lateAfter() {
    return lateAfter;
  }

  /** The consumer options, in the vocabulary every redis-ext consumer shares. */
  public ConsumerOptions consumer() {
    return consumer;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TriggersOptions x && shards == x.shards && listen == x.listen
        && followDeletes == x.followDeletes && configureEvents == x.configureEvents
        && sweepInterval.equals(x.sweepInterval)
        && firedMarkerTtl.equals(x.firedMarkerTtl) && lateAfter.equals(x.lateAfter)
        && consumer.equals(x.consumer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shards, listen, followDeletes, configureEvents, sweepInterval,
        firedMarkerTtl, lateAfter, consumer);
  }

  @Override
  public String toString() {
    return "TriggersOptions[shards=" + shards + ", listen=" + listen + ", followDeletes="
        + followDeletes + ", configureEvents="
        + configureEvents + ", sweepInterval=" + sweepInterval + ", firedMarkerTtl="
        + firedMarkerTtl + ", lateAfter=" + lateAfter + ", consumer=" + consumer + "]";
  }

  /**
   * Builds {@link TriggersOptions}; every setter rejects a bad value at once, naming it. The
   * consumer setters ({@code concurrency}, {@code lease}, ...) are core's ({@link
   * ConsumerBuilder}); {@code idleWait} also bounds how late a trigger armed by a process whose
   * wake-up was missed is seen.
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private int shards = DEFAULT_SHARDS;
    private boolean listen = DEFAULT_LISTEN;
    private boolean followDeletes = DEFAULT_FOLLOW_DELETES;
    private boolean configureEvents = DEFAULT_CONFIGURE_EVENTS;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private Duration firedMarkerTtl = DEFAULT_FIRED_MARKER_TTL;
    private Duration lateAfter = DEFAULT_LATE_AFTER;

    private Builder() {}

    /**
     * Number of due sorted sets (default {@link #DEFAULT_SHARDS}), 1 to {@link #MAX_SHARDS}.
     *
     * @throws IllegalArgumentException if out of range (naming {@code shards})
     */
    public Builder shards(int n) {
      this.shards = Args.inRange(n, 1, MAX_SHARDS, "shards");
      return this;
    }

    /** Whether to listen to expired events (default {@link #DEFAULT_LISTEN}). */
    public Builder listen(boolean b) {
      this.listen = b;
      return this;
    }

    /** Whether to follow {@code del} events (default {@link #DEFAULT_FOLLOW_DELETES}). */
    public Builder followDeletes(boolean b) {
      this.followDeletes = b;
      return this;
    }

    /**
     * Whether to add missing notify-keyspace-events flags (default {@link
     * #DEFAULT_CONFIGURE_EVENTS}).
     */
    public Builder configureEvents(boolean b) {
      this.configureEvents = b;
      return this;
    }

    /**
     * Sweep interval (default {@link #DEFAULT_SWEEP_INTERVAL}); 100 ms to 7 days.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code sweepInterval})
     */
    public Builder sweepInterval(Duration d) {
      this.sweepInterval = Args.inRange(d, Duration.ofMillis(100), MAX_DURATION, "sweepInterval");
      return this;
    }

    /**
     * Life of a fired marker (default {@link #DEFAULT_FIRED_MARKER_TTL}); 1 s to 7 days.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code firedMarkerTtl})
     */
    public Builder firedMarkerTtl(Duration d) {
      this.firedMarkerTtl = Args.inRange(d, Duration.ofSeconds(1), MAX_DURATION, "firedMarkerTtl");
      return this;
    }

    /**
     * Lateness flagged as late (default {@link #DEFAULT_LATE_AFTER}); 0 to 7 days.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if out of range (naming {@code lateAfter})
     */
    public Builder lateAfter(Duration d) {
      this.lateAfter = Args.inRange(d, Duration.ZERO, MAX_DURATION, "lateAfter");
      return this;
    }

    /** The options. */
    public TriggersOptions build() {
      return new TriggersOptions(this);
    }
  }
}
