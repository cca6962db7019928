package io.github.redisext.events.internal;

import io.github.redisext.events.Event;
import java.util.List;

/**
 * A claimed batch: the events {@code from..to} of one subscription, leased with {@code token}.
 * The handler records how far it got, so a failure settles the handled part and retries (or
 * dead-letters) from the failing event.
 */
final class Batch<T> {
  /** One id of the batch: its event, or why there is none. */
  record Entry<T>(long id, Event<T> event, String problem, boolean missed) {}

  final long from;
  final long to;
  final int attempt;
  final String token;
  final List<Entry<T>> entries;
  /** Entries handled successfully (the first {@code done}). */
  volatile int done;
  /**
   * Not handled because an earlier event of the ordered subscription is failing: given back
   * untouched (it comes again after that event is through).
   */
  volatile boolean skipped;

  Batch(long from, long to, int attempt, String token, List<Entry<T>> entries) {
    this.from = from;
    this.to = to;
    this.attempt = attempt;
    this.token = token;
    this.entries = entries;
  }

  /** The last id handled successfully ({@code from - 1} if none). */
  long doneUpTo() {
    return from + done - 1;
  }

  /** The delivery number of the event the batch stopped at: the batch's for its first event. */
  int failingAttempt() {
    return done == 0 ? attempt : 1;
  }
}
