package io.github.redisext.triggers.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The scripts of one {@code ExpiryTriggers} instance and the calls that run them (one shard per
 * call; every script's comment states its keys, arguments, reply and why it is atomic).
 */
public final class TriggersRedis {
  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private static LuaScript script(String name) {
    return LuaScript.fromResources(TriggersRedis.class, LuaScript.CORE_LIB, "triggers_lib.lua",
        name);
  }

  private static final LuaScript SET = script("set.lua");
  private static final LuaScript CLAIM = script("claim.lua");
  private static final LuaScript RENEW = script("renew.lua");
  private static final LuaScript ACK = script("ack.lua");
  private static final LuaScript RETRY = script("retry.lua");
  private static final LuaScript DEAD = script("dead.lua");
  private static final LuaScript GIVE_BACK = script("give_back.lua");
  private static final LuaScript CANCEL = script("cancel.lua");
  private static final LuaScript CANCEL_ALL = script("cancel_all.lua");
  private static final LuaScript ADOPT = script("adopt.lua");
  private static final LuaScript REQUEUE_DEAD = script("requeue_dead.lua");
  private static final LuaScript FORGET_DELETED = script("forget_deleted.lua");
  private static final LuaScript OWED = script("owed.lua");

  private final UnifiedJedis client;
  private final Keys keys;
  private final boolean cluster;

  /** Calls over {@code client} with {@code keys}. */
  public TriggersRedis(UnifiedJedis client, Keys keys) {
    this.client = client;
    this.keys = keys;
    this.cluster = KeySpace.isCluster(client);
  }

  /** The client. */
  public UnifiedJedis client() {
    return client;
  }

  /** The key layout. */
  public Keys keys() {
    return keys;
  }

  /** Whether the client is a cluster client (TTL keys are then written apart from the script). */
  public boolean cluster() {
    return cluster;
  }

  /**
   * The TTL key's value: {@code trigger:} + the UTC time in ISO-8601 without offset, with
   * microseconds (none when they are 0, like Python's {@code isoformat()}).
   */
  public static String triggerValue(LocalDateTime utc) {
    return "trigger:" + (utc.getNano() / 1000 == 0 ? ISO_SECONDS : ISO_MICROS).format(utc);
  }

  /** The TTL keys' value for now. */
  public static String triggerValueNow() {
    return triggerValue(LocalDateTime.now(ZoneOffset.UTC));
  }

  /**
   * One script call of a set: triggers of one (escaped) action in shard {@code shard}, their TTL
   * keys (at most {@link #SET_CALL_SIZE}).
   */
  public record Arms(int shard, String action, List<String> ttlKeys) {}

  /** Most triggers per set script call. */
  public static final int SET_CALL_SIZE = 1000;

  /** Most set script calls per pipeline round trip. */
  private static final int SET_CALLS_PER_SYNC = 32;

  /** What a set did: per call the server time (ms) it ran at, or null where it failed. */
  public record SetReply(long[] nowMs, boolean[] applied, RuntimeException firstError) {}

  /**
   * Arms the triggers of {@code calls}, each with {@code ttlMs}, one script call per element, the
   * calls pipelined ({@link #SET_CALLS_PER_SYNC} per round trip). Each call is atomic by itself;
   * a call that finds a key of another type changes nothing and the others still run (see {@link
   * SetReply#firstError()}). On a cluster the TTL keys of the applied calls follow in one pipeline
   * (they live in other slots); the script notes them as owed first and they are confirmed
   * (dropped from the owed ZSET) once written, so a crash in between leaves a note for the sweep
   * ({@link #owed}, {@link #writeOwed}).
   */
  public SetReply set(List<Arms> calls, long ttlMs, String value, boolean wakeUps) {
    long[] now = new long[calls.size()];
    boolean[] applied = new boolean[calls.size()];
    RuntimeException first = null;
    String ttl = Long.toString(ttlMs);
    if (calls.size() == 1) {
      Arms c = calls.get(0);
      now[0] = SET.eval(client, setKeys(c), setArgs(c, ttl, value, wakeUps), Replies::toLong);
      applied[0] = true;
    } else {
      for (int from = 0; from < calls.size(); from += SET_CALLS_PER_SYNC) {
        int to = Math.min(calls.size(), from + SET_CALLS_PER_SYNC);
        List<List<String>> keyLists = new ArrayList<>(to - from);
        List<List<String>> argLists = new ArrayList<>(to - from);
        List<Response<Object>> responses = new ArrayList<>(to - from);
        try (AbstractPipeline p = client.pipelined()) {
          for (int i = from; i < to; i++) {
            List<String> k = setKeys(calls.get(i));
            List<String> a = setArgs(calls.get(i), ttl, value, wakeUps);
            keyLists.add(k);
            argLists.add(a);
            responses.add(p.evalsha(SET.sha(), k, a));
          }
          p.sync();
        }
        for (int i = from; i < to; i++) {
          try {
            now[i] = Replies.toLong(responses.get(i - from).get());
            applied[i] = true;
          } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
              // not run (script not cached on that node yet): run it now
              try {
                now[i] = SET.eval(client, keyLists.get(i - from), argLists.get(i - from),
                    Replies::toLong);
                applied[i] = true;
              } catch (RuntimeException again) {
                first = first == null ? again : first;
              }
            } else if (first == null) {
              first = LuaScript.translate(e);
            }
          }
        }
      }
    }
    if (cluster) {
      writeTtlKeys(calls, applied, ttlMs, value);
    }
    return new SetReply(now, applied, first);
  }

  private List<String> setKeys(Arms c) {
    if (cluster) {
      List<String> k = new ArrayList<>(keys.familyAndActions(c.shard()));
      k.add(keys.owed(c.shard()));
      return k;
    }
    List<String> k = new ArrayList<>(7 + c.ttlKeys().size());
    k.addAll(keys.familyAndActions(c.shard()));
    k.addAll(c.ttlKeys());
    return k;
  }

  private List<String> setArgs(Arms c, String ttl, String value, boolean wakeUps) {
    List<String> a = new ArrayList<>(6 + (cluster ? c.ttlKeys().size() : 0));
    a.add(cluster ? "0" : "1");
    a.add(value);
    a.add(wakeUps ? keys.channel() : "");
    a.add(Integer.toString(c.shard()));
    a.add(ttl);
    a.add(c.action());
    if (cluster) {
      a.addAll(c.ttlKeys());
    }
    return a;
  }

  private void writeTtlKeys(List<Arms> calls, boolean[] applied, long ttlMs, String value) {
    SetParams px = SetParams.setParams().px(ttlMs);
    if (calls.size() == 1 && calls.get(0).ttlKeys().size() == 1) {
      if (applied[0]) {
        client.set(calls.get(0).ttlKeys().get(0), value, px);
      }
    } else {
      try (AbstractPipeline p = client.pipelined()) {
        for (int i = 0; i < calls.size(); i++) {
          if (applied[i]) {
            for (String k : calls.get(i).ttlKeys()) {
              p.set(k, value, px);
            }
          }
        }
        p.sync();
      }
    }
    confirm(calls, applied);
  }

  /** Drops the applied calls' trigger keys from their shards' owed ZSETs (TTL keys written). */
  private void confirm(List<Arms> calls, boolean[] applied) {
    if (calls.size() == 1) {
      if (applied[0]) {
        String owed = keys.owed(calls.get(0).shard());
        String[] m = calls.get(0).ttlKeys().toArray(String[]::new);
        KeyTypes.call(client, () -> client.zrem(owed, m), owed, "zset");
      }
      return;
    }
    try (AbstractPipeline p = client.pipelined()) {
      for (int i = 0; i < calls.size(); i++) {
        if (applied[i]) {
          p.zrem(keys.owed(calls.get(i).shard()), calls.get(i).ttlKeys().toArray(String[]::new));
        }
      }
      p.sync();
    }
  }

  /** An owed TTL key: its trigger is waiting, due at {@code dueMs}. */
  public record Owed(String key, long dueMs) {}

  /**
   * The owed TTL keys of shard {@code s} (cluster) older than {@code graceMs}, at most {@code
   * max}, whose triggers still wait (the others' notes are dropped), with the server time.
   */
  public Map.Entry<Long, List<Owed>> owed(int s, long graceMs, int max) {
    List<String> k = new ArrayList<>(keys.family(s));
    k.add(keys.owed(s));
    List<Object> r = OWED.eval(client, k, List.of(Long.toString(graceMs), Integer.toString(max)),
        Replies::toList);
    List<Owed> out = new ArrayList<>((r.size() - 1) / 2);
    for (int i = 1; i + 1 < r.size(); i += 2) {
      out.add(new Owed(Replies.toStr(r.get(i)),
          (long) Double.parseDouble(Replies.toStr(r.get(i + 1)))));
    }
    return Map.entry(Replies.toLong(r.get(0)), out);
  }

  /**
   * Writes the TTL keys of {@code owed} (shard {@code s}) that are still missing ({@code SET ...
   * NX}, expiring at their due time; one already due gets none: its deadline has passed) and
   * drops their notes. Returns how many were written.
   */
  public int writeOwed(int s, long nowMs, List<Owed> owed) {
    String value = triggerValueNow();
    List<Response<String>> r = new ArrayList<>();
    try (AbstractPipeline p = client.pipelined()) {
      for (Owed o : owed) {
        long left = o.dueMs() - nowMs;
        if (left > 0) {
          r.add(p.set(o.key(), value, SetParams.setParams().px(left).nx()));
        }
      }
      p.sync();
    }
    int written = 0;
    for (Response<String> x : r) {
      if ("OK".equals(x.get())) {
        written++;
      }
    }
    String key = keys.owed(s);
    String[] m = owed.stream().map(Owed::key).toArray(String[]::new);
    KeyTypes.call(client, () -> client.zrem(key, m), key, "zset");
    return written;
  }

  /** The reply of a claim. */
  public record ClaimReply(long nowMs, Long headScore, long deadLettered, List<Claimed> items) {}

  /** One claimed trigger. */
  public record Claimed(String key, int attempt, long dueMs, boolean adopted) {}

  /** Claims up to {@code max} due triggers of shard {@code s}. */
  public ClaimReply claim(int s, int max, long leaseMs, String token, int maxAttempts) {
    List<Object> r = CLAIM.eval(client, keys.family(s), List.of(Integer.toString(max),
        Long.toString(leaseMs), token, Integer.toString(maxAttempts)), Replies::toList);
    long now = Replies.toLong(r.get(0));
    Object head = r.get(1);
    Long headScore = head == null ? null : (long) Double.parseDouble(Replies.toStr(head));
    long dead = Replies.toLong(r.get(2));
    List<Claimed> items = new ArrayList<>((r.size() - 3) / 4);
    for (int i = 3; i + 3 < r.size(); i += 4) {
      items.add(new Claimed(Replies.toStr(r.get(i)), (int) Replies.toLong(r.get(i + 1)),
          (long) Double.parseDouble(Replies.toStr(r.get(i + 2))),
          "1".equals(Replies.toStr(r.get(i + 3)))));
    }
    return new ClaimReply(now, headScore, dead, items);
  }

  /** Renews leases of shard {@code s}; returns the 0-based positions whose lease was lost. */
  public List<Integer> renew(int s, List<String> tokens, List<String> members, long leaseMs) {
    List<String> a = new ArrayList<>(1 + 2 * members.size());
    a.add(Long.toString(leaseMs));
    for (int i = 0; i < members.size(); i++) {
      a.add(tokens.get(i));
      a.add(members.get(i));
    }
    List<Integer> lost = new ArrayList<>();
    for (Object o : RENEW.eval(client, keys.family(s), a, Replies::toList)) {
      lost.add((int) Replies.toLong(o) - 1);
    }
    return lost;
  }

  /** Acknowledges handled triggers of shard {@code s}; returns how many were no longer ours. */
  public long ack(int s, List<String> tokens, List<String> members, Duration markerTtl) {
    List<String> k = new ArrayList<>(keys.family(s));
    List<String> a = new ArrayList<>(1 + 2 * members.size());
    a.add(Long.toString(markerTtl.toMillis()));
    for (int i = 0; i < members.size(); i++) {
      k.add(keys.marker(s, members.get(i)));
      a.add(tokens.get(i));
      a.add(members.get(i));
    }
    return ACK.eval(client, k, a, Replies::toLong);
  }

  /** Schedules failed triggers of shard {@code s} again; returns how many were no longer ours. */
  public long retry(int s, List<String> tokens, List<String> members, List<Long> delaysMs) {
    return RETRY.eval(client, keys.family(s), triples(tokens, members, delaysMs), Replies::toLong);
  }

  /** Moves triggers of shard {@code s} to the dead HASH; returns how many were no longer ours. */
  public long dead(int s, List<String> tokens, List<String> members, List<String> records) {
    return DEAD.eval(client, keys.family(s), triples(tokens, members, records), Replies::toLong);
  }

  /**
   * Gives claimed triggers of shard {@code s} back, due at {@code dueMs} (null entries: their
   * old due time); returns how many were given back.
   */
  public long giveBack(int s, List<String> tokens, List<String> members, List<Long> dueMs) {
    return GIVE_BACK.eval(client, keys.family(s), triples(tokens, members, dueMs),
        Replies::toLong);
  }

  /** Cancels one trigger; whether anything was removed. */
  public boolean cancel(String ttlKey) {
    int s = keys.shardOfKey(ttlKey);
    List<String> k = new ArrayList<>(keys.family(s));
    if (!cluster) {
      k.add(ttlKey);
    }
    boolean removed = CANCEL.eval(client, k, List.of(ttlKey), Replies::toLong) == 1;
    if (cluster) {
      removed |= client.del(ttlKey) > 0;
    }
    return removed;
  }

  /** Cancels every trigger of an escaped identifier; returns the TTL keys cancelled. */
  public List<String> cancelAll(String escapedIdentifier) {
    int s = keys.shardOf(escapedIdentifier);
    List<String> gone = CANCEL_ALL.eval(client, keys.familyAndActions(s),
        List.of(cluster ? "0" : "1", escapedIdentifier, keys.keyPrefix()), Replies::toStringList);
    if (cluster) {
      for (String key : gone) {
        client.del(key);
      }
    }
    return gone;
  }

  /**
   * Adopts triggers written by others into shard {@code s}: {@code dueMs} per key, -1 for "its
   * key expired: due now". Returns the keys adopted.
   */
  public List<String> adopt(int s, List<String> ttlKeys, List<Long> dueMs) {
    List<String> k = new ArrayList<>(keys.familyAndActions(s));
    List<String> a = new ArrayList<>(3 * ttlKeys.size());
    for (int i = 0; i < ttlKeys.size(); i++) {
      k.add(keys.marker(s, ttlKeys.get(i)));
      a.add(ttlKeys.get(i));
      a.add(Long.toString(dueMs.get(i)));
      a.add(keys.actionOf(ttlKeys.get(i)));
    }
    return ADOPT.eval(client, k, a, Replies::toStringList);
  }

  /** Cancels adopted triggers of shard {@code s} whose TTL keys were deleted; returns how many. */
  public long forgetDeleted(int s, List<String> ttlKeys) {
    return FORGET_DELETED.eval(client, keys.family(s), ttlKeys, Replies::toLong);
  }

  /** Requeues dead triggers of shard {@code s}; returns how many were requeued. */
  public long requeueDead(int s, List<String> ttlKeys) {
    return REQUEUE_DEAD.eval(client, keys.family(s), ttlKeys, Replies::toLong);
  }

  /** Arguments (token, member, third) per trigger; a null third is '' (script default). */
  private static List<String> triples(List<String> tokens, List<String> members,
      List<?> third) {
    List<String> a = new ArrayList<>(3 * members.size());
    for (int i = 0; i < members.size(); i++) {
      a.add(tokens.get(i));
      a.add(members.get(i));
      Object t = third.get(i);
      a.add(t == null ? "" : t.toString());
    }
    return a;
  }
}
