package io.github.redisext.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key of a primitive holds a value of another Redis type than the primitive keeps there (for
 * example someone ran {@code SET {jobs}:dead oops} where the worker keeps a list). Every redis-ext
 * script checks the types of the keys it will write before its first write, so an operation that
 * fails with this exception changed nothing: fix (or delete) the key and the data is still there.
 *
 * <pre>{@code
 * try {
 *   work.push(task);
 * } catch (WrongTypeException e) {
 *   log.error("{} should be a {} but is a {}", e.key(), e.expectedType(), e.actualType());
 * }
 * }</pre>
 */
public class WrongTypeException extends RedisExtException {
  private static final long serialVersionUID = 1L;
  /** The prefix of the error that redis-ext's scripts return (see core_lib.lua). */
  public static final String REPLY_PREFIX = "WRONGTYPE redis-ext: ";
  private static final Pattern REPLY = Pattern.compile(
      "^WRONGTYPE redis-ext: (\\w+) expected, (\\w+) found at key (.*)$", Pattern.DOTALL);

  private final String key;
  private final String expectedType;
  private final String actualType;

  /**
   * An exception for {@code key}.
   *
   * @param key the key with the wrong type
   * @param expectedType the Redis type redis-ext keeps there ({@code list}, {@code hash}, ...)
   * @param actualType the type the key holds now
   * @param cause the Redis error, or null
   */
  public WrongTypeException(String key, String expectedType, String actualType, Throwable cause) {
    super("key '" + key + "' holds a " + actualType + " where a " + expectedType
        + " is expected; nothing was changed (fix or delete the key)", cause);
    this.key = key;
    this.expectedType = expectedType;
    this.actualType = actualType;
  }

  /** The key with the wrong type. */
  public String key() {
    return key;
  }

  /** The Redis type expected there: {@code string}, {@code list}, {@code set}, {@code zset}, {@code hash} or {@code stream}. */
  public String expectedType() {
    return expectedType;
  }

  /** The Redis type the key holds. */
  public String actualType() {
    return actualType;
  }

  /**
   * The exception for a redis-ext script's wrong-type error reply, or null when {@code message} is
   * not one.
   *
   * @param message a Redis error message (e.g. a {@code JedisDataException}'s)
   * @param cause the exception carrying it
   */
  public static WrongTypeException fromReply(String message, Throwable cause) {
    if (message == null || !message.startsWith(REPLY_PREFIX)) {
      return null;
    }
    Matcher m = REPLY.matcher(message);
    if (!m.matches()) {
      return null;
    }
    return new WrongTypeException(m.group(3), m.group(1), m.group(2), cause);
  }
}
