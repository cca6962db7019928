package io.github.redisext.debounce;

import java.time.Duration;

/**
 * A running consumer started by {@link DebounceTask#consume(TaskHandler)}, on core's
 * leased-consumer kernel ({@link io.github.redisext.core.consumer.ConsumerKernel}): of its
 * {@code concurrency + 1} consumer threads, the one holding the claiming turn waits for due tasks
 * (sleeping until the earliest due time or a pub/sub wake-up, never polling) and claims as many
 * as there are free handler slots plus {@link DebounceOptions#prefetch()}; at most {@code
 * concurrency} run the handler at once; one thread settles finished tasks in batches (one script call acknowledges a whole
 * batch). Threads are named {@code redis-ext-debounce-N-M}.
 *
 * <p>Delivery: each claimed task is leased in Redis until its handler returns; the lease is
 * renewed while the handler runs. If the process dies, the lease runs out and the task is
 * delivered again (at-least-once across crashes; exactly one consumer at a time). A failed
 * handler call or a lease that ran out counts as an attempt (counted in Redis, so the count
 * survives crashes); after {@code maxAttempts} the task goes to the dead
 * letters.
 *
 * <p>{@link #close()} stops claiming, gives claimed tasks that never started back (due at once,
 * attempt counts unchanged), waits for running handlers (up to {@link
 * DebounceOptions#shutdownGrace()}; a handler still running then is interrupted and its task
 * retried like any failure), settles them and stops every thread. Thread-safe.
 */
public interface DebounceConsumer extends AutoCloseable {
  /** Tasks whose handler returned normally (each acknowledged in the next settled batch). */
  long handled();

  /** Handler calls that threw. */
  long failed();

  /** Handlers running right now. */
  int inFlight();

  /** Whether the loop is running (false once {@link #close()} was called). */
  boolean isRunning();

  /**
   * Stops claiming, gives unstarted tasks back, waits up to {@code timeout} for running handlers,
   * then interrupts any still running (their tasks are retried like any failure) and stops every
   * thread.
   *
   * @param timeout 0 to {@link io.github.redisext.core.consumer.ConsumerOptions#MAX_DURATION}
   * @return true if every handler finished in time
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative or longer than {@link
   *     io.github.redisext.core.consumer.ConsumerOptions#MAX_DURATION}
   */
  boolean close(Duration timeout);

  /** {@link #close(Duration)} with {@code shutdownGrace}. */
  @Override
  void close();
}
