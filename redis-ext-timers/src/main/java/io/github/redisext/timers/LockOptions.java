package io.github.redisext.timers;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.util.function.Consumer;

/**
 * Immutable options of a {@link RedisLock}.
 *
 * <pre>{@code
 * LockOptions o = LockOptions.builder()
 *     .autoRenew(true)
 *     .onLeaseLost(lock -> log.error("lost {}", lock.name()))
 *     .metrics(myListener)
 *     .build();
 * }</pre>
 */
public final class LockOptions {
  /** Default: the watchdog renews the lease while the lock is held. */
  public static final boolean DEFAULT_AUTO_RENEW = true;

  private static final LockOptions DEFAULTS = builder().build();

  private final boolean autoRenew;
  private final Consumer<RedisLock> onLeaseLost;
  private final MetricsListener metrics;

  private LockOptions(Builder b) {
    this.autoRenew = b.autoRenew;
    this.onLeaseLost = b.onLeaseLost;
    this.metrics = b.metrics;
  }

  /** The defaults: auto-renewal on, no lease-lost callback, no metrics listener. */
  public static LockOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a watchdog renews the lease every third of it until unlock. */
  public boolean autoRenew() {
    return autoRenew;
  }

  /** Called (on the watchdog thread) when a renewal finds the lock is no longer held. */
  public Consumer<RedisLock> onLeaseLost() {
    return onLeaseLost;
  }

  /**
   * Where the lock reports, as source {@code MetricSource.of("lock", name)}: {@code ACQUIRED} and
   * {@code WAIT_TIME} (from the call of {@code tryLock} to the acquisition) per acquisition, {@code
   * TIMED_OUT} per {@code tryLock} that returned false (not interrupted), {@code LEASE_LOST} when
   * the watchdog finds the lock gone. Default {@link MetricsListener#NONE}.
   */
  public MetricsListener metrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "LockOptions{autoRenew=" + autoRenew + ", metrics=" + metrics + "}";
  }

  /** Builder of {@link LockOptions}. */
  public static final class Builder {
    private boolean autoRenew = DEFAULT_AUTO_RENEW;
    private Consumer<RedisLock> onLeaseLost = l -> { };
    private MetricsListener metrics = MetricsListener.NONE;

    private Builder() {}

    /**
     * Whether a watchdog renews the lease every third of it while the lock is held (default
     * true). Without it the lock expires after the lease given to {@link RedisLock#tryLock}.
     */
    public Builder autoRenew(boolean autoRenew) {
      this.autoRenew = autoRenew;
      return this;
    }

    /**
     * The listener the lock reports to (see {@link LockOptions#metrics()}); default {@link
     * MetricsListener#NONE}.
     *
     * @throws NullPointerException if null
     */
    public Builder metrics(MetricsListener listener) {
      this.metrics = Args.notNull(listener, "metrics");
      return this;
    }

    /**
     * Called on the watchdog thread when renewal finds the lock lost (expired while renewal could
     * not reach Redis, or taken by another owner). Renewal then stops; the owner should stop
     * acting on the protected resource. The thread is shared by every lock of the client: return
     * quickly.
     *
     * @throws NullPointerException if null
     */
    public Builder onLeaseLost(Consumer<RedisLock> callback) {
      this.onLeaseLost = Args.notNull(callback, "onLeaseLost");
      return this;
    }

    /** The options. */
    public LockOptions build() {
      return new LockOptions(this);
    }
  }
}
