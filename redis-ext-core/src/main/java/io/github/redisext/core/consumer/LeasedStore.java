package io.github.redisext.core.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A module's side of a leased consumer: it owns the keys, the scripts and the wire format; the
 * {@link ConsumerKernel} calls it from its own threads (one claim at a time, from whichever
 * consumer thread holds the claiming turn; settlements from one thread; renewals from the shared
 * scheduler; claims, settlements and renewals possibly at the same time). Any method may
 * throw on Redis trouble: the kernel backs off and calls again, so every method must be safe to
 * repeat (a settlement applied twice must not do twice what it does once).
 *
 * @param <I> the store's claimed-item type (carries whatever the store needs to settle it: id,
 *     lease token, attempt count, raw payload)
 */
public interface LeasedStore<I> {
  /**
   * Atomically claims up to {@code max} due items, leased to this consumer for {@code lease}. May
   * wait up to {@code maxWait} for items to arrive (e.g. a blocking command) or return an empty
   * claim at once; the kernel then waits for {@link ConsumerKernel#wakeUp()}, the claim's {@link
   * Claim#nextDue()} or the idle wait, whichever comes first.
   */
  Claim<I> claim(int max, Duration lease, Duration maxWait);

  /**
   * Extends the leases of {@code held} (claimed and not yet settled) by {@code lease}; returns the
   * items whose lease was already lost (expired and taken back): their settlement is skipped.
   */
  Collection<I> renew(Collection<I> held, Duration lease);

  /** Applies {@code batch} (acks, retries, dead letters), in as few round trips as it can. */
  void settle(List<Settlement<I>> batch);

  /** Gives back claimed items that were never started (shutdown): due again at once, attempts unchanged. */
  void giveBack(Collection<I> items);

  /** How many times {@code item} was delivered, this delivery included (1 on the first). */
  int attempt(I item);

  /**
   * When {@code item} fell due (or was written, for items due at once), in epoch milliseconds, or
   * -1 if unknown; the kernel reports the delay to its handler start as {@code DELIVERY_LAG}.
   */
  default long dueAtMillis(I item) {
    return -1;
  }

  /**
   * Readies {@code item} for its handler, on the thread that is about to handle it (e.g. decodes
   * its payload, so that decoding is not on the claim's serial path). Returns false if the store
   * set the item aside itself (e.g. moved an undecodable payload to its dead letters under the
   * item's lease): the kernel then forgets it, with no handler call, no settlement, and nothing
   * counted as handled or failed. An exception leaves the item leased and unsettled: it is
   * delivered again when its lease expires.
   */
  default boolean prepare(I item) {
    return true;
  }

  /** A short id of {@code item} for logs. */
  String describe(I item);

  /** Interrupts a blocking {@link #claim} (called by {@link ConsumerKernel#wakeUp()} and at shutdown). */
  default void wakeUp() {}

  /** The result of a claim. */
  record Claim<I>(List<I> items, Duration nextDue) {
    /** A claim of {@code items}, nothing known about the next due time. */
    public static <I> Claim<I> of(List<I> items) {
      return new Claim<>(items, null);
    }

    /** An empty claim; {@code nextDue} (or null) says when the next item falls due. */
    public static <I> Claim<I> none(Duration nextDue) {
      return new Claim<>(List.of(), nextDue);
    }
  }
}
