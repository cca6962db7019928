package io.github.redisext.timers.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Outcome;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers' {@link LeasedStore}: what the core kernel calls to claim, renew, settle and give
 * back timers. It keeps, per shard, the earliest due time it knows of (from claim replies and
 * wake-up messages), so a claim only runs the script on shards with something due, in rotating
 * order, each shard in ONE script call for everything the kernel has room for. A shard that fails
 * (e.g. a key of the wrong type) backs off on its own while the other shards go on. Settlements
 * are grouped by shard: all acks of a shard in one {@code complete_many.lua} call, all retries and
 * dead letters in one {@code fail.lua} call.
 *
 * <p>Why it is longer than 350 lines: it is the whole {@link LeasedStore} contract for a sharded
 * timeline (due-time bookkeeping per shard, claiming, renewal, settling with its per-timer logs and
 * counters, giving back); about a third is the per-outcome logging the operators read. The
 * pieces share the per-shard state and the "settled/outstanding" marks on {@link DueTimer}, so a
 * split would only move that state behind another interface.
 */
public final class TimersStore implements LeasedStore<DueTimer> {
  private static final Logger log = LoggerFactory.getLogger(TimersStore.class);
  /** Pause before looking again at a shard whose due timers are all locked by other owners. */
  private static final long SKIPPED_RETRY_MS = 50;
  /** Pause before looking again at a due timer whose lock key holds another type. */
  private static final long BAD_LOCK_RETRY_MS = 1_000;
  private static final Backoff SHARD_ERRORS = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));
  /** Longest a small claim is put off while the pipeline is at least half full (see claim). */
  private static final long DEFER_NANOS = 2_000_000;
  /** What a deferred claim waits before the kernel asks again. */
  private static final Duration DEFER_STEP = Duration.ofMillis(1);

  private final TimersRedis redis;
  private final KeyLayout keys;
  /** The topics a claim takes: null = every topic (DEAD_LETTER), else the served ones (LEAVE). */
  private final Set<String> served;
  private final ServerClock clock;
  private final Counters counters;
  private final long idleWaitMs;
  private final double jitterMin;
  private final double jitterMax;
  private final String tokenPrefix = Tokens.next();
  private final AtomicLong claims = new AtomicLong();
  private final AtomicInteger rotation = new AtomicInteger();

  private final long[] nextDue;
  private final int[] failures;
  private long recheckAt = Long.MIN_VALUE;
  /** Claimed through {@link #claim} and not yet settled, given back or lost. */
  private final AtomicLong outstanding = new AtomicLong();
  private volatile int capacity = Integer.MAX_VALUE;
  private long deferredSince;
  /**
   * Renewals and settlements run one at a time: a renewal moves a held timer's hidden score, and
   * a settlement sent with the score from before would take the timer for one set again meanwhile
   * (and leave it to fire a second time after the lease).
   */
  private final Object leaseOrder = new Object();

  /**
   * A store over {@code redis}'s keys.
   *
   * @param served the topics to claim (UnknownTopicPolicy.LEAVE), or null for every topic
   * @param idleWait the longest wait without a wake-up, before jitter
   */
  public TimersStore(TimersRedis redis, Set<String> served, ServerClock clock, Counters counters,
      Duration idleWait, double jitterMin, double jitterMax) {
    this.redis = redis;
    this.keys = redis.keys();
    this.served = served == null ? null : Set.copyOf(served);
    this.clock = clock;
    this.counters = counters;
    this.idleWaitMs = Math.max(1, idleWait.toMillis());
    this.jitterMin = jitterMin;
    this.jitterMax = jitterMax;
    this.nextDue = new long[keys.shards()];
    this.failures = new int[keys.shards()];
    Arrays.fill(nextDue, Long.MIN_VALUE);
  }

  // ------------------------------------------------------------------ due times

  /**
   * The kernel's capacity ({@code concurrency + prefetch}): with it, a claim for less than a
   * quarter of it is put off (1 ms at a time, 2 ms at most) while at least half of it is still
   * claimed and unsettled, so fast handlers are fed by few large claims instead of many small ones
   * (a claim costs a round trip and a script call whatever its size).
   */
  public void capacity(int capacity) {
    this.capacity = capacity;
  }

  /** A wake-up said shard {@code shard} has a timer due at {@code dueMs}. */
  public synchronized void lowerNextDue(int shard, long dueMs) {
    if (shard >= 0 && shard < nextDue.length) {
      nextDue[shard] = Math.min(nextDue[shard], dueMs);
    }
  }

  /** Look at every shard at the next claim (e.g. the wake-up subscription was just made). */
  public synchronized void recheckAll() {
    Arrays.fill(nextDue, Long.MIN_VALUE);
  }

  private long jitteredIdleMs() {
    double f = ThreadLocalRandom.current().nextDouble(jitterMin, Math.nextUp(jitterMax));
    return Math.max(1, Math.round(idleWaitMs * f));
  }

  // ------------------------------------------------------------------ claiming

  /** A new owner token: one per claim call. */
  String nextToken() {
    return tokenPrefix + ":" + claims.incrementAndGet();
  }

  /**
   * Claims up to {@code max} due timers of one shard (one script call), keeping the server clock
   * in sync and logging timers whose lock key holds another type.
   *
   * @throws WrongTypeException when a key of the shard holds another type (nothing changed)
   */
  TimersRedis.ClaimReply claimShard(int shard, int max, long leaseMs) {
    long t0 = System.nanoTime();
    TimersRedis.ClaimReply r = redis.claim(shard, max, leaseMs, nextToken(), served);
    clock.sync(r.nowMs(), t0, System.nanoTime());
    counters.claimed(r.timers().size());
    for (String member : r.badLocks()) {
      log.warn("timer {} is due but cannot be claimed: its lock key {} holds another type than a "
          + "string (someone overwrote it); the timer stays on {} and fires once the key is "
          + "deleted", member, keys.lockPrefix(shard) + member, keys.timeline(shard));
    }
    return r;
  }

  @Override
  public Claim<DueTimer> claim(int max, Duration lease, Duration maxWait) {
    int cap = capacity;
    if (cap != Integer.MAX_VALUE && max < cap / 4 && outstanding.get() >= cap / 2) {
      long now = System.nanoTime();
      if (deferredSince == 0) {
        deferredSince = now;
      }
      if (now - deferredSince < DEFER_NANOS) {
        return Claim.none(DEFER_STEP);
      }
    }
    deferredSince = 0;
    List<DueTimer> claimedNow = claimDue(max, lease);
    for (DueTimer t : claimedNow) {
      t.outstanding = true;
    }
    outstanding.addAndGet(claimedNow.size());
    if (!claimedNow.isEmpty()) {
      return Claim.of(claimedNow);
    }
    synchronized (this) {
      long earliest = recheckAt;
      for (long d : nextDue) {
        earliest = Math.min(earliest, d);
      }
      return Claim.none(Duration.ofMillis(Math.max(0, earliest - clock.nowMs())));
    }
  }

  /** Forgets {@code t} as outstanding (settled, given back or lost). */
  private void done(DueTimer t) {
    if (t.outstanding) {
      t.outstanding = false;
      outstanding.decrementAndGet();
    }
  }

  private List<DueTimer> claimDue(int max, Duration lease) {
    List<Integer> ready = new ArrayList<>();
    synchronized (this) {
      long now = clock.nowMs();
      if (now >= recheckAt) {
        // the (jittered) idle wait ran out: look at every shard, for timers set by producers
        // that publish no wake-ups (Python)
        Arrays.fill(nextDue, Long.MIN_VALUE);
        recheckAt = now + jitteredIdleMs();
      }
      int first = Math.floorMod(rotation.getAndIncrement(), nextDue.length);
      for (int k = 0; k < nextDue.length; k++) {
        int s = (first + k) % nextDue.length;
        if (nextDue[s] <= now) {
          ready.add(s);
          nextDue[s] = Long.MAX_VALUE;
        }
      }
    }
    List<DueTimer> out = new ArrayList<>();
    for (int s : ready) {
      int room = max - out.size();
      if (room <= 0) {
        lowerNextDue(s, Long.MIN_VALUE);
        continue;
      }
      try {
        TimersRedis.ClaimReply r = claimShard(s, room, lease.toMillis());
        failures[s] = 0;
        long next;
        if (r.timers().size() >= room) {
          next = Long.MIN_VALUE;
        } else if (r.nextDueMs() == null) {
          next = Long.MAX_VALUE;
        } else {
          next = r.nextDueMs();
          if (next <= r.nowMs()) {
            next = r.nowMs() + (r.skipped() > 0 ? SKIPPED_RETRY_MS
                : !r.badLocks().isEmpty() ? BAD_LOCK_RETRY_MS : 1);
          }
        }
        lowerNextDue(s, next);
        out.addAll(r.timers());
      } catch (RuntimeException e) {
        failures[s]++;
        Duration pause = SHARD_ERRORS.jittered(failures[s]);
        log.warn("claiming timers from {} failed ({}); retrying in {} ms", keys.timeline(s),
            e.toString(), pause.toMillis());
        lowerNextDue(s, clock.nowMs() + pause.toMillis());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ leases

  @Override
  public Collection<DueTimer> renew(Collection<DueTimer> held, Duration lease) {
    synchronized (leaseOrder) {
      List<DueTimer> live = new ArrayList<>(held.size());
      for (DueTimer t : held) {
        if (!t.settling) {
          live.add(t); // (a timer being settled needs no renewal: its settlement decides)
        }
      }
      return renewLive(live, lease);
    }
  }

  private Collection<DueTimer> renewLive(Collection<DueTimer> held, Duration lease) {
    List<DueTimer> lost = new ArrayList<>();
    RuntimeException error = null;
    for (List<DueTimer> shard : byShard(held)) {
      if (shard.isEmpty()) {
        continue;
      }
      // the new hidden score is chosen here, so that a renewal whose reply is lost is known: its
      // timers may carry either score, and their settlement accepts both
      long ms = clock.nowMs() + lease.toMillis() + 5;
      String newHidden = (ms / 1000) + "." + String.format("%03d", ms % 1000);
      for (DueTimer t : shard) {
        t.otherHidden = newHidden;
      }
      try {
        TimersRedis.RenewReply r = redis.renew(shard.get(0).shard, shard, lease.toMillis(),
            newHidden);
        for (int i = 0; i < shard.size(); i++) {
          DueTimer t = shard.get(i);
          switch (r.renewals().get(i)) {
            case RENEWED -> {
              t.hidden = r.hidden();
              t.otherHidden = "";
            }
            case KEPT_NEWER -> t.otherHidden = "";
            case LOST -> {
              if (t.settling) {
                continue; // settled meanwhile: its lock was released by the settlement
              }
              lost.add(t);
              done(t);
              counters.leaseLost();
              log.warn("lease of timer {} was lost while it was held (lock {} belongs to another "
                  + "owner now); the timer will not be removed by this consumer", t.member,
                  t.lockKey);
            }
          }
        }
      } catch (RuntimeException e) {
        error = first(error, e);
      }
    }
    if (error != null && lost.isEmpty()) {
      throw error;
    }
    return lost;
  }

  @Override
  public void giveBack(Collection<DueTimer> items) {
    synchronized (leaseOrder) {
      giveBackNow(items);
    }
  }

  private void giveBackNow(Collection<DueTimer> items) {
    for (List<DueTimer> shard : byShard(items)) {
      if (!shard.isEmpty()) {
        redis.giveBack(shard.get(0).shard, shard);
        shard.forEach(this::done);
      }
    }
  }

  // ------------------------------------------------------------------ settling

  @Override
  public void settle(List<Settlement<DueTimer>> batch) {
    synchronized (leaseOrder) {
      settleNow(batch);
    }
  }

  private void settleNow(List<Settlement<DueTimer>> batch) {
    List<List<DueTimer>> acks = emptyPerShard();
    List<List<TimersRedis.Failure>> fails = emptyPerShard();
    long failedAt = clock.nowMs();
    for (Settlement<DueTimer> s : batch) {
      DueTimer t = s.item();
      if (t.settled) {
        continue; // applied by an earlier try of this batch
      }
      t.settling = true;
      if (s.outcome() == Outcome.ACK) {
        acks.get(t.shard).add(t);
      } else {
        fails.get(t.shard).add(failure(t, s, failedAt));
      }
    }
    RuntimeException error = null;
    for (int shard = 0; shard < keys.shards(); shard++) {
      try {
        if (!acks.get(shard).isEmpty()) {
          complete(shard, acks.get(shard));
        }
        if (!fails.get(shard).isEmpty()) {
          fail(shard, fails.get(shard));
        }
      } catch (RuntimeException e) {
        error = first(error, e);
      }
    }
    if (error != null) {
      throw error; // the kernel repeats the batch; what was applied is marked settled
    }
  }

  /** The failure to apply for a RETRY or DEAD_LETTER settlement. */
  static TimersRedis.Failure failure(DueTimer t, Settlement<DueTimer> s, long failedAt) {
    if (s.outcome() == Outcome.RETRY) {
      return new TimersRedis.Failure(t, s.retryDelay().toMillis(), null);
    }
    String aside = t.aside;
    String record = new DeadRecord(t.payload, aside != null ? aside : s.error(),
        aside != null ? t.attempts : t.attempts + 1, failedAt).toJson();
    return new TimersRedis.Failure(t, -1, record);
  }

  /** Removes handled timers of one shard (one script call) and counts what happened. */
  void complete(int shard, List<DueTimer> timers) {
    List<TimersRedis.Completion> r = redis.complete(shard, timers);
    for (int i = 0; i < timers.size(); i++) {
      DueTimer t = timers.get(i);
      t.settled = true;
      done(t);
      switch (r.get(i)) {
        case REMOVED -> counters.fired(keys.topicOf(t.member));
        case KEPT_NEWER -> {
          counters.fired(keys.topicOf(t.member));
          log.debug("timer {} was set again while its handler ran; the new version stays",
              t.member);
        }
        case LEASE_LOST -> {
          counters.leaseLost();
          log.warn("timer {} was handled, but its lease was lost before removal (lock {} is not "
              + "ours: the handler outlived its lease, e.g. a long GC pause); the timer was left "
              + "alone", t.member, t.lockKey);
        }
        case BAD_LOCK -> log.error("timer {} was handled, but its lock key {} now holds another "
            + "type than a string (someone overwrote it), so it is not ours any more; nothing was "
            + "changed: the timer fires again after its lease once the key is deleted", t.member,
            t.lockKey);
      }
    }
  }

  /** Retries or moves aside failed timers of one shard (one script call), counting each. */
  void fail(int shard, List<TimersRedis.Failure> failures) {
    List<TimersRedis.FailReply> r = redis.fail(shard, failures);
    for (int i = 0; i < failures.size(); i++) {
      DueTimer t = failures.get(i).timer();
      t.settled = true;
      done(t);
      TimersRedis.FailReply f = r.get(i);
      switch (f.status()) {
        case RETRY -> {
          counters.retried();
          log.debug("timer {} failed (attempt {}); retrying in {} ms", t.member, f.attempts(),
              failures.get(i).delayMs());
        }
        case DEAD -> {
          counters.deadLettered();
          log.error("timer {} was moved to {}{}", t.member, keys.dead(shard), t.aside == null
              ? " after " + f.attempts() + " failed attempts" : ": " + t.aside);
        }
        case LOST -> {
          counters.leaseLost();
          log.warn("timer {} failed, and its lease was lost meanwhile; left alone", t.member);
        }
        case BADLOCK -> log.error("timer {} failed, but its lock key {} now holds another type "
            + "than a string; nothing was changed: it fires again after its lease once the key "
            + "is deleted", t.member, t.lockKey);
        case RESET -> log.warn("timer {} failed, but it was set again meanwhile; the new version "
            + "stays", t.member);
      }
    }
  }

  // ------------------------------------------------------------------ the rest

  @Override
  public int attempt(DueTimer item) {
    return item.attempts + 1;
  }

  @Override
  public long dueAtMillis(DueTimer item) {
    return item.dueMs();
  }

  @Override
  public String describe(DueTimer item) {
    return item.member;
  }

  private <T> List<List<T>> emptyPerShard() {
    List<List<T>> out = new ArrayList<>(keys.shards());
    for (int s = 0; s < keys.shards(); s++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  private List<List<DueTimer>> byShard(Collection<DueTimer> items) {
    List<List<DueTimer>> out = emptyPerShard();
    for (DueTimer t : items) {
      out.get(t.shard).add(t);
    }
    return out;
  }

  private static RuntimeException first(RuntimeException error, RuntimeException e) {
    if (error == null) {
      return e;
    }
    error.addSuppressed(e);
    return error;
  }
}
