package io.github.redisext.core.consumer;

import java.time.Duration;

/**
 * What the kernel asks a {@link LeasedStore} to do with one item it handled.
 *
 * @param item the item as claimed
 * @param outcome ack, retry or dead letter
 * @param retryDelay for {@link Outcome#RETRY}: how long until it is due again; otherwise zero
 * @param error for RETRY and DEAD_LETTER: the failure, as {@code ExceptionClass: message}; else null
 * @param <I> the store's item type
 */
public record Settlement<I>(I item, Outcome outcome, Duration retryDelay, String error) {
  /** An acknowledgement. */
  public static <I> Settlement<I> ack(I item) {
    return new Settlement<>(item, Outcome.ACK, Duration.ZERO, null);
  }

  /** A retry after {@code delay}. */
  public static <I> Settlement<I> retry(I item, Duration delay, String error) {
    return new Settlement<>(item, Outcome.RETRY, delay, error);
  }

  /** A dead letter. */
  public static <I> Settlement<I> deadLetter(I item, String error) {
    return new Settlement<>(item, Outcome.DEAD_LETTER, Duration.ZERO, error);
  }
}
