package io.github.redisext.timers.internal;

/** A timer claimed by this consumer: its lock token and the hidden score it expects. */
public final class Claim {
  final int shard;
  final String member;
  final long dueMs;
  final String token;
  final String lockKey;
  final String payload;
  final int attempts;
  volatile String hidden;
  volatile boolean lost;
  volatile long renewedAt;

  Claim(int shard, String member, long dueMs, String hidden, String token, String lockKey,
      String payload, int attempts) {
    this.shard = shard;
    this.member = member;
    this.dueMs = dueMs;
    this.hidden = hidden;
    this.token = token;
    this.lockKey = lockKey;
    this.payload = payload;
    this.attempts = attempts;
  }

  @Override
  public String toString() {
    return "Claim[" + member + "]";
  }
}
