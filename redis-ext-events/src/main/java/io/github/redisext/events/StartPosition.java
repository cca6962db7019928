package io.github.redisext.events;

/** Where a subscription created now starts reading (an existing one continues where it stopped). */
public enum StartPosition {
  /** With the oldest event still retained (not expired). */
  OLDEST,
  /** With the next event published after it was created. */
  NEXT
}
