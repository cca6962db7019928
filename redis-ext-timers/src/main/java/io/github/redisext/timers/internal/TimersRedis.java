package io.github.redisext.timers.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.timers.PendingTimer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * The one place that talks to Redis for the timers: runs every script of the module (one method
 * per script) and every read command, and turns their replies into records and enums. Nothing
 * else in the module touches {@link LuaScript} or a raw reply. Thread-safe (stateless beyond the
 * client and the layout).
 *
 * <p>Why it is longer than 350 lines: it is, by the module's rule, the single place that knows the
 * scripts' ARGV layouts and reply shapes (nine scripts plus the read commands), so it grows with
 * each script; every method is a short "build arguments, run, map the reply" block, and splitting
 * it (e.g. writes apart from consumption) would put script knowledge in two classes again.
 */
public final class TimersRedis {
  /**
   * Timers per set/remove script call: keeps each script call short (the scripts chunk their
   * commands themselves with core's rx_chunked, so any size would be correct).
   */
  public static final int BATCH = 1000;
  /**
   * With {@code UnknownTopicPolicy.LEAVE}: most timers one claim looks at (due pages, then the
   * search for the earliest timer of a served topic), so timers of other topics in front cannot
   * make a claim arbitrarily long.
   */
  public static final int LEAVE_LOOK_BUDGET = 2_000;

  private static final LuaScript SET_TIMERS = load("set_timers.lua");
  private static final LuaScript REMOVE_TIMERS = load("remove_timers.lua");
  private static final LuaScript CLAIM = load("claim.lua");
  private static final LuaScript COMPLETE_MANY = loadWithLib("complete_many.lua");
  private static final LuaScript FAIL = loadWithLib("fail.lua");
  private static final LuaScript RENEW = loadWithLib("renew.lua");
  private static final LuaScript GIVE_BACK = loadWithLib("give_back.lua");
  private static final LuaScript REVIVE = load("revive.lua");
  private static final LuaScript DROP_DEAD = load("drop_dead.lua");

  private final UnifiedJedis client;
  private final KeyLayout keys;
  private final boolean wholeSeconds;

  /** Redis access on {@code client} with the given layout. */
  public TimersRedis(UnifiedJedis client, KeyLayout keys, boolean wholeSeconds) {
    this.client = client;
    this.keys = keys;
    this.wholeSeconds = wholeSeconds;
  }

  private static LuaScript load(String name) {
    return LuaScript.fromResources(TimersRedis.class, LuaScript.CORE_LIB, name);
  }

  /** A settling script: core's helpers, then timers_lib.lua (same_score, read_locks). */
  private static LuaScript loadWithLib(String name) {
    return LuaScript.fromResources(TimersRedis.class, LuaScript.CORE_LIB, "timers_lib.lua", name);
  }

  /** The layout. */
  public KeyLayout keys() {
    return keys;
  }

  /** The client (for the wake-up subscription). */
  public UnifiedJedis client() {
    return client;
  }

  // ------------------------------------------------------------------ writing

  /** Reply of set_timers.lua: server time and the head of the shard's timeline afterwards. */
  public record SetReply(long nowMs, String headMember, String headScore) {}

  /**
   * Sets batches of timers of one shard: one script call per batch, several batches pipelined (the
   * script is loaded on the shard's node first, so EVALSHA cannot meet NOSCRIPT unless the cache is
   * flushed meanwhile; then the batch is sent again with EVAL).
   *
   * @param chunks each a list of triples: timer key, delay ms, payload JSON (at most {@link #BATCH})
   * @throws WrongTypeException when a key of the shard holds another type (nothing written)
   */
  public List<SetReply> set(int shard, List<List<String>> chunks) {
    List<String> k = keys.keys4(shard);
    List<List<String>> argLists = new ArrayList<>(chunks.size());
    for (List<String> entries : chunks) {
      List<String> args = new ArrayList<>(entries.size() + 1);
      args.add(wholeSeconds ? "1" : "0");
      args.addAll(entries);
      argLists.add(args);
    }
    if (chunks.size() == 1) {
      return List.of(setReply(SET_TIMERS.eval(client, k, argLists.get(0))));
    }
    SET_TIMERS.load(client, keys.timeline(shard));
    List<Response<Object>> responses = new ArrayList<>(chunks.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (List<String> args : argLists) {
        responses.add(p.evalsha(SET_TIMERS.sha(), k, args));
      }
      p.sync();
    }
    List<SetReply> out = new ArrayList<>(chunks.size());
    for (int i = 0; i < responses.size(); i++) {
      Object raw;
      try {
        raw = responses.get(i).get();
      } catch (JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
          throw LuaScript.translate(e);
        }
        raw = SET_TIMERS.eval(client, k, argLists.get(i));
      }
      out.add(setReply(raw));
    }
    return out;
  }

  private static SetReply setReply(Object raw) {
    List<Object> r = Replies.toList(raw);
    return new SetReply(Replies.toLong(r.get(0)), Replies.toStr(r.get(1)),
        Replies.toStr(r.get(2)));
  }

  /** Removes pending timers of one shard; returns how many were on the timeline. */
  public long remove(int shard, List<String> members) {
    return Replies.toLong(REMOVE_TIMERS.eval(client, keys.keys3(shard), members));
  }

  /** Publishes a wake-up; errors are the caller's to ignore. */
  public void publish(String message) {
    client.publish(keys.channel(), message);
  }

  /**
   * Checks the types of a shard's keys with TYPE (before an operation that writes to several
   * shards, so a wrong type in one shard stops it before any shard was written; each script checks
   * its own shard again atomically).
   *
   * @throws WrongTypeException naming the first key of another type
   */
  public void requireTypes(int shard, boolean withDead) {
    String[] pairs = withDead
        ? new String[] {keys.timeline(shard), "zset", keys.payloads(shard), "hash",
            keys.attempts(shard), "hash", keys.dead(shard), "hash"}
        : new String[] {keys.timeline(shard), "zset", keys.payloads(shard), "hash",
            keys.attempts(shard), "hash"};
    for (int i = 0; i < pairs.length; i += 2) {
      String found = client.type(pairs[i]);
      if (!"none".equals(found) && !pairs[i + 1].equals(found)) {
        throw new WrongTypeException(pairs[i], pairs[i + 1], found, null);
      }
    }
  }

  // ------------------------------------------------------------------ consuming

  /**
   * Reply of claim.lua: server time, the earliest due time this consumer may claim (null: none
   * known), timers skipped because another owner holds their lock, timers (timer keys) whose lock
   * key holds another type than a string, and the claimed timers.
   */
  public record ClaimReply(long nowMs, Long nextDueMs, int skipped, List<String> badLocks,
      List<DueTimer> timers) {}

  /**
   * Claims up to {@code max} due timers of one shard in one script call.
   *
   * @param token the owner token (unique per call): the value of every lock taken
   * @param served the topics to claim, or null to claim every topic; with a set, timers of other
   *     topics are left untouched on the timeline
   * @throws WrongTypeException when the timeline, payloads or attempts key holds another type
   *     (nothing changed)
   */
  public ClaimReply claim(int shard, int max, long leaseMs, String token,
      Collection<String> served) {
    int page = max * 2 + 64;
    List<String> args = new ArrayList<>(8 + (served == null ? 0 : served.size()));
    args.add(Integer.toString(max));
    args.add(Long.toString(leaseMs));
    args.add(token);
    args.add(keys.lockPrefix(shard));
    args.add(Integer.toString(page));
    args.add(keys.separator());
    args.add(served == null ? "0" : "1");
    args.add(Integer.toString(Math.max(page, LEAVE_LOOK_BUDGET)));
    if (served != null) {
      args.addAll(served);
    }
    List<Object> r = Replies.toList(CLAIM.eval(client, keys.keys3(shard), args));
    long now = Replies.toLong(r.get(0));
    String head = Replies.toStr(r.get(1));
    int skipped = (int) Replies.toLong(r.get(2));
    List<String> badLocks = Replies.toStringList(r.get(3));
    String hidden = Replies.toStr(r.get(4));
    List<Object> members = Replies.toList(r.get(5));
    List<Object> dues = Replies.toList(r.get(6));
    List<Object> payloads = Replies.toList(r.get(7));
    java.util.Set<Long> missing = new java.util.HashSet<>();
    for (Object o : Replies.toList(r.get(8))) {
      missing.add(Replies.toLong(o));
    }
    List<Object> attemptPairs = Replies.toList(r.get(9));
    int[] attempts = new int[members.size()];
    for (int i = 0; i + 1 < attemptPairs.size(); i += 2) {
      attempts[(int) Replies.toLong(attemptPairs.get(i)) - 1] =
          (int) Replies.toLong(attemptPairs.get(i + 1));
    }
    String prefix = keys.lockPrefix(shard);
    List<DueTimer> timers = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      String member = Replies.toStr(members.get(i));
      String payload = missing.contains(i + 1L) ? null : Replies.toStr(payloads.get(i));
      timers.add(new DueTimer(shard, member, prefix + member, token, Replies.toStr(dues.get(i)),
          hidden, payload, attempts[i]));
    }
    return new ClaimReply(now, head == null ? null : DueTimer.scoreToMs(head), skipped, badLocks,
        timers);
  }

  /** What complete_many.lua did with one timer. */
  public enum Completion {
    /** The lock was no longer ours: nothing changed. */
    LEASE_LOST,
    /** Removed. */
    REMOVED,
    /** Lock released; the timer was set again while handled and stays. */
    KEPT_NEWER,
    /** Its lock key holds another type: nothing changed. */
    BAD_LOCK
  }

  /**
   * Removes handled timers of one shard and releases their locks, one script call.
   *
   * @throws WrongTypeException when the timeline, payloads or attempts key holds another type
   *     (nothing changed)
   */
  public List<Completion> complete(int shard, List<DueTimer> timers) {
    List<String> k = new ArrayList<>(3 + timers.size());
    k.addAll(keys.keys3(shard));
    // the timers of one claim share token and hidden score: each pair is sent once
    java.util.Map<String, Integer> groups = new java.util.HashMap<>();
    List<String> head = new ArrayList<>();
    List<String> tail = new ArrayList<>(timers.size() * 2);
    for (DueTimer t : timers) {
      k.add(t.lockKey);
      String hidden = t.hidden;
      String other = t.otherHidden;
      String key = t.token + ' ' + hidden + ' ' + other;
      Integer g = groups.get(key);
      if (g == null) {
        g = groups.size() + 1;
        groups.put(key, g);
        head.add(t.token);
        head.add(hidden);
        head.add(other);
      }
      tail.add(Integer.toString(g));
      tail.add(t.member);
    }
    List<String> args = new ArrayList<>(1 + head.size() + tail.size());
    args.add(Integer.toString(groups.size()));
    args.addAll(head);
    args.addAll(tail);
    List<Object> r = Replies.toList(COMPLETE_MANY.eval(client, k, args));
    List<Completion> out = new ArrayList<>(r.size());
    for (Object o : r) {
      out.add(Completion.values()[(int) Replies.toLong(o)]);
    }
    return out;
  }

  /** A failed timer to settle: retry after {@code delayMs}, or move aside when it is negative. */
  public record Failure(DueTimer timer, long delayMs, String deadRecord) {}

  /** What fail.lua did with one timer. */
  public enum FailStatus {
    /** Rescheduled. */
    RETRY,
    /** Moved to the dead timers. */
    DEAD,
    /** Set again while handled: the new version stays. */
    RESET,
    /** The lock was no longer ours: nothing changed. */
    LOST,
    /** Its lock key holds another type: nothing changed. */
    BADLOCK
  }

  /** Reply of fail.lua for one timer: what happened and its failed attempts then. */
  public record FailReply(FailStatus status, long attempts) {}

  /**
   * Retries or moves aside failed timers of one shard, one script call.
   *
   * @throws WrongTypeException when the timeline, payloads, attempts or dead key holds another
   *     type (nothing changed)
   */
  public List<FailReply> fail(int shard, List<Failure> failures) {
    List<String> k = new ArrayList<>(4 + failures.size());
    k.addAll(keys.keys4(shard));
    List<String> args = new ArrayList<>(failures.size() * 6);
    for (Failure f : failures) {
      k.add(f.timer().lockKey);
      args.add(f.timer().token);
      args.add(f.timer().member);
      args.add(f.timer().hidden);
      args.add(f.delayMs() < 0 ? "-" : Long.toString(f.delayMs()));
      args.add(f.delayMs() < 0 ? f.deadRecord() : "");
      args.add(f.timer().otherHidden);
    }
    List<Object> r = Replies.toList(FAIL.eval(client, k, args));
    List<FailReply> out = new ArrayList<>(r.size());
    for (Object o : r) {
      List<Object> one = Replies.toList(o);
      out.add(new FailReply(FailStatus.valueOf(Replies.toStr(one.get(0)).toUpperCase(
          java.util.Locale.ROOT)), Replies.toLong(one.get(1))));
    }
    return out;
  }

  /** What renew.lua did with one timer. */
  public enum Renewal {
    /** The lock was no longer ours (or holds another type): lease lost. */
    LOST,
    /** Renewed; the timer's hidden score is now the reply's. */
    RENEWED,
    /** Lock renewed; the timer was set again meanwhile and keeps its score. */
    KEPT_NEWER
  }

  /** Reply of renew.lua: the new hidden score and what happened to each timer. */
  public record RenewReply(String hidden, List<Renewal> renewals) {}

  /**
   * Extends the leases of timers of one shard, one script call; the renewed timers' hidden score
   * becomes {@code newHidden}.
   *
   * @throws WrongTypeException when the timeline holds another type (nothing changed)
   */
  public RenewReply renew(int shard, List<DueTimer> timers, long leaseMs, String newHidden) {
    List<String> k = new ArrayList<>(1 + timers.size());
    k.add(keys.timeline(shard));
    List<String> args = new ArrayList<>(1 + timers.size() * 3);
    args.add(Long.toString(leaseMs));
    args.add(newHidden);
    for (DueTimer t : timers) {
      k.add(t.lockKey);
      args.add(t.token);
      args.add(t.member);
      args.add(t.hidden);
    }
    List<Object> r = Replies.toList(RENEW.eval(client, k, args));
    List<Renewal> out = new ArrayList<>(timers.size());
    for (Object o : Replies.toList(r.get(1))) {
      out.add(Renewal.values()[(int) Replies.toLong(o)]);
    }
    return new RenewReply(Replies.toStr(r.get(0)), out);
  }

  /** Makes claimed, unstarted timers of one shard due again at once; returns how many. */
  public long giveBack(int shard, List<DueTimer> timers) {
    List<String> k = new ArrayList<>(1 + timers.size());
    k.add(keys.timeline(shard));
    List<String> args = new ArrayList<>(timers.size() * 4);
    for (DueTimer t : timers) {
      k.add(t.lockKey);
      args.add(t.token);
      args.add(t.member);
      args.add(t.hidden);
      args.add(t.dueScore);
    }
    return Replies.toLong(GIVE_BACK.eval(client, k, args));
  }

  // ------------------------------------------------------------------ reading

  /** Every pending timer of every shard, earliest first within a shard. */
  public List<PendingTimer> pending() {
    List<PendingTimer> out = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      long from = 0;
      while (true) {
        final int shard = s;
        final long start = from;
        List<Tuple> page = KeyTypes.call(client,
            () -> client.zrangeWithScores(keys.timeline(shard), start, start + 999),
            keys.timeline(s), "zset");
        if (page.isEmpty()) {
          break;
        }
        String[] fields = page.stream().map(Tuple::getElement).toArray(String[]::new);
        List<String> payloads = KeyTypes.call(client, () -> client.hmget(keys.payloads(shard),
            fields), keys.payloads(s), "hash");
        for (int i = 0; i < page.size(); i++) {
          String m = fields[i];
          out.add(new PendingTimer(keys.topicOf(m), keys.idOf(m),
              Instant.ofEpochMilli(Math.round(page.get(i).getScore() * 1000)), payloads.get(i)));
        }
        if (page.size() < 1000) {
          break;
        }
        from += 1000;
      }
    }
    return out;
  }

  /** Number of pending timers over all shards. */
  public long pendingCount() {
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      String k = keys.timeline(s);
      n += KeyTypes.call(client, () -> client.zcard(k), k, "zset");
    }
    return n;
  }

  /** A dead timer as stored: its timer key and its record JSON. */
  public record DeadEntry(String member, String record) {}

  /** Up to {@code max} dead timers (HSCAN of every shard's dead HASH, in shard order). */
  public List<DeadEntry> dead(int max) {
    List<DeadEntry> out = new ArrayList<>();
    for (int s = 0; s < keys.shards() && out.size() < max; s++) {
      String k = keys.dead(s);
      String cursor = ScanParams.SCAN_POINTER_START;
      java.util.Set<String> seen = new java.util.HashSet<>();
      do {
        String c = cursor;
        ScanResult<Map.Entry<String, String>> page = KeyTypes.call(client,
            () -> client.hscan(k, c, new ScanParams().count(500)), k, "hash");
        for (Map.Entry<String, String> e : page.getResult()) {
          if (out.size() < max && seen.add(e.getKey())) {
            out.add(new DeadEntry(e.getKey(), e.getValue()));
          }
        }
        cursor = page.getCursor();
      } while (out.size() < max && !ScanParams.SCAN_POINTER_START.equals(cursor));
    }
    return out;
  }

  /** Number of dead timers over all shards (HLEN). */
  public long deadCount() {
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      String k = keys.dead(s);
      n += KeyTypes.call(client, () -> client.hlen(k), k, "hash");
    }
    return n;
  }

  /** Puts a dead timer back; false if its record changed or vanished since it was read. */
  public boolean revive(String member, String record, String payload, long delayMs) {
    int s = keys.shardOf(member);
    return Replies.toLong(REVIVE.eval(client, keys.keys4(s), List.of(member, record,
        payload, Long.toString(delayMs), wholeSeconds ? "1" : "0"))) == 1;
  }

  /** Deletes dead timers of one shard whose records are unchanged; returns how many. */
  public long dropDead(int shard, List<DeadEntry> entries) {
    List<String> args = new ArrayList<>(entries.size() * 2);
    for (DeadEntry e : entries) {
      args.add(e.member());
      args.add(e.record());
    }
    return Replies.toLong(DROP_DEAD.eval(client, List.of(keys.dead(shard)), args));
  }
}
