package io.github.redisext.events;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link EventQueue} (and a {@link QueueManager}): eventy's {@code key_prefix} and
 * {@code event_ttl}, the publisher id written as {@code worker_id}, and the metrics listener.
 * Immutable; build with {@link #builder()}.
 */
public final class EventQueueOptions {
  /** eventy's default key prefix. */
  public static final String DEFAULT_PREFIX = "eventy";
  /** eventy's default event time-to-live: 86,400 s. */
  public static final Duration DEFAULT_EVENT_TTL = Duration.ofSeconds(86_400);
  /** Shortest event time-to-live (Redis EXPIRE works in whole seconds). */
  public static final Duration MIN_EVENT_TTL = Duration.ofSeconds(1);
  /** Longest event time-to-live. */
  public static final Duration MAX_EVENT_TTL = Duration.ofDays(36_500);

  private static final EventQueueOptions DEFAULTS = builder().build();

  private final String prefix;
  private final Duration eventTtl;
  private final String workerId;
  private final MetricsListener metrics;

  private EventQueueOptions(Builder b) {
    this.prefix = b.prefix;
    this.eventTtl = b.eventTtl;
    this.workerId = b.workerId;
    this.metrics = b.metrics;
  }

  /** The defaults. */
  public static EventQueueOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.eventTtl = eventTtl;
    b.workerId = workerId;
    b.metrics = metrics;
    return b;
  }

  /** The key prefix ({@code <prefix>:events:<type>:<id>} ...). */
  public String prefix() {
    return prefix;
  }

  /** How long an event (and the index, refreshed at every publish) lives. */
  public Duration eventTtl() {
    return eventTtl;
  }

  /** The publisher id written into every event's {@code worker_id}, or null for a random UUID. */
  public String workerId() {
    return workerId;
  }

  /** Where the publisher's metrics go ({@link MetricsListener#NONE} by default). */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventQueueOptions x && prefix.equals(x.prefix)
        && eventTtl.equals(x.eventTtl) && Objects.equals(workerId, x.workerId)
        && metrics.equals(x.metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefix, eventTtl, workerId, metrics);
  }

  @Override
  public String toString() {
    return "EventQueueOptions[prefix=" + prefix + ", eventTtl=" + eventTtl + ", workerId="
        + (workerId == null ? "<random>" : workerId) + ", metrics="
        + (metrics == MetricsListener.NONE ? "none" : metrics.getClass().getSimpleName()) + "]";
  }

  /** Builds {@link EventQueueOptions}; setters reject bad values at once, naming the option. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private Duration eventTtl = DEFAULT_EVENT_TTL;
    private String workerId;
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    /**
     * The key prefix, default {@value EventQueueOptions#DEFAULT_PREFIX}. On a Redis Cluster it
     * must carry a hash tag (e.g. {@code "{eventy}"}) so that all keys of a type share one slot.
     */
    public Builder prefix(String p) {
      this.prefix = Args.notBlank(p, "prefix");
      return this;
    }

    /**
     * Event time-to-live, whole seconds from {@link #MIN_EVENT_TTL} to {@link #MAX_EVENT_TTL};
     * default {@link #DEFAULT_EVENT_TTL}.
     */
    public Builder eventTtl(Duration ttl) {
      Args.inRange(ttl, MIN_EVENT_TTL, MAX_EVENT_TTL, "eventTtl");
      if (ttl.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException("eventTtl must be whole seconds (Redis EXPIRE), got "
            + ttl);
      }
      this.eventTtl = ttl;
      return this;
    }

    /** The {@code worker_id} written into published events (default: a random UUID per queue). */
    public Builder workerId(String id) {
      this.workerId = Args.notBlank(id, "workerId");
      return this;
    }

    /** The metrics listener. */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /** The options. */
    public EventQueueOptions build() {
      return new EventQueueOptions(this);
    }
  }
}
