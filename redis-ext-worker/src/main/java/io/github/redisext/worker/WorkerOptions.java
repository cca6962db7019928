package io.github.redisext.worker;

import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * Immutable settings of a {@link RedisWork}. Build with {@link #builder()}; every setter rejects a
 * bad value at once with an {@link IllegalArgumentException} naming the option and its allowed
 * range (each range is bounded by the {@code MIN_*} / {@code MAX_*} constants), and a null with a
 * {@link NullPointerException} naming it.
 *
 * <pre>{@code
 * WorkerOptions opts = WorkerOptions.builder()
 *     .concurrency(8)
 *     .leaseTimeout(Duration.ofSeconds(60))
 *     .maxAttempts(3)
 *     .build();
 * }</pre>
 */
public final class WorkerOptions {
  /** Default maximum of handlers running at once: 4 (as the Python original's {@code max_workers}). */
  public static final int DEFAULT_CONCURRENCY = 4;
  /** Default number of tasks fetched ahead of free handlers: 0 (fetch only for free handlers). */
  public static final int DEFAULT_PREFETCH = 0;
  /** Default longest wait of one blocking fetch: 5 s (the original's BLPOP timeout). */
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
  /** Default lease (visibility timeout) of a worker process: 30 s. */
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);
  /** Default deliveries of one task before it is dead-lettered: 5. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default delay before the first retry: 1 s (then doubling). */
  public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofSeconds(1);
  /** Default longest delay between retries: 5 min. */
  public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofMinutes(5);
  /** Default time {@code close()} waits for running handlers: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /** Shortest lease accepted: 300 ms (the lease is renewed every third of it). */
  public static final Duration MIN_LEASE_TIMEOUT = Duration.ofMillis(300);
  /** Largest prefetch accepted: 10,000 tasks. */
  public static final int MAX_PREFETCH = 10_000;
  /** Largest concurrency accepted: 1,000 handler threads. */
  public static final int MAX_CONCURRENCY = 1_000;
  /** Shortest blocking fetch accepted: 1 ms. */
  public static final Duration MIN_FETCH_TIMEOUT = Duration.ofMillis(1);
  /** Longest blocking fetch accepted: 1 h. */
  public static final Duration MAX_FETCH_TIMEOUT = Duration.ofHours(1);
  /** Longest lease accepted: 1 day. */
  public static final Duration MAX_LEASE_TIMEOUT = Duration.ofDays(1);
  /** Largest {@code maxAttempts} accepted: 1,000,000. */
  public static final int MAX_MAX_ATTEMPTS = 1_000_000;
  /** Longest retry delay accepted (initial or cap): 7 days. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofDays(7);
  /** Longest shutdown grace accepted: 1 day. */
  public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofDays(1);

  private final int concurrency;
  private final int prefetch;
  private final Duration fetchTimeout;
  private final Duration leaseTimeout;
  private final int maxAttempts;
  private final Duration retryInitialDelay;
  private final Duration retryMaxDelay;
  private final boolean stopOnFailure;
  private final Duration shutdownGrace;

  private WorkerOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.prefetch = b.prefetch;
    this.fetchTimeout = b.fetchTimeout;
    this.leaseTimeout = b.leaseTimeout;
    this.maxAttempts = b.maxAttempts;
    this.retryInitialDelay = b.retryInitialDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.stopOnFailure = b.stopOnFailure;
    this.shutdownGrace = b.shutdownGrace;
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
    b.concurrency = concurrency;
    b.prefetch = prefetch;
    b.fetchTimeout = fetchTimeout;
    b.leaseTimeout = leaseTimeout;
    b.maxAttempts = maxAttempts;
    b.retryInitialDelay = retryInitialDelay;
    b.retryMaxDelay = retryMaxDelay;
    b.stopOnFailure = stopOnFailure;
    b.shutdownGrace = shutdownGrace;
    return b;
  }

  /** Maximum number of {@code handle} calls running at once (one thread each). */
  public int concurrency() {
    return concurrency;
  }

  /**
   * Tasks fetched ahead of free handlers and held locally (in this worker's in-flight hash, so
   * they are safe); the local buffer never holds more than {@code concurrency + prefetch} tasks.
   */
  public int prefetch() {
    return prefetch;
  }

  /**
   * Longest wait of one blocking fetch on an empty queue. A new task wakes the wait at once; after
   * the timeout the worker re-checks retries that became due. {@code close()} cuts a wait in
   * progress on a {@code RedisClient} / {@code RedisClusterClient}; with other clients it waits for
   * it to end.
   */
  public Duration fetchTimeout() {
    return fetchTimeout;
  }

  /**
   * The worker's lease: renewed every third of it while the process lives; when it runs out (the
   * process died) any live worker puts this worker's in-flight tasks back.
   */
  public Duration leaseTimeout() {
    return leaseTimeout;
  }

  /** Deliveries of one task (first try included) before it goes to the dead-letter list. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Delay before the first retry; each further retry doubles it (with jitter). */
  public Duration retryInitialDelay() {
    return retryInitialDelay;
  }

  /** Cap of the retry delay. */
  public Duration retryMaxDelay() {
    return retryMaxDelay;
  }

  /**
   * Whether the first failing {@code handle} stops the worker: {@code start()} then stops fetching,
   * lets running handlers finish and throws {@link TaskFailedException}. The failed task still
   * follows the retry policy.
   */
  public boolean stopOnFailure() {
    return stopOnFailure;
  }

  /** How long {@code close()} waits for running handlers before interrupting them. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  @Override
  public String toString() {
    return "WorkerOptions[concurrency=" + concurrency + ", prefetch=" + prefetch + ", fetchTimeout="
        + fetchTimeout + ", leaseTimeout=" + leaseTimeout + ", maxAttempts=" + maxAttempts
        + ", retryDelay=" + retryInitialDelay + ".." + retryMaxDelay + ", stopOnFailure="
        + stopOnFailure + ", shutdownGrace=" + shutdownGrace + "]";
  }

  /** Builds {@link WorkerOptions}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private int concurrency = DEFAULT_CONCURRENCY;
    private int prefetch = DEFAULT_PREFETCH;
    private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
    private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryInitialDelay = DEFAULT_RETRY_INITIAL_DELAY;
    private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
    private boolean stopOnFailure;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

    private Builder() {}

    /**
     * Maximum of handlers running at once (default 4), 1 to {@link #MAX_CONCURRENCY}.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder concurrency(int value) {
      this.concurrency = Args.inRange(value, 1, MAX_CONCURRENCY, "concurrency");
      return this;
    }

    /**
     * Tasks fetched ahead of free handlers (default 0). Raise it (e.g. to a few hundred) for many
     * small tasks: fetches then move whole batches.
     *
     * @throws IllegalArgumentException if negative or above {@link #MAX_PREFETCH}
     */
    public Builder prefetch(int value) {
      this.prefetch = Args.inRange(value, 0, MAX_PREFETCH, "prefetch");
      return this;
    }

    /**
     * Longest wait of one blocking fetch (default 5 s), {@link #MIN_FETCH_TIMEOUT} to {@link
     * #MAX_FETCH_TIMEOUT}. Keep it below the client's blocking socket timeout.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder fetchTimeout(Duration value) {
      this.fetchTimeout = Args.inRange(value, MIN_FETCH_TIMEOUT, MAX_FETCH_TIMEOUT, "fetchTimeout");
      return this;
    }

    /**
     * The worker's lease / visibility timeout (default 30 s), {@link #MIN_LEASE_TIMEOUT} to {@link
     * #MAX_LEASE_TIMEOUT}.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder leaseTimeout(Duration value) {
      this.leaseTimeout = Args.inRange(value, MIN_LEASE_TIMEOUT, MAX_LEASE_TIMEOUT, "leaseTimeout");
      return this;
    }

    /**
     * Deliveries before dead-lettering (default 5), 1 (no retry) to {@link #MAX_MAX_ATTEMPTS}.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxAttempts(int value) {
      this.maxAttempts = Args.inRange(value, 1, MAX_MAX_ATTEMPTS, "maxAttempts");
      return this;
    }

    /**
     * Retry delays: {@code initial * 2^(n-1)} before retry n, capped at {@code max}, with jitter
     * (default 1 s .. 5 min). Both are 0 to {@link #MAX_RETRY_DELAY}, and {@code max >= initial}.
     *
     * @throws IllegalArgumentException if either is out of that range, or {@code max < initial}
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      Args.inRange(initial, Duration.ZERO, MAX_RETRY_DELAY, "retryBackoff initial");
      Args.inRange(max, Duration.ZERO, MAX_RETRY_DELAY, "retryBackoff max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retryBackoff max (" + max + ") must be >= initial ("
            + initial + ")");
      }
      this.retryInitialDelay = initial;
      this.retryMaxDelay = max;
      return this;
    }

    /** Whether the first failing handler stops the worker (default false). */
    public Builder stopOnFailure(boolean value) {
      this.stopOnFailure = value;
      return this;
    }

    /**
     * How long {@code close()} waits for running handlers (default 30 s), 0 to {@link
     * #MAX_SHUTDOWN_GRACE}.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder shutdownGrace(Duration value) {
      this.shutdownGrace = Args.inRange(value, Duration.ZERO, MAX_SHUTDOWN_GRACE, "shutdownGrace");
      return this;
    }

    /** The options. */
    public WorkerOptions build() {
      return new WorkerOptions(this);
    }
  }
}
