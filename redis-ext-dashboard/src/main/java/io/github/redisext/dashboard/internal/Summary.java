package io.github.redisext.dashboard.internal;

/**
 * One overview row: the figures every kind has (depth, in flight, failures) and a short note.
 *
 * @param target the primitive
 * @param depth items waiting (queue length plus delayed, pending timers, set size ...)
 * @param inFlight items held by consumers now, or -1 where the kind has none
 * @param failures dead letters, or -1 where the kind has none
 * @param note a short remark (plain text, escaped when shown)
 * @param attention 0 fine, 1 look at it (overdue, no live consumer), 2 failures
 */
public record Summary(Target target, long depth, long inFlight, long failures, String note,
    int attention) {
  /** A row for a primitive whose figures could not be read. */
  public static Summary unreadable(Target t, RuntimeException e) {
    return new Summary(t, -1, -1, -1, "cannot read: " + e.getMessage(), 1);
  }
}
