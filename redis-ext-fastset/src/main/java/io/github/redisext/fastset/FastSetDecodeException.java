package io.github.redisext.fastset;

import io.github.redisext.core.CodecException;

/**
 * A member found in a FastSet's Redis set cannot be used: it is not valid JSON for the element
 * type, it is JSON {@code null}, or it is not in the canonical form this set writes (Python's
 * {@code json.dumps(value, sort_keys=True)}), so removing its value would miss it. The message
 * names the key and the member; {@link #rawText()} is the member exactly as read. Nothing is
 * skipped silently: reads keep failing with this exception until the member is fixed or removed
 * in Redis and the set has re-validated (writes still go to Redis).
 */
public class FastSetDecodeException extends CodecException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * A member of {@code key} that cannot be used.
   *
   * @param key the FastSet's key prefix
   * @param member the member text as read from Redis
   * @param message what is wrong with it
   * @param cause the codec's exception, or null
   */
  public FastSetDecodeException(String key, String member, String message, Throwable cause) {
    super(message, member, cause);
    this.key = key;
  }

  /** The FastSet's key prefix (its members live in {@code key + ":value"}). */
  public String key() {
    return key;
  }
}
