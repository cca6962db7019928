package io.github.redisext.core;

/**
 * A value could not be encoded, or a text read from Redis could not be decoded into the expected
 * type. On decode failures {@link #rawText()} carries the text exactly as read, so callers can
 * move it aside (dead-letter it) instead of dropping it.
 */
public class CodecException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  private final String rawText;

  /**
   * A decode or encode failure.
   *
   * @param message what went wrong
   * @param rawText the text that failed to decode, or null for an encode failure
   * @param cause the parser's exception, or null
   */
  public CodecException(String message, String rawText, Throwable cause) {
    super(message, cause);
    this.rawText = rawText;
  }

  /** The text that failed to decode, exactly as read; null for an encode failure. */
  public String rawText() {
    return rawText;
  }
}
