package io.github.redisext.timers.internal.lock;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The local waiters of one client, one first-in-first-out line per lock key. Only the head of a
 * line asks Redis; the others wait for their turn without a round trip. The head tries again at
 * once when it is told of a release (an unlock of this client, or a release message from another
 * one), and otherwise after a short bounded backoff ({@link #MIN_BACKOFF_MS} doubling up to {@link
 * #MAX_BACKOFF_MS}, never past the end of the owner's lease), so a missed message costs at most a
 * tenth of a second, never a whole lease. A thread of this client that asks for a lock while others
 * of the same client wait for it joins the end of the line (no barging), so waits are first come,
 * first served within one client; across clients the heads race.
 */
public final class WaitLine {
  /** First fallback pause of a head that heard of no release. */
  public static final long MIN_BACKOFF_MS = 5;
  /** Longest fallback pause of a head that heard of no release. */
  public static final long MAX_BACKOFF_MS = 100;

  private final Map<String, ArrayDeque<Waiter>> lines = new HashMap<>();
  private final long minBackoffMs;
  private final long maxBackoffMs;

  /** A line with the default backoff ({@link #MIN_BACKOFF_MS} to {@link #MAX_BACKOFF_MS}). */
  public WaitLine() {
    this(MIN_BACKOFF_MS, MAX_BACKOFF_MS);
  }

  /** A line whose heads pause {@code minBackoffMs} doubling up to {@code maxBackoffMs}. */
  public WaitLine(long minBackoffMs, long maxBackoffMs) {
    this.minBackoffMs = minBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
  }

  private static final class Waiter {
    final Semaphore signal = new Semaphore(0);
    /** Set when the head should ask Redis (a release was heard, or its pause ran out). */
    final AtomicBoolean tryNow = new AtomicBoolean();
    volatile boolean head;

    void wake(boolean tryAgain) {
      if (tryAgain) {
        tryNow.set(true);
      }
      signal.release();
    }
  }

  /** How many threads of this client wait for {@code key}. */
  public synchronized int waiting(String key) {
    ArrayDeque<Waiter> line = lines.get(key);
    return line == null ? 0 : line.size();
  }

  /** Whether some thread of this client waits for {@code key}. */
  public synchronized boolean busy(String key) {
    return lines.containsKey(key);
  }

  /**
   * Waits in line for {@code key} until {@code attempt} succeeds or {@code deadlineNanos} (a {@link
   * System#nanoTime()} value) passes.
   *
   * @param attempt one try: a negative value when acquired, else the owner's remaining lease in
   *     ms (0 when unknown); may throw, which leaves the line
   * @return whether {@code attempt} succeeded
   * @throws InterruptedException if interrupted while waiting (the line is left)
   */
  public boolean await(String key, long deadlineNanos, LongSupplier attempt)
      throws InterruptedException {
    Waiter w = join(key);
    boolean acquired = false;
    try {
      int misses = 0;
      long ownerTtlMs = 0;
      while (true) {
        if (w.head && w.tryNow.getAndSet(false)) {
          w.signal.drainPermits(); // this attempt sees every release heard so far
          long r = attempt.getAsLong();
          if (r < 0) {
            acquired = true;
            return true;
          }
          ownerTtlMs = r;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        long pause = w.head ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(
            fallbackMs(misses, ownerTtlMs))) : left;
        if (w.signal.tryAcquire(pause, TimeUnit.NANOSECONDS)) {
          misses = 0;
        } else if (w.head) {
          misses++;
          w.tryNow.set(true);
        }
      }
    } finally {
      leave(key, w, acquired);
    }
  }

  /** Pause of a head before it asks again without having heard of a release. */
  long fallbackMs(int misses, long ownerTtlMs) {
    long backoff = Math.min(maxBackoffMs, minBackoffMs << Math.min(misses, 20));
    return ownerTtlMs > 0 ? Math.min(backoff, ownerTtlMs + 1) : backoff;
  }

  private synchronized Waiter join(String key) {
    ArrayDeque<Waiter> line = lines.computeIfAbsent(key, k -> new ArrayDeque<>());
    Waiter w = new Waiter();
    if (line.isEmpty()) {
      w.head = true;
      w.tryNow.set(true);
    }
    line.addLast(w);
    return w;
  }

  private synchronized void leave(String key, Waiter w, boolean acquired) {
    ArrayDeque<Waiter> line = lines.get(key);
    if (line == null) {
      return;
    }
    boolean wasHead = line.peekFirst() == w;
    line.remove(w);
    Waiter next = line.peekFirst();
    if (next == null) {
      lines.remove(key);
    } else if (wasHead) {
      next.head = true;
      // when the old head took the lock the next one waits for its release; otherwise it asks now
      next.wake(!acquired);
    }
  }

  /** A release of {@code key} was heard: its head asks Redis at once. */
  public synchronized void released(String key) {
    ArrayDeque<Waiter> line = lines.get(key);
    if (line != null) {
      line.peekFirst().wake(true);
    }
  }

  /** Releases may have been missed (a (re)subscription): every head asks Redis at once. */
  public synchronized void releasedAll() {
    for (ArrayDeque<Waiter> line : lines.values()) {
      line.peekFirst().wake(true);
    }
  }
}
