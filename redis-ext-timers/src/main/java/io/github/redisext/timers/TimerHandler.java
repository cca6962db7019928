package io.github.redisext.timers;

/**
 * Handles one fired timer. Called on one of the {@link Timers}' handler threads; with several
 * consumers running, each firing of a timer is handled by exactly one of them (see {@link
 * Timers} for the guarantee and its limits).
 *
 * @param <P> the payload type registered for the topic
 * @param <C> the user context type held by {@link Timers}
 */
@FunctionalInterface
public interface TimerHandler<P, C> {
  /**
   * Handles a timer. Returning normally removes the timer; throwing schedules a retry with backoff
   * and, after {@code maxAttempts} attempts (see {@link TimersOptions#consumer()}), moves the timer to the
   * dead timers.
   *
   * @param payload the decoded payload, never null
   * @param context the context given to {@link Timers#builder}
   * @throws Exception to request a retry
   */
  void handle(P payload, C context) throws Exception;
}
