package io.github.redisext.dashboard.internal;

import io.github.redisext.core.consumer.DeadLetter;
import java.util.Collection;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

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

  /**
   * A source from a module's six methods, e.g. {@code of(q::deadLetters, q::deadLetterCount,
   * q::requeue, q::requeueAllDeadLetters, q::purge, q::purgeAllDeadLetters)}.
   */
  static DeadLetterSource of(IntFunction<List<DeadLetter>> list, LongSupplier count,
      ToLongFunction<Collection<DeadLetter>> requeue, LongSupplier requeueAll,
      ToLongFunction<Collection<DeadLetter>> purge, LongSupplier purgeAll) {
    return new DeadLetterSource() {
      @Override
      public List<DeadLetter> list(int max) {
        return list.apply(max);
      }

      @Override
      public long count() {
        return count.getAsLong();
      }

      @Override
      public long requeue(List<DeadLetter> letters) {
        return requeue.applyAsLong(letters);
      }

      @Override
      public long requeueAll() {
        return requeueAll.getAsLong();
      }

      @Override
      public long purge(List<DeadLetter> letters) {
        return purge.applyAsLong(letters);
      }

      @Override
      public long purgeAll() {
        return purgeAll.getAsLong();
      }
    };
  }
}
