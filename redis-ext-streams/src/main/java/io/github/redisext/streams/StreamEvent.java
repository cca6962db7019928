package io.github.redisext.streams;

/**
 * One lifecycle event of the event stream {@code stream:events:<name>} (written when {@link
 * StreamOptions#produceEvents()} is on), as the Python library writes them.
 *
 * @param eventId the event's own stream entry id
 * @param entryId the id of the work entry it is about
 * @param type {@code started}, {@code progress}, {@code completed} or {@code failed}
 * @param completionRatio for {@code progress}: 0.0 to 1.0; otherwise null
 * @param status for {@code progress}: the status text; otherwise null
 * @param error for {@code failed}: the error text; otherwise null
 * @param json the event's raw JSON
 */
public record StreamEvent(String eventId, String entryId, String type, Double completionRatio,
    String status, String error, String json) {
  /** {@code started}: a handler began the entry. */
  public static final String STARTED = "started";
  /** {@code progress}: the handler reported progress. */
  public static final String PROGRESS = "progress";
  /** {@code completed}: the handler finished and the entry was acknowledged. */
  public static final String COMPLETED = "completed";
  /** {@code failed}: the handler failed, or the entry was dead-lettered. */
  public static final String FAILED = "failed";
}
