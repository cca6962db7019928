package io.github.redisext.streams;

import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of one consumer started by {@link RedisStream#process}: its group and name,
 * where a new group starts, the retry policy, and the consumer options every redis-ext consumer
 * shares. Build with {@link #builder(String)}.
 *
 * <pre>{@code
 * ProcessOptions opts = ProcessOptions.builder("billing")
 *     .startFrom(StartFrom.OLDEST)
 *     .concurrency(10).lease(Duration.ofSeconds(30))
 *     .maxAttempts(5).retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>The consumer options ({@code concurrency}, {@code prefetch}, {@code lease}, {@code
 * maxAttempts}, {@code retryBackoff}, {@code retryJitter}, {@code shutdownGrace}, {@code
 * idleWait}, {@code metrics}) are core's {@link ConsumerOptions} with the same names and ranges as
 * in every redis-ext consumer; {@link #consumer()} returns them. This module's defaults differ
 * where the Python library's do: concurrency {@value #DEFAULT_CONCURRENCY}, prefetch {@value
 * #DEFAULT_PREFETCH}, {@value #DEFAULT_MAX_ATTEMPTS} attempts (the Python library retries forever:
 * {@link Builder#retryForever()}).
 *
 * <p>The {@code lease} is also the reclaim threshold: an entry pending longer than the lease
 * without a renewal (its consumer died or stalled) is taken over by another consumer. A retry
 * delay longer than the lease is served as the lease (the entry's idle time in the pending list
 * is the only timer the wire format has).
 */
public final class ProcessOptions {
  /** Default handler threads: 10 (the Python library's). */
  public static final int DEFAULT_CONCURRENCY = 10;
  /** Default entries read ahead of the running ones: 20 (the Python library's batch). */
  public static final int DEFAULT_PREFETCH = 20;
  /** Default deliveries before an entry is dead-lettered: 10. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  /** "Forever" for {@link Builder#retryForever()}: the kernel's upper bound of attempts. */
  public static final int FOREVER = 1_000_000;
  /** Default start of a group created by {@code process}: {@link StartFrom#LATEST} ({@code $}). */
  public static final StartFrom DEFAULT_START_FROM = StartFrom.LATEST;
  /** Default idle time after which a consumer with nothing pending is removed: 1 hour. */
  public static final Duration DEFAULT_REMOVE_IDLE_CONSUMERS_AFTER = Duration.ofHours(1);
  /** Default interval of the acknowledged-entries trimmer: zero, off (Python never trims). */
  public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ZERO;
  /** Default entries per call of a batch handler: 20. */
  public static final int DEFAULT_BATCH_SIZE = 20;

  private final String group;
  private final String consumerName;
  private final StartFrom startFrom;
  private final RetryPolicy<Object> retryPolicy;
  private final Duration removeIdleConsumersAfter;
  private final Duration trimInterval;
  private final int batchSize;
  private final ConsumerOptions consumer;

  private ProcessOptions(Builder b) {
    this.group = b.group;
    this.consumerName = b.consumerName;
    this.startFrom = b.startFrom;
    this.retryPolicy = b.retryPolicy;
    this.removeIdleConsumersAfter = b.removeIdleConsumersAfter;
    this.trimInterval = b.trimInterval;
    this.batchSize = b.batchSize;
    this.consumer = b.consumerOptions();
  }

  /**
   * A builder for a consumer of {@code group}, everything else at its default.
   *
   * @throws IllegalArgumentException if the group is null or blank
   */
  public static Builder builder(String group) {
    return new Builder(group);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder(group);
    b.consumerName = consumerName;
    b.startFrom = startFrom;
    b.retryPolicy = retryPolicy;
    b.removeIdleConsumersAfter = removeIdleConsumersAfter;
    b.trimInterval = trimInterval;
    b.batchSize = batchSize;
    b.consumer(consumer);
    return b;
  }

  /** The consumer group. */
  public String group() {
    return group;
  }

  /** The consumer's name in the group, or null for a generated {@code host-pid-random} name. */
  public String consumerName() {
    return consumerName;
  }

  /** Where the group starts if {@code process} creates it. */
  public StartFrom startFrom() {
    return startFrom;
  }

  /** The retry policy, or null (retry until {@code maxAttempts}). */
  @SuppressWarnings("unchecked")
  public <T> RetryPolicy<T> retryPolicy() {
    return (RetryPolicy<T>) retryPolicy;
  }

  /** Consumers of the group idle this long with nothing pending are removed; zero: never. */
  public Duration removeIdleConsumersAfter() {
    return removeIdleConsumersAfter;
  }

  /** How often the consumer runs {@link RedisStream#trimAcknowledged()}; zero: never. */
  public Duration trimInterval() {
    return trimInterval;
  }

  /** Most entries per call of a batch handler. */
  public int batchSize() {
    return batchSize;
  }

  /** The shared consumer options. */
  public ConsumerOptions consumer() {
    return consumer;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessOptions p && p.group.equals(group)
        && Objects.equals(p.consumerName, consumerName) && p.startFrom == startFrom
        && Objects.equals(p.retryPolicy, retryPolicy)
        && p.removeIdleConsumersAfter.equals(removeIdleConsumersAfter)
        && p.trimInterval.equals(trimInterval) && p.batchSize == batchSize
        && p.consumer.equals(consumer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, consumerName, startFrom, retryPolicy, removeIdleConsumersAfter,
        trimInterval, batchSize, consumer);
  }

  @Override
  public String toString() {
    return "ProcessOptions[group=" + group + ", consumerName="
        + (consumerName == null ? "<generated>" : consumerName) + ", startFrom=" + startFrom
        + ", retryPolicy=" + (retryPolicy == null ? "none" : "custom")
        + ", removeIdleConsumersAfter=" + removeIdleConsumersAfter + ", trimInterval="
        + trimInterval + ", batchSize=" + batchSize + ", " + consumer + "]";
  }

  /**
   * Builds {@link ProcessOptions}. The consumer setters ({@code concurrency}, {@code lease},
   * ...) are core's ({@link ConsumerBuilder}), starting from this module's defaults.
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private final String group;
    private String consumerName;
    private StartFrom startFrom = DEFAULT_START_FROM;
    private RetryPolicy<Object> retryPolicy;
    private Duration removeIdleConsumersAfter = DEFAULT_REMOVE_IDLE_CONSUMERS_AFTER;
    private Duration trimInterval = DEFAULT_TRIM_INTERVAL;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Builder(String group) {
      super(ConsumerOptions.builder().concurrency(DEFAULT_CONCURRENCY).prefetch(DEFAULT_PREFETCH)
          .maxAttempts(DEFAULT_MAX_ATTEMPTS).build());
      this.group = Args.notBlank(group, "group");
    }

    /**
     * A stable name for this consumer in the group (e.g. the pod name), so that a restarted
     * process finds its own pending entries and leaves no dead consumer behind. Two running
     * consumers must never share a name. Null (default): {@code host-pid-random}.
     */
    public Builder consumerName(String name) {
      this.consumerName = name == null ? null : Args.notBlank(name, "consumerName");
      return this;
    }

    /** Where the group starts if {@code process} creates it (default {@link StartFrom#LATEST}). */
    public Builder startFrom(StartFrom from) {
      this.startFrom = Args.notNull(from, "startFrom");
      return this;
    }

    /**
     * Asked after each failure whether to try again (null: retry until {@code maxAttempts}).
     * Both limits apply.
     */
    @SuppressWarnings("unchecked")
    public <T> Builder retryPolicy(RetryPolicy<T> policy) {
      this.retryPolicy = (RetryPolicy<Object>) policy;
      return this;
    }

    /** Removes consumers idle this long with nothing pending (zero: never; default 1 hour). */
    public Builder removeIdleConsumersAfter(Duration d) {
      this.removeIdleConsumersAfter = Args.nonNegative(d, "removeIdleConsumersAfter");
      return this;
    }

    /** Trims acknowledged entries this often (zero: never, the default). */
    public Builder trimInterval(Duration d) {
      this.trimInterval = Args.nonNegative(d, "trimInterval");
      return this;
    }

    /** Most entries per call of a batch handler, 1..1000 (default 20). */
    public Builder batchSize(int n) {
      this.batchSize = Args.inRange(n, 1, 1000, "batchSize");
      return this;
    }

    /** Retries without a practical limit (1,000,000 attempts), like the Python library. */
    public Builder retryForever() {
      return maxAttempts(FOREVER);
    }

    /** The options. */
    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
