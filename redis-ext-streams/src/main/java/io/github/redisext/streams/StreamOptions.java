package io.github.redisext.streams;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of a {@link RedisStream}: lifecycle events, retention and the caps of the
 * dead-letter and event streams. Build with {@link #builder()}, or take {@link #defaults()}.
 *
 * <pre>{@code
 * StreamOptions opts = StreamOptions.builder()
 *     .produceEvents(true)              // stream:events:<name>, as the Python library writes it
 *     .maxLength(1_000_000)             // XADD ... MAXLEN ~ 1000000
 *     .build();
 * }</pre>
 */
public final class StreamOptions {
  /** Default: no lifecycle events (the Python library's {@code produce_events=False}). */
  public static final boolean DEFAULT_PRODUCE_EVENTS = false;
  /** Default retention of the stream on add: none ({@code 0}); entries stay until trimmed. */
  public static final long DEFAULT_MAX_LENGTH = 0;
  /** Default cap of the dead-letter stream ({@code MAXLEN ~}): 100,000 entries. */
  public static final long DEFAULT_DEAD_LETTER_MAX_LENGTH = 100_000;
  /** Default cap of the event stream ({@code MAXLEN ~}): 10,000 events. */
  public static final long DEFAULT_EVENTS_MAX_LENGTH = 10_000;

  private static final StreamOptions DEFAULTS = builder().build();

  private final boolean produceEvents;
  private final long maxLength;
  private final Duration maxAge;
  private final long deadLetterMaxLength;
  private final long eventsMaxLength;
  private final MetricsListener metrics;

  private StreamOptions(Builder b) {
    this.produceEvents = b.produceEvents;
    this.maxLength = b.maxLength;
    this.maxAge = b.maxAge;
    this.deadLetterMaxLength = b.deadLetterMaxLength;
    this.eventsMaxLength = b.eventsMaxLength;
    this.metrics = b.metrics;
  }

  /** The defaults (every {@code DEFAULT_*} constant). */
  public static StreamOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.produceEvents = produceEvents;
    b.maxLength = maxLength;
    b.maxAge = maxAge;
    b.deadLetterMaxLength = deadLetterMaxLength;
    b.eventsMaxLength = eventsMaxLength;
    b.metrics = metrics;
    return b;
  }

  /** Whether consumers write lifecycle events to {@code stream:events:<name>}. */
  public boolean produceEvents() {
    return produceEvents;
  }

  /** {@code MAXLEN ~} applied by every add; 0 for none. */
  public long maxLength() {
    return maxLength;
  }

  /** {@code MINID ~ (now - maxAge)} applied by every add (local clock); zero for none. */
  public Duration maxAge() {
    return maxAge;
  }

  /** {@code MAXLEN ~} of the dead-letter stream; 0 for none. */
  public long deadLetterMaxLength() {
    return deadLetterMaxLength;
  }

  /** {@code MAXLEN ~} of the event stream; 0 for none. */
  public long eventsMaxLength() {
    return eventsMaxLength;
  }

  /** Where adds report {@code PUBLISHED}. */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamOptions s && s.produceEvents == produceEvents
        && s.maxLength == maxLength && s.maxAge.equals(maxAge)
        && s.deadLetterMaxLength == deadLetterMaxLength && s.eventsMaxLength == eventsMaxLength
        && s.metrics.equals(metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(produceEvents, maxLength, maxAge, deadLetterMaxLength, eventsMaxLength,
        metrics);
  }

  @Override
  public String toString() {
    return "StreamOptions[produceEvents=" + produceEvents + ", maxLength=" + maxLength
        + ", maxAge=" + maxAge + ", deadLetterMaxLength=" + deadLetterMaxLength
        + ", eventsMaxLength=" + eventsMaxLength + "]";
  }

  /** Builds {@link StreamOptions}. */
  public static final class Builder {
    private boolean produceEvents = DEFAULT_PRODUCE_EVENTS;
    private long maxLength = DEFAULT_MAX_LENGTH;
    private Duration maxAge = Duration.ZERO;
    private long deadLetterMaxLength = DEFAULT_DEAD_LETTER_MAX_LENGTH;
    private long eventsMaxLength = DEFAULT_EVENTS_MAX_LENGTH;
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    /** Whether consumers write lifecycle events (default false). */
    public Builder produceEvents(boolean on) {
      this.produceEvents = on;
      return this;
    }

    /**
     * Caps the stream on every add with {@code MAXLEN ~ n} (0 = no cap). Beware: this removes the
     * oldest entries whether or not a group has processed them; {@link
     * RedisStream#trimAcknowledged()} removes only acknowledged ones.
     */
    public Builder maxLength(long n) {
      this.maxLength = Args.inRange(n, 0, Long.MAX_VALUE, "maxLength");
      return this;
    }

    /**
     * Trims entries older than {@code age} on every add ({@code MINID ~}, from the local clock;
     * zero = no limit). Same caveat as {@link #maxLength(long)}.
     */
    public Builder maxAge(Duration age) {
      this.maxAge = Args.nonNegative(age, "maxAge");
      return this;
    }

    /** Caps the dead-letter stream with {@code MAXLEN ~ n} (0 = no cap). */
    public Builder deadLetterMaxLength(long n) {
      this.deadLetterMaxLength = Args.inRange(n, 0, Long.MAX_VALUE, "deadLetterMaxLength");
      return this;
    }

    /** Caps the event stream with {@code MAXLEN ~ n} (0 = no cap). */
    public Builder eventsMaxLength(long n) {
      this.eventsMaxLength = Args.inRange(n, 0, Long.MAX_VALUE, "eventsMaxLength");
      return this;
    }

    /** Where adds report {@code PUBLISHED}; consumers take theirs from {@link ProcessOptions}. */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /** The options. */
    public StreamOptions build() {
      return new StreamOptions(this);
    }
  }
}
