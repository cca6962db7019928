package io.github.redisext.dashboard.internal;

import io.github.redisext.core.consumer.DeadLetter;
import java.util.List;

/** The dead letters of one primitive, through its module's public API (the same six methods). */
public interface DeadLetterSource {
  /** Up to {@code max} dead letters, oldest first. */
  List<DeadLetter> list(int max);

  /** How many there are. */
  long count();

  /** Puts {@code letters} back to be handled again; returns how many were still there. */
  long requeue(List<DeadLetter> letters);

  /** Requeues every dead letter. */
  long requeueAll();

  /** Deletes {@code letters}; returns how many were still there. */
  long purge(List<DeadLetter> letters);

  /** Deletes every dead letter. */
  long purgeAll();
}
