package io.github.redisext.core.consumer;

import io.github.redisext.core.RedisExtException;

/**
 * Thrown by a handler (or a store's decoding step) for an item that no retry can help, e.g. a
 * payload that does not decode: the kernel dead-letters it at once instead of retrying.
 */
public class DeadLetterException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  /** An exception with the reason the item cannot be processed. */
  public DeadLetterException(String message) {
    super(message);
  }

  /** An exception with a reason and a cause. */
  public DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
