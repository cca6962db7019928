package io.github.redisext.streams;

/**
 * Decides whether a failed entry is tried again (the Python library's {@code should_retry}),
 * asked after each failure with the attempt number the next delivery would have.
 *
 * @param <T> the entry type
 */
@FunctionalInterface
public interface RetryPolicy<T> {
  /**
   * Whether to deliver the entry again.
   *
   * @param attempt the attempts value the next delivery would see: 1 after the first failure,
   *     then 2, 3 ...
   * @param value the entry's decoded value
   * @return false to dead-letter the entry now
   */
  boolean shouldRetry(int attempt, T value);
}
