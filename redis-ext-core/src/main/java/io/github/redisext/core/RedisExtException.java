package io.github.redisext.core;

/**
 * The root of every exception redis-ext throws itself. Unchecked. Jedis's own connection
 * exceptions ({@code redis.clients.jedis.exceptions.JedisConnectionException}) may pass through
 * unchanged.
 */
public class RedisExtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public RedisExtException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public RedisExtException(String message, Throwable cause) {
    super(message, cause);
  }
}
