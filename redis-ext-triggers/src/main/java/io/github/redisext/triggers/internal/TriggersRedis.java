package io.github.redisext.triggers.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
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

  /** One trigger to arm: its TTL key and ttl in ms. */
  public record Arm(String key, long ttlMs) {}

  /**
   * Arms triggers of shard {@code s} (one script call; on a cluster the TTL keys follow in one
   * pipeline). Returns the server time in ms.
   */
  public long set(int s, List<Arm> arms, String value, boolean wakeUps) {
    List<String> k = new ArrayList<>(keys.family(s));
    List<String> a = new ArrayList<>(4 + 2 * arms.size());
    a.add(cluster ? "0" : "1");
    a.add(value);
    a.add(wakeUps ? keys.channel() : "");
    a.add(Integer.toString(s));
    for (Arm arm : arms) {
      k.add(keys.indexOfKey(s, arm.key()));
      if (!cluster) {
        k.add(arm.key());
      }
      a.add(arm.key());
      a.add(Long.toString(arm.ttlMs()));
    }
    long now = SET.eval(client, k, a, Replies::toLong);
    if (cluster) {
      writeTtlKeys(arms, value);
    }
    return now;
  }

  private void writeTtlKeys(List<Arm> arms, String value) {
    if (arms.size() == 1) {
      Arm arm = arms.get(0);
      client.set(arm.key(), value, SetParams.setParams().px(arm.ttlMs()));
      return;
    }
    try (AbstractPipeline p = client.pipelined()) {
      for (Arm arm : arms) {
        p.set(arm.key(), value, SetParams.setParams().px(arm.ttlMs()));
      }
      p.sync();
    }
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
      k.add(keys.indexOfKey(s, members.get(i)));
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
    List<String> k = new ArrayList<>(keys.family(s));
    for (String m : members) {
      k.add(keys.indexOfKey(s, m));
    }
    return DEAD.eval(client, k, triples(tokens, members, records), Replies::toLong);
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
    k.add(keys.indexOfKey(s, ttlKey));
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
    List<String> k = new ArrayList<>(keys.family(s));
    k.add(keys.index(s, escapedIdentifier));
    List<String> gone = CANCEL_ALL.eval(client, k, List.of(cluster ? "0" : "1"),
        Replies::toStringList);
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
    List<String> k = new ArrayList<>(keys.family(s));
    List<String> a = new ArrayList<>(2 * ttlKeys.size());
    for (int i = 0; i < ttlKeys.size(); i++) {
      k.add(keys.indexOfKey(s, ttlKeys.get(i)));
      k.add(keys.marker(s, ttlKeys.get(i)));
      a.add(ttlKeys.get(i));
      a.add(Long.toString(dueMs.get(i)));
    }
    return ADOPT.eval(client, k, a, Replies::toStringList);
  }

  /** Cancels adopted triggers of shard {@code s} whose TTL keys were deleted; returns how many. */
  public long forgetDeleted(int s, List<String> ttlKeys) {
    List<String> k = new ArrayList<>(keys.family(s));
    for (String key : ttlKeys) {
      k.add(keys.indexOfKey(s, key));
    }
    return FORGET_DELETED.eval(client, k, ttlKeys, Replies::toLong);
  }

  /** Requeues dead triggers of shard {@code s}; returns how many were requeued. */
  public long requeueDead(int s, List<String> ttlKeys) {
    List<String> k = new ArrayList<>(keys.family(s));
    for (String key : ttlKeys) {
      k.add(keys.indexOfKey(s, key));
    }
    return REQUEUE_DEAD.eval(client, k, ttlKeys, Replies::toLong);
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
