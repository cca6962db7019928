package io.github.redisext.uniqueid;

import io.github.redisext.core.CodecException;

/**
 * A namespace's key in Redis holds something that is not a decimal integer id: a name's mapping
 * {@code <klass>:id:<name>} (written by someone else) or the counter {@code <klass>:auto}. The
 * value is left in Redis untouched, and the operation that met it changed nothing. {@link
 * #rawText()} is the value as read (or the server's error when the key is not a string).
 */
public class InvalidIdException extends CodecException {
  private static final long serialVersionUID = 1L;

  private final String klass;
  private final String name;
  private final String redisKey;

  /**
   * A bad value.
   *
   * @param klass the namespace
   * @param name the name whose mapping is bad, or null when the counter is
   * @param redisKey the Redis key holding it
   * @param rawText the value as read, or the server's error
   */
  public InvalidIdException(String klass, String name, String redisKey, String rawText) {
    super(message(klass, name, redisKey, rawText), rawText, null);
    this.klass = klass;
    this.name = name;
    this.redisKey = redisKey;
  }

  private static String message(String klass, String name, String redisKey, String rawText) {
    if (name == null) {
      return "UniqueId '" + klass + "': the counter '" + redisKey + "' cannot be incremented ("
          + rawText + "); it must hold a decimal integer";
    }
    return "UniqueId '" + klass + "': the mapping of name '" + name + "' ('" + redisKey
        + "') holds '" + rawText + "', not a decimal integer id; left as is, nothing was changed "
        + "(delete the key or fix its value)";
  }

  /** The namespace. */
  public String klass() {
    return klass;
  }

  /** The name whose mapping holds the bad value, or null when the counter does. */
  public String name() {
    return name;
  }

  /** The Redis key holding the bad value. */
  public String redisKey() {
    return redisKey;
  }
}
