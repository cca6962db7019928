package io.github.redisext.events;

/**
 * Handles one event of a subscription. Returning normally acknowledges it; an exception is a
 * failed attempt (retried with backoff, then dead-lettered; a {@link
 * io.github.redisext.core.consumer.DeadLetterException} dead-letters it at once).
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface EventHandler<T> {
  /** Handles {@code event}; may run again for the same event (at-least-once): use its id. */
  void handle(Event<T> event) throws Exception;
}
