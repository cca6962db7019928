package io.github.redisext.debounce.internal;

import io.github.redisext.core.support.Replies;
import java.util.List;

/**
 * The reply of pop.lua / claim.lua.
 *
 * @param now the server time of the pop, epoch seconds
 * @param nextDue the earliest due time still waiting, or NaN
 * @param nextLease the earliest lease deadline, or NaN
 * @param recovered expired leases put back by this call
 * @param expiredDeadLettered expired leases this call moved to the dead letters instead (their
 *     task had reached the maximum attempts)
 * @param members the popped members, in due order
 */
public record PopReply(double now, double nextDue, double nextLease, long recovered,
    long expiredDeadLettered, List<String> members) {

  /** A reply without dead-lettered expired leases. */
  public PopReply(double now, double nextDue, double nextLease, long recovered,
      List<String> members) {
    this(now, nextDue, nextLease, recovered, 0, members);
  }

  /** Parses a raw script reply of pop.lua. */
  public static PopReply parse(Object raw) {
    List<String> r = Replies.toStringList(raw);
    return header(r, r.subList(4, r.size()));
  }

  /**
   * A reply of claim.lua: the pop reply, and for each member its failed deliveries so far.
   *
   * @param reply the times, counts and members
   * @param failures failed deliveries of each member before this one, in member order
   * @param dueMillis each member's due time (its score), epoch milliseconds, in member order
   */
  public record Claimed(PopReply reply, List<Integer> failures, long[] dueMillis) {}

  /**
   * Parses a raw script reply of claim.lua (members each followed by their failure count and
   * due time).
   */
  public static Claimed parseClaim(Object raw) {
    List<String> r = Replies.toStringList(raw);
    int n = (r.size() - 4) / 3;
    List<String> members = new java.util.ArrayList<>(n);
    List<Integer> failures = new java.util.ArrayList<>(n);
    long[] due = new long[n];
    for (int i = 4, k = 0; i + 2 < r.size(); i += 3, k++) {
      members.add(r.get(i));
      failures.add(count(r.get(i + 1)));
      double score = num(r.get(i + 2));
      due[k] = Double.isNaN(score) ? -1 : (long) (score * 1000);
    }
    return new Claimed(header(r, members), failures, due);
  }

  private static int count(String s) {
    try {
      double d = Double.parseDouble(s);
      return d < 0 ? 0 : d > 1_000_000_000 ? 1_000_000_000 : (int) d;
    } catch (RuntimeException e) {
      return 0; // a count that is not a number (only a hand-edited key): the scripts treat it as 0
    }
  }

  private static PopReply header(List<String> r, List<String> members) {
    // field 4: 'requeued' or 'requeued dead-lettered'
    String counts = r.get(3);
    int sp = counts.indexOf(' ');
    long recovered = Long.parseLong(sp < 0 ? counts : counts.substring(0, sp));
    long dead = sp < 0 ? 0 : Long.parseLong(counts.substring(sp + 1));
    return new PopReply(Double.parseDouble(r.get(0)), num(r.get(1)), num(r.get(2)), recovered,
        dead, members);
  }

  private static double num(String s) {
    return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  /**
   * Nanoseconds from the pop until the next thing to do (a task due or a lease running out), by
   * the server's clock; 0 if already past, {@link Long#MAX_VALUE} when nothing waits.
   */
  public long nanosUntilNext() {
    double next = Double.NaN;
    if (!Double.isNaN(nextDue)) {
      next = nextDue;
    }
    if (!Double.isNaN(nextLease) && (Double.isNaN(next) || nextLease < next)) {
      next = nextLease;
    }
    if (Double.isNaN(next)) {
      return Long.MAX_VALUE;
    }
    double s = next - now;
    if (s <= 0) {
      return 0;
    }
    // round up to the microsecond the scores carry, so a waiter never wakes just before
    return (long) Math.ceil(s * 1_000_000) * 1000;
  }
}
