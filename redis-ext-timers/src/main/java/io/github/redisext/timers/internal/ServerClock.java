package io.github.redisext.timers.internal;

/**
 * An estimate of the Redis server's clock in epoch milliseconds, synchronised from the server
 * times scripts reply with (taken at the midpoint of the round trip).
 */
public final class ServerClock {
  private volatile long baseServerMs;
  private volatile long baseNanos;
  private volatile boolean synced;

  /** Records that the server said {@code serverMs} during a call from {@code t0} to {@code t1}. */
  public void sync(long serverMs, long t0Nanos, long t1Nanos) {
    baseNanos = t0Nanos + (t1Nanos - t0Nanos) / 2;
    baseServerMs = serverMs;
    synced = true;
  }

  /** Whether a server time was seen. */
  public boolean synced() {
    return synced;
  }

  /** Estimated server time now, epoch ms (the local clock before the first sync). */
  public long nowMs() {
    if (!synced) {
      return System.currentTimeMillis();
    }
    return baseServerMs + (System.nanoTime() - baseNanos) / 1_000_000;
  }
}
