package io.github.redisext.core.consumer;

/** How a handled item is settled. */
public enum Outcome {
  /** Handled: remove it for good. */
  ACK,
  /** Failed, attempts left: make it due again after the retry delay. */
  RETRY,
  /** Failed for good (attempts exhausted, or not processable at all): keep it aside. */
  DEAD_LETTER
}
