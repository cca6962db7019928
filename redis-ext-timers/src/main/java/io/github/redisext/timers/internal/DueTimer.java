package io.github.redisext.timers.internal;

/**
 * One claimed firing of a timer: where it lives, the lock token and hidden score that prove this
 * consumer holds it, and what the claim read (payload, failed attempts so far). Mutable only where
 * the consumer's threads must agree: the hidden score changes on renewal; {@code aside} says the
 * timer never reached a handler (no handler, no payload, undecodable), so moving it aside counts
 * no attempt; {@code settling} says a settlement was sent (a renewal that then finds the lock gone
 * is not a lost lease); {@code settled} marks a settlement applied, so a batch the kernel repeats
 * after a Redis error does not apply it twice.
 */
public final class DueTimer {
  final int shard;
  final String member;
  final String lockKey;
  final String token;
  final String dueScore;
  private long dueMs = Long.MIN_VALUE;
  final String payload;
  final int attempts;
  volatile String hidden;
  /** The hidden score of a renewal sent whose reply was lost ('' if none): the timer may have it. */
  volatile String otherHidden = "";
  volatile String aside;
  volatile boolean settling;
  /** Claimed through the kernel's claim (counted as outstanding until settled or dropped). */
  volatile boolean outstanding;
  volatile boolean settled;

  DueTimer(int shard, String member, String lockKey, String token, String dueScore,
      String hidden, String payload, int attempts) {
    this.shard = shard;
    this.member = member;
    this.lockKey = lockKey;
    this.token = token;
    this.dueScore = dueScore;
    this.hidden = hidden;
    this.payload = payload;
    this.attempts = attempts;
  }

  /** The timer key ({@code topic + separator + id}). */
  public String member() {
    return member;
  }

  /** The raw payload as stored, or null when it was missing. */
  public String payload() {
    return payload;
  }

  /** When it fell due, epoch ms (server clock); parsed on first use, on the handler's thread. */
  public long dueMs() {
    long d = dueMs;
    if (d == Long.MIN_VALUE) {
      d = scoreToMs(dueScore);
      dueMs = d;
    }
    return d;
  }

  /** Failed attempts before this one. */
  public int attempts() {
    return attempts;
  }

  /** A ZSET score (seconds, as text) as epoch ms. */
  static long scoreToMs(String score) {
    return Math.round(Double.parseDouble(score) * 1000);
  }

  @Override
  public String toString() {
    return member;
  }
}
