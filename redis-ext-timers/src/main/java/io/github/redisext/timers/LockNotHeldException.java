package io.github.redisext.timers;

import io.github.redisext.core.RedisExtException;

/**
 * A {@link RedisLock} operation needed the lock to be held by this owner, and it is not: it was
 * never acquired, it was released, its lease ran out, or another owner holds it now.
 */
public class LockNotHeldException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  private final String lockName;

  /**
   * An exception for the lock {@code lockName}.
   *
   * @param lockName the lock's name
   * @param message what was attempted and why it failed
   */
  public LockNotHeldException(String lockName, String message) {
    super(message);
    this.lockName = lockName;
  }

  /** The lock's name. */
  public String lockName() {
    return lockName;
  }
}
