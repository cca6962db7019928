package io.github.redisext.streams;

/**
 * Handles one delivered entry. Returning normally acknowledges it; throwing is a failed attempt
 * (retried after a backoff, or dead-lettered when the attempts or the {@link RetryPolicy} say
 * so; a {@link io.github.redisext.core.consumer.DeadLetterException} dead-letters it at once).
 *
 * @param <T> the entry type
 */
@FunctionalInterface
public interface StreamHandler<T> {
  /** Handles {@code delivery}; runs on one of the consumer's handler threads. */
  void handle(Delivery<T> delivery) throws Exception;
}
