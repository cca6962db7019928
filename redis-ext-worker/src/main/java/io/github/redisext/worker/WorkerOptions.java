package io.github.redisext.worker;

import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link RedisWork}: the {@link ConsumerOptions} every redis-ext consumer
 * shares ({@link #consumer()}), with the worker's defaults, plus {@link #stopOnFailure()}. Build
 * with {@link #builder()}; its shortcut setters carry the shared names ({@code concurrency},
 * {@code prefetch}, {@code lease}, {@code maxAttempts}, {@code retryBackoff}, {@code retryJitter},
 * {@code shutdownGrace}, {@code idleWait}, {@code metrics}) and read back through {@code
 * options.consumer()}. Every setter rejects a bad value at once with an {@link
 * IllegalArgumentException} naming the option and its allowed range (each range is bounded by the
 * {@code MIN_*} / {@code MAX_*} constants, which are the worker's, narrower than core's in places),
 * and a null with a {@link NullPointerException} naming it. The {@code metrics} listener (default
 * {@link MetricsListener#NONE}) hears the kernel's consumer metrics under {@code
 * MetricSource.of("worker", <list key>)}, the undecodable and recovered tasks the worker
 * dead-letters, and {@code PUBLISHED} for the pushes of its {@link RedisWork#queue()}.
 *
 * <pre>{@code
 * WorkerOptions opts = WorkerOptions.builder()
 *     .concurrency(8)
 *     .lease(Duration.ofSeconds(60))
 *     .maxAttempts(3)
 *     .metrics(myListener)
 *     .build();
 * int threads = opts.consumer().concurrency();
 * }</pre>
 */
public final class WorkerOptions {
  /** Default maximum of handlers running at once: 4 (as the Python original's {@code max_workers}). */
  public static final int DEFAULT_CONCURRENCY = 4;
  /**
   * Default number of tasks claimed ahead of free handlers: 0 (claim only for free handlers; core's
   * default is 4).
   */
  public static final int DEFAULT_PREFETCH = 0;
  /**
   * Default longest wait of one blocking claim while the queue is empty: 5 s (the original's BLPOP
   * timeout; core's default is 1 s). A pushed task ends the wait at once.
   */
  public static final Duration DEFAULT_IDLE_WAIT = Duration.ofSeconds(5);
  /** Default lease (visibility timeout) of a worker process: 30 s. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Default deliveries of one task before it is dead-lettered: 5. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default delay before the first retry: 1 s (then doubling). */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
  /** Default longest delay between retries: 5 min. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
  /** Default time {@code close()} waits for running handlers: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /** Shortest lease accepted: 300 ms (the lease is renewed every third of it). */
  public static final Duration MIN_LEASE = Duration.ofMillis(300);
  /** Longest lease accepted: 1 day. */
  public static final Duration MAX_LEASE = Duration.ofDays(1);
  /** Largest prefetch accepted: 10,000 tasks. */
  public static final int MAX_PREFETCH = 10_000;
  /** Largest concurrency accepted: 1,000 handler threads. */
  public static final int MAX_CONCURRENCY = 1_000;
  /** Shortest idle wait accepted: 1 ms. */
  public static final Duration MIN_IDLE_WAIT = Duration.ofMillis(1);
  /** Longest idle wait accepted: 1 h (keep it below the client's blocking socket timeout). */
  public static final Duration MAX_IDLE_WAIT = Duration.ofHours(1);
  /** Largest {@code maxAttempts} accepted: 1,000,000. */
  public static final int MAX_MAX_ATTEMPTS = 1_000_000;
  /** Longest retry delay accepted (initial or cap): 7 days. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofDays(7);
  /** Longest shutdown grace accepted: 1 day. */
  public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofDays(1);

  private final ConsumerOptions consumer;
  private final boolean stopOnFailure;

  private WorkerOptions(Builder b) {
    this.consumer = b.consumerOptions();
    this.stopOnFailure = b.stopOnFailure;
  }

  /** The defaults (every {@code DEFAULT_*} constant). */
  public static WorkerOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.consumer(consumer);
    b.stopOnFailure = stopOnFailure;
    return b;
  }

  /**
   * The consumer settings: handler threads ({@code concurrency}), {@code prefetch}, the worker's
   * {@code lease}, {@code maxAttempts}, retry backoff and jitter, {@code shutdownGrace}, {@code
   * idleWait} (longest blocking claim) and the {@code metrics} listener.
   */
  public ConsumerOptions consumer() {
    return consumer;
  }

  /**
   * Whether the first failing handler stops the worker (default false): {@link RedisWork#start()}
   * then throws {@link TaskFailedException} (the Python original's behaviour).
   */
  public boolean stopOnFailure() {
    return stopOnFailure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerOptions w && w.consumer.equals(consumer)
        && w.stopOnFailure == stopOnFailure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(consumer, stopOnFailure);
  }

  @Override
  public String toString() {
    return "WorkerOptions[" + consumer + ", stopOnFailure=" + stopOnFailure + "]";
  }

  /**
   * Builds {@link WorkerOptions}. The consumer setters are core's ({@link ConsumerBuilder}); the
   * worker narrows some ranges (the {@code MIN_*} / {@code MAX_*} constants).
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private boolean stopOnFailure;

    private Builder() {
      super(ConsumerOptions.builder().concurrency(DEFAULT_CONCURRENCY).prefetch(DEFAULT_PREFETCH)
          .idleWait(DEFAULT_IDLE_WAIT).lease(DEFAULT_LEASE).maxAttempts(DEFAULT_MAX_ATTEMPTS)
          .retryBackoff(DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX)
          .shutdownGrace(DEFAULT_SHUTDOWN_GRACE).build());
    }

    /**
     * All consumer settings at once, replacing every shortcut set so far. Checked against the
     * worker's ranges (the {@code MIN_*} / {@code MAX_*} constants).
     *
     * @throws IllegalArgumentException naming the first setting out of the worker's range
     */
    @Override
    public Builder consumer(ConsumerOptions value) {
      Args.notNull(value, "consumer");
      Args.inRange(value.concurrency(), 1, MAX_CONCURRENCY, "concurrency");
      Args.inRange(value.lease(), MIN_LEASE, MAX_LEASE, "lease");
      Args.inRange(value.idleWait(), MIN_IDLE_WAIT, MAX_IDLE_WAIT, "idleWait");
      Args.inRange(value.shutdownGrace(), Duration.ZERO, MAX_SHUTDOWN_GRACE, "shutdownGrace");
      return super.consumer(value);
    }

    /**
     * Maximum of handlers running at once (default 4), 1 to {@link #MAX_CONCURRENCY}.
     *
     * @throws IllegalArgumentException if out of that range
     */
    @Override
    public Builder concurrency(int value) {
      return super.concurrency(Args.inRange(value, 1, MAX_CONCURRENCY, "concurrency"));
    }

    /**
     * Longest wait of one blocking claim while the queue is empty (default 5 s), {@link
     * #MIN_IDLE_WAIT} to {@link #MAX_IDLE_WAIT}; a pushed task or a retry falling due ends it
     * earlier. Keep it below the client's blocking socket timeout.
     *
     * @throws IllegalArgumentException if out of that range
     */
    @Override
    public Builder idleWait(Duration value) {
      return super.idleWait(Args.inRange(value, MIN_IDLE_WAIT, MAX_IDLE_WAIT, "idleWait"));
    }

    /**
     * The worker's lease / visibility timeout (default 30 s), {@link #MIN_LEASE} to {@link
     * #MAX_LEASE}; renewed every third of it while the worker lives.
     *
     * @throws IllegalArgumentException if out of that range
     */
    @Override
    public Builder lease(Duration value) {
      return super.lease(Args.inRange(value, MIN_LEASE, MAX_LEASE, "lease"));
    }

    /**
     * How long {@code close()} waits for running handlers (default 30 s), 0 to {@link
     * #MAX_SHUTDOWN_GRACE}; then they are interrupted.
     *
     * @throws IllegalArgumentException if out of that range
     */
    @Override
    public Builder shutdownGrace(Duration value) {
      return super.shutdownGrace(Args.inRange(value, Duration.ZERO, MAX_SHUTDOWN_GRACE,
          "shutdownGrace"));
    }

    /** Whether the first failing handler stops the worker (default false). */
    public Builder stopOnFailure(boolean value) {
      this.stopOnFailure = value;
      return this;
    }

    /** The options. */
    public WorkerOptions build() {
      return new WorkerOptions(this);
    }
  }
}
