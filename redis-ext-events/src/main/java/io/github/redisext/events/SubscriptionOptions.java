package io.github.redisext.events;

import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a durable subscription ({@link EventQueue#subscribe}): its {@link DeliveryMode},
 * where a new subscription starts, how many events one claim reads, how long its presence lasts
 * without a heartbeat, whether handled events get status PROCESSED, and the consumer vocabulary
 * every redis-ext consumer shares ({@link #consumer()}: concurrency, lease, retries ...).
 * Immutable; build with {@link #builder()}.
 */
public final class SubscriptionOptions {
  /** Default mode: every subscription gets every event. */
  public static final DeliveryMode DEFAULT_MODE = DeliveryMode.BROADCAST;
  /** Default start of a new subscription: the next event published. */
  public static final StartPosition DEFAULT_START = StartPosition.NEXT;
  /** Default number of events one claim reads (one batch). */
  public static final int DEFAULT_BATCH_SIZE = 200;
  /** Largest batch. */
  public static final int MAX_BATCH_SIZE = 10_000;
  /** Default presence: a subscription not heard from for this long is listed as dead. */
  public static final Duration DEFAULT_PRESENCE_TIMEOUT = Duration.ofSeconds(30);
  /** Shortest presence timeout. */
  public static final Duration MIN_PRESENCE_TIMEOUT = Duration.ofMillis(300);
  /** Default: handled events get status PROCESSED, dead-lettered ones ERROR. */
  public static final boolean DEFAULT_WRITE_STATUS = true;

  private static final SubscriptionOptions DEFAULTS = builder().build();

  private final DeliveryMode mode;
  private final StartPosition start;
  private final int batchSize;
  private final Duration presenceTimeout;
  private final boolean writeStatus;
  private final ConsumerOptions consumer;

  private SubscriptionOptions(Builder b) {
    this.mode = b.mode;
    this.start = b.start;
    this.batchSize = b.batchSize;
    this.presenceTimeout = b.presenceTimeout;
    this.writeStatus = b.writeStatus;
    this.consumer = b.consumerOptions();
  }

  /** The defaults. */
  public static SubscriptionOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.start = start;
    b.batchSize = batchSize;
    b.presenceTimeout = presenceTimeout;
    b.writeStatus = writeStatus;
    b.consumer(consumer);
    return b;
  }

  /** Broadcast or shared. */
  public DeliveryMode mode() {
    return mode;
  }

  /** Where a subscription created now starts. */
  public StartPosition start() {
    return start;
  }

  /** Events read per claim (one batch). */
  public int batchSize() {
    return batchSize;
  }

  /** How long the subscription counts as alive after its last heartbeat (sent every third). */
  public Duration presenceTimeout() {
    return presenceTimeout;
  }

  /** Whether handled events get status PROCESSED (and dead-lettered ones ERROR). */
  public boolean writeStatus() {
    return writeStatus;
  }

  /**
   * The consumer options: {@code concurrency} (handler threads; a broadcast subscription always
   * runs one, taking its batches in id order, the next one read while the current one is
   * handled), {@code prefetch}, {@code lease} (a batch whose
   * consumer died is delivered again after it), {@code maxAttempts}, {@code retryBackoff}, {@code
   * retryJitter}, {@code shutdownGrace}, {@code idleWait} (catch-up read when no wake-up came) and
   * {@code metrics}.
   */
  public ConsumerOptions consumer() {
    return consumer;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubscriptionOptions x && mode == x.mode && start == x.start
        && batchSize == x.batchSize && presenceTimeout.equals(x.presenceTimeout)
        && writeStatus == x.writeStatus && consumer.equals(x.consumer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, start, batchSize, presenceTimeout, writeStatus, consumer);
  }

  @Override
  public String toString() {
    return "SubscriptionOptions[mode=" + mode + ", start=" + start + ", batchSize=" + batchSize
        + ", presenceTimeout=" + presenceTimeout + ", writeStatus=" + writeStatus + ", consumer="
        + consumer + "]";
  }

  /**
   * Builds {@link SubscriptionOptions}; setters reject bad values at once, naming the option. The
   * consumer setters ({@code concurrency}, {@code lease}, ...) are core's ({@link
   * ConsumerBuilder}); a claimed item is a batch of events.
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private DeliveryMode mode = DEFAULT_MODE;
    private StartPosition start = DEFAULT_START;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration presenceTimeout = DEFAULT_PRESENCE_TIMEOUT;
    private boolean writeStatus = DEFAULT_WRITE_STATUS;

    private Builder() {}

    /** Broadcast (default) or shared. */
    public Builder mode(DeliveryMode m) {
      this.mode = Args.notNull(m, "mode");
      return this;
    }

    /** Shorthand for {@code mode(DeliveryMode.SHARED)}. */
    public Builder shared() {
      return mode(DeliveryMode.SHARED);
    }

    /** Where a new subscription starts (default {@link StartPosition#NEXT}). */
    public Builder start(StartPosition s) {
      this.start = Args.notNull(s, "start");
      return this;
    }

    /** Events per claim, 1 to {@link #MAX_BATCH_SIZE}; default {@link #DEFAULT_BATCH_SIZE}. */
    public Builder batchSize(int n) {
      this.batchSize = Args.inRange(n, 1, MAX_BATCH_SIZE, "batchSize");
      return this;
    }

    /** Presence timeout, at least {@link #MIN_PRESENCE_TIMEOUT}; default 30 s. */
    public Builder presenceTimeout(Duration d) {
      this.presenceTimeout = Args.inRange(d, MIN_PRESENCE_TIMEOUT, ConsumerOptions.MAX_DURATION,
          "presenceTimeout");
      return this;
    }

    /** Whether handled events get status PROCESSED (default true). */
    public Builder writeStatus(boolean b) {
      this.writeStatus = b;
      return this;
    }

    /** The options. */
    public SubscriptionOptions build() {
      return new SubscriptionOptions(this);
    }
  }
}
