package io.github.redisext.core.consumer;

import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * For a {@link LeasedStore} over several shards (one due sorted set each): the earliest due time
 * known per shard, so a claim runs its script only on shards with something due, in rotating
 * order, and an empty claim knows how long to wait. Every shard is looked at again after a
 * (jittered) idle wait, for items added by producers whose wake-up was missed or that publish
 * none; a shard whose claim failed backs off on its own (50 ms doubling to 5 s) while the others
 * go on. Times are epoch milliseconds of whatever clock the store uses (the server's). Thread-safe.
 *
 * <pre>{@code
 * for (int s : schedule.due(now)) {
 *   try {
 *     Reply r = claimShard(s, room);
 *     schedule.claimed(s, r.items().size(), room, r.headScore(), r.nowMs());
 *   } catch (RuntimeException e) {
 *     schedule.failed(s, now);
 *   }
 * }
 * return Claim.none(schedule.untilNext(now));
 * }</pre>
 */
public final class ShardSchedule {
  private static final Backoff FAILURES = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  private final long[] nextDue;
  private final int[] failures;
  private final long idleWaitMs;
  private long recheckAt = Long.MIN_VALUE;
  private int rotation;

  /**
   * A schedule of {@code shards} shards, each looked at again at least every {@code idleWait}
   * (jittered between half and all of it); every shard is due at first.
   */
  public ShardSchedule(int shards, Duration idleWait) {
    Args.positive(shards, "shards");
    this.idleWaitMs = Math.max(1, Args.positive(idleWait, "idleWait").toMillis());
    this.nextDue = new long[shards];
    this.failures = new int[shards];
    Arrays.fill(nextDue, Long.MIN_VALUE);
  }

  /** Number of shards. */
  public int shards() {
    return nextDue.length;
  }

  /** Shard {@code shard} has an item due at {@code dueMs} (a wake-up, a local add). */
  public synchronized void lower(int shard, long dueMs) {
    if (shard >= 0 && shard < nextDue.length) {
      nextDue[shard] = Math.min(nextDue[shard], dueMs);
    }
  }

  /** Every shard is due at the next claim (e.g. a subscription was just made). */
  public synchronized void recheckAll() {
    Arrays.fill(nextDue, Long.MIN_VALUE);
  }

  /**
   * The shards to claim from now, in rotating order; they count as "being claimed" (not due)
   * until {@link #claimed}, {@link #failed} or {@link #lower} says otherwise.
   */
  public synchronized List<Integer> due(long nowMs) {
    if (nowMs >= recheckAt) {
      Arrays.fill(nextDue, Long.MIN_VALUE);
      recheckAt = nowMs + idleWaitMs / 2 + ThreadLocalRandom.current().nextLong(idleWaitMs / 2 + 1);
    }
    List<Integer> ready = new ArrayList<>();
    int first = Math.floorMod(rotation++, nextDue.length);
    for (int k = 0; k < nextDue.length; k++) {
      int s = (first + k) % nextDue.length;
      if (nextDue[s] <= nowMs) {
        ready.add(s);
        nextDue[s] = Long.MAX_VALUE;
      }
    }
    return ready;
  }

  /**
   * A claim on {@code shard} took {@code claimed} of {@code room} items; {@code headMs} is the
   * earliest score left in the shard (null: empty) and {@code nowMs} the clock of the reply. A
   * full claim leaves the shard due (more may wait); a head already due is looked at in 1 ms.
   */
  public synchronized void claimed(int shard, int claimed, int room, Long headMs, long nowMs) {
    failures[shard] = 0;
    long next;
    if (claimed >= room) {
      next = Long.MIN_VALUE;
    } else if (headMs == null) {
      next = Long.MAX_VALUE;
    } else {
      next = Math.max(headMs, nowMs + 1);
    }
    lower(shard, next);
  }

  /** A claim on {@code shard} was skipped for lack of room: it stays due. */
  public void skipped(int shard) {
    lower(shard, Long.MIN_VALUE);
  }

  /** A claim on {@code shard} failed: it is due again after its backoff, which is returned. */
  public synchronized Duration failed(int shard, long nowMs) {
    failures[shard]++;
    Duration pause = FAILURES.jittered(failures[shard]);
    lower(shard, nowMs + pause.toMillis());
    return pause;
  }

  /** How long until a shard is due (or every shard is looked at again), never negative. */
  public synchronized Duration untilNext(long nowMs) {
    long earliest = recheckAt;
    for (long d : nextDue) {
      earliest = Math.min(earliest, d);
    }
    return Duration.ofMillis(Math.max(0, earliest - nowMs));
  }
}
