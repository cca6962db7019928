package io.github.redisext.events;

/**
 * An event's status, stored as the event hash's {@code status} field with eventy's names.
 * {@link EventQueue#publish} writes {@link #PROCESSING} (what Python eventy writes); a subscription
 * that handled the event writes {@link #PROCESSED}, one that dead-lettered it {@link #ERROR}.
 */
public enum EventStatus {
  /** Not yet published (eventy's default for in-memory events; never written by redis-ext). */
  PENDING,
  /** Published; subscribers are handling it. */
  PROCESSING,
  /** A subscription handled it. */
  PROCESSED,
  /** A subscriber failed on it for good (dead-lettered), or Python's local subscriber raised. */
  ERROR;

  /** The status named {@code text}, or null for anything else (an unknown status is not fatal). */
  public static EventStatus parse(String text) {
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "PENDING" -> PENDING;
      case "PROCESSING" -> PROCESSING;
      case "PROCESSED" -> PROCESSED;
      case "ERROR" -> ERROR;
      default -> null;
    };
  }
}
