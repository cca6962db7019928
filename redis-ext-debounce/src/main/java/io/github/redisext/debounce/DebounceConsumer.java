package io.github.redisext.debounce;

import java.time.Duration;

/**
 * A running consumer loop started by {@link DebounceTask#consume(TaskHandler)}: one dispatcher
 * thread waits for due tasks (sleeping until the earliest due time or a pub/sub wake-up, never
 * polling), claims as many as there are free handler threads, and runs the handler on a small
 * pool. Threads are named {@code redis-ext-debounce-N}.
 *
 * <p>Delivery: each claimed task is leased in Redis until its handler returns; the lease is
 * renewed while the handler runs. If the process dies, the lease runs out and the task is
 * delivered again (at-least-once across crashes; exactly one consumer at a time). A failed
 * handler call or a lease that ran out counts as an attempt (counted in Redis, so the count
 * survives crashes); after {@link DebounceOptions#maxAttempts()} the task goes to the dead
 * letters.
 *
 * <p>{@link #close()} stops claiming, waits for running handlers (up to {@link
 * DebounceOptions#shutdownTimeout()}), acknowledges them and stops every thread. Thread-safe.
 */
public interface DebounceConsumer extends AutoCloseable {
  /** Tasks whose handler returned normally (and were acknowledged). */
  long handled();

  /** Handler calls that threw. */
  long failed();

  /** Handlers running right now. */
  int inFlight();

  /** Whether the loop is running (false once {@link #close()} was called). */
  boolean isRunning();

  /**
   * Stops claiming, waits up to {@code timeout} for running handlers, then interrupts any still
   * running (their tasks stay leased and come back after the lease) and stops every thread.
   *
   * @param timeout 0 to {@link DebounceOptions#MAX_DURATION}
   * @return true if every handler finished in time
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative or longer than {@link
   *     DebounceOptions#MAX_DURATION}
   */
  boolean close(Duration timeout);

  /** {@link #close(Duration)} with {@link DebounceOptions#shutdownTimeout()}. */
  @Override
  void close();
}
