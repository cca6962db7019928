package io.github.redisext.timers.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.timers.DeadTimer;
import io.github.redisext.timers.PendingTimer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/** The Redis side of the timers: one method per script, plus listings. Thread-safe. */
public final class TimerStore {
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

  private final UnifiedJedis client;
  private final KeyLayout keys;
  private final boolean wholeSeconds;

  /** A store on {@code client} with the given layout. */
  public TimerStore(UnifiedJedis client, KeyLayout keys, boolean wholeSeconds) {
    this.client = client;
    this.keys = keys;
    this.wholeSeconds = wholeSeconds;
  }

  /** The layout. */
  public KeyLayout keys() {
    return keys;
  }

  /** The client. */
  public UnifiedJedis client() {
    return client;
  }

  /** Reply of {@link #set}: server time and the head of the shard's timeline afterwards. */
  public record SetReply(long nowMs, String headMember, String headScore) {}

  /**
   * Sets timers of one shard in one script call.
   *
   * @param entries triples: timer key, delay ms, payload JSON (at most {@link #BATCH})
   */
  public SetReply set(int shard, List<String> entries) {
    List<String> args = new ArrayList<>(entries.size() + 1);
    args.add(wholeSeconds ? "1" : "0");
    args.addAll(entries);
    List<Object> r = Replies.toList(Scripts.SET_TIMERS.eval(client, keys.keys4(shard), args));
    return new SetReply(Replies.toLong(r.get(0)), Replies.toStr(r.get(1)),
        Replies.toStr(r.get(2)));
  }

  /**
   * Sets several batches of one shard in one pipeline (the script is loaded on the shard's node
   * first, so EVALSHA cannot meet NOSCRIPT unless the cache is flushed meanwhile; then the batch
   * is sent again with EVAL).
   *
   * @param chunks each a list of triples as for {@link #set}
   */
  public List<SetReply> setPipelined(int shard, List<List<String>> chunks) {
    if (chunks.size() == 1) {
      return List.of(set(shard, chunks.get(0)));
    }
    Scripts.SET_TIMERS.load(client, keys.timeline(shard));
    List<String> k = keys.keys4(shard);
    List<List<String>> argLists = new ArrayList<>(chunks.size());
    List<Response<Object>> responses = new ArrayList<>(chunks.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (List<String> entries : chunks) {
        List<String> args = new ArrayList<>(entries.size() + 1);
        args.add(wholeSeconds ? "1" : "0");
        args.addAll(entries);
        argLists.add(args);
        responses.add(p.evalsha(Scripts.SET_TIMERS.sha(), k, args));
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
        raw = Scripts.SET_TIMERS.eval(client, k, argLists.get(i));
      }
      List<Object> r = Replies.toList(raw);
      out.add(new SetReply(Replies.toLong(r.get(0)), Replies.toStr(r.get(1)),
          Replies.toStr(r.get(2))));
    }
    return out;
  }

  /** Removes pending timers of one shard; returns how many were on the timeline. */
  public long remove(int shard, List<String> members) {
    return Replies.toLong(Scripts.REMOVE_TIMERS.eval(client, keys.keys3(shard), members));
  }

  /**
   * Reply of {@link #claim}: server time, the earliest due time this consumer may claim (null: none
   * known), timers skipped because another owner holds their lock, timers (timer keys) whose lock
   * key holds another type than a string, and the claims.
   */
  public record ClaimReply(long nowMs, Long nextDueMs, int skipped, List<String> badLocks,
      List<Claim> claims) {}

  /**
   * Claims up to {@code max} due timers of one shard.
   *
   * @param served the topics to claim, or null to claim every topic (timers of topics without a
   *     handler are then moved aside by the caller); with a set, timers of other topics are left
   *     untouched on the timeline
   * @throws WrongTypeException when the timeline, payloads or attempts key holds another type
   *     (nothing changed)
   */
  public ClaimReply claim(int shard, int max, long leaseMs, Set<String> served) {
    String prefix = Tokens.next();
    int page = max * 2 + 64;
    List<String> args = new ArrayList<>(8 + (served == null ? 0 : served.size()));
    args.add(Integer.toString(max));
    args.add(Long.toString(leaseMs));
    args.add(prefix);
    args.add(keys.lockPrefix(shard));
    args.add(Integer.toString(page));
    args.add(keys.separator());
    args.add(served == null ? "0" : "1");
    args.add(Integer.toString(Math.max(page, LEAVE_LOOK_BUDGET)));
    if (served != null) {
      args.addAll(served);
    }
    List<Object> r = Replies.toList(Scripts.CLAIM.eval(client, keys.keys3(shard), args));
    long now = Replies.toLong(r.get(0));
    String head = Replies.toStr(r.get(1));
    int skipped = (int) Replies.toLong(r.get(2));
    int bad = (int) Replies.toLong(r.get(3));
    List<String> badLocks = new ArrayList<>(bad);
    for (int i = 4; i < 4 + bad; i++) {
      badLocks.add(Replies.toStr(r.get(i)));
    }
    int first = 4 + bad;
    List<Claim> claims = new ArrayList<>((r.size() - first) / 6);
    for (int i = first; i + 5 < r.size(); i += 6) {
      String member = Replies.toStr(r.get(i));
      String attempts = Replies.toStr(r.get(i + 5));
      claims.add(new Claim(shard, member, scoreToMs(Replies.toStr(r.get(i + 1))),
          Replies.toStr(r.get(i + 2)), Replies.toStr(r.get(i + 3)),
          keys.lockPrefix(shard) + member, Replies.toStr(r.get(i + 4)),
          attempts == null ? 0 : Integer.parseInt(attempts)));
    }
    return new ClaimReply(now, head == null ? null : scoreToMs(head), skipped, badLocks, claims);
  }

  /**
   * Removes handled timers of one shard: per claim 1 removed, 2 set again meanwhile (kept), 0
   * lease lost, 3 its lock key holds another type (nothing changed for it).
   *
   * @throws WrongTypeException when the timeline, payloads or attempts key holds another type
   *     (nothing changed)
   */
  public List<Long> complete(int shard, List<Claim> claims) {
    List<String> args = new ArrayList<>(claims.size() * 4);
    for (Claim c : claims) {
      args.add(c.lockKey);
      args.add(c.token);
      args.add(c.member);
      args.add(c.hidden);
    }
    List<Object> r = Replies.toList(Scripts.COMPLETE_MANY.eval(client, keys.keys3(shard), args));
    List<Long> out = new ArrayList<>(r.size());
    for (Object o : r) {
      out.add(Replies.toLong(o));
    }
    return out;
  }

  /** Reply of {@link #fail}: 'retry', 'dead', 'reset' or 'lost', and the attempts count. */
  public record FailReply(String status, long attempts) {}

  /** Retries or moves aside a timer whose handling failed. */
  public FailReply fail(Claim c, int maxAttempts, long backoffMs, String deadRecord,
      boolean deadNow) {
    List<Object> r = Replies.toList(Scripts.FAIL.eval(client, keys.keys4(c.shard),
        List.of(c.lockKey, c.token, c.member, c.hidden, Integer.toString(maxAttempts),
            Long.toString(backoffMs), deadRecord, deadNow ? "1" : "0")));
    return new FailReply(Replies.toStr(r.get(0)), Replies.toLong(r.get(1)));
  }

  /** Extends a claim's lease; false when the lock is no longer ours. */
  public boolean renew(Claim c, long leaseMs) {
    String h = Replies.toStr(Scripts.RENEW.eval(client, List.of(keys.timeline(c.shard)),
        List.of(c.lockKey, c.token, Long.toString(leaseMs), c.member, c.hidden)));
    if (h == null) {
      return false;
    }
    c.hidden = h;
    return true;
  }

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

  /** Every dead timer of every shard. */
  public List<DeadTimer> dead() {
    List<DeadTimer> out = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      String cursor = ScanParams.SCAN_POINTER_START;
      Map<String, String> all = new HashMap<>();
      do {
        String k = keys.dead(s);
        String c = cursor;
        ScanResult<Map.Entry<String, String>> page = KeyTypes.call(client,
            () -> client.hscan(k, c, new ScanParams().count(500)), k, "hash");
        for (Map.Entry<String, String> e : page.getResult()) {
          all.put(e.getKey(), e.getValue());
        }
        cursor = page.getCursor();
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
      all.forEach((m, json) -> out.add(DeadRecord.parse(json).toDeadTimer(keys.topicOf(m),
          keys.idOf(m))));
    }
    return out;
  }

  /** The raw dead record of a timer key, or null. */
  public String deadRecord(String member) {
    String k = keys.dead(keys.shardOf(member));
    return KeyTypes.call(client, () -> client.hget(k, member), k, "hash");
  }

  /** Puts a dead timer back; false if its record changed or vanished since it was read. */
  public boolean revive(String member, String record, String payload, long delayMs) {
    int s = keys.shardOf(member);
    return Replies.toLong(Scripts.REVIVE.eval(client, keys.keys4(s), List.of(member, record,
        payload, Long.toString(delayMs), wholeSeconds ? "1" : "0"))) == 1;
  }

  /** Deletes a dead timer; false if there was none. */
  public boolean deleteDead(String member) {
    String k = keys.dead(keys.shardOf(member));
    return KeyTypes.call(client, () -> client.hdel(k, member), k, "hash") == 1;
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

  /** A ZSET score (seconds) as epoch ms. */
  public static long scoreToMs(String score) {
    return Math.round(Double.parseDouble(score) * 1000);
  }
}
