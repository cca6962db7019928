package io.github.redisext.core;

/**
 * A name or key cannot be used: it is empty, contains characters that would break the hash tag,
 * or (on a Redis Cluster) keys that one atomic operation must touch together map to different
 * slots. The message says how to fix it.
 */
public class KeyNameException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says how to fix the name. */
  public KeyNameException(String message) {
    super(message);
  }
}
