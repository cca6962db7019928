package io.github.redisext.streams;

/**
 * What a {@link BatchHandler} says about one entry of its batch.
 *
 * @param kind success, failure (retried while attempts remain) or dead letter (at once)
 * @param error for a failure or dead letter: the error text (the {@code failed} event's);
 *     otherwise null
 */
public record ItemOutcome(Kind kind, String error) {
  private static final ItemOutcome OK = new ItemOutcome(Kind.SUCCESS, null);

  /** The kinds of outcome. */
  public enum Kind {
    /** Handled: acknowledged. */
    SUCCESS,
    /** Failed: retried after a backoff while attempts remain, else dead-lettered. */
    FAILURE,
    /** Failed for good: dead-lettered at once. */
    DEAD_LETTER
  }

  /** Handled. */
  public static ItemOutcome success() {
    return OK;
  }

  /** Failed with {@code error}; retried while attempts remain. */
  public static ItemOutcome failure(String error) {
    return new ItemOutcome(Kind.FAILURE, error == null ? "failed" : error);
  }

  /** Failed for good with {@code error}. */
  public static ItemOutcome deadLetter(String error) {
    return new ItemOutcome(Kind.DEAD_LETTER, error == null ? "dead-lettered" : error);
  }
}
