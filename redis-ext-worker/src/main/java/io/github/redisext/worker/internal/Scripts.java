package io.github.redisext.worker.internal;

import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** The worker's Lua scripts with typed replies; see each {@code .lua} file's header. */
public final class Scripts {
  private static final LuaScript FETCH = LuaScript.fromResource(Scripts.class, "fetch.lua");
  private static final LuaScript ACK = LuaScript.fromResource(Scripts.class, "ack.lua");
  private static final LuaScript FAIL = LuaScript.fromResource(Scripts.class, "fail.lua");
  private static final LuaScript HEARTBEAT = LuaScript.fromResource(Scripts.class, "heartbeat.lua");
  private static final LuaScript EXPIRED = LuaScript.fromResource(Scripts.class, "expired.lua");
  private static final LuaScript RECOVER = LuaScript.fromResource(Scripts.class, "recover.lua");
  private static final LuaScript RELEASE = LuaScript.fromResource(Scripts.class, "release.lua");
  private static final LuaScript REQUEUE_DEAD = LuaScript.fromResource(Scripts.class,
      "requeue_dead.lua");
  private static final LuaScript PURGE_DEAD = LuaScript.fromResource(Scripts.class, "purge_dead.lua");
  private static final LuaScript PURGE_ALL_DEAD = LuaScript.fromResource(Scripts.class,
      "purge_all_dead.lua");

  /** Reply of {@link #fetch}. */
  public record Fetched(List<Delivery> deliveries, long nextDueMillis) {}

  /** Outcome of {@link #fail}. */
  public enum FailOutcome {
    /** No longer in-flight here (recovered by another worker). */
    GONE,
    /** Retry scheduled. */
    RETRIED,
    /** Moved to the dead-letter list. */
    DEAD_LETTERED
  }

  /** Reply of {@link #recover}. */
  public record Recovered(boolean recovered, long requeued, long deadLettered) {}

  /** Reply of {@link #release}. */
  public record Released(long released, long stillInFlight) {}

  private Scripts() {}

  /** fetch.lua: up to {@code max} tasks into the worker's in-flight hash, lease renewed. */
  public static Fetched fetch(UnifiedJedis c, QueueKeys k, String worker, int max, long leaseMs) {
    return FETCH.eval(c, List.of(k.queue(), k.claim(worker), k.inflight(worker), k.delayed(),
        k.parked(), k.attempts(), k.workers(), k.seq()),
        List.of(worker, Integer.toString(max), Long.toString(leaseMs)), raw -> {
          List<Object> r = Replies.toList(raw);
          List<Delivery> out = new ArrayList<>((r.size() - 1) / 3);
          for (int i = 1; i + 2 < r.size(); i += 3) {
            out.add(new Delivery(Replies.toStr(r.get(i)), (int) Replies.toLong(r.get(i + 1)),
                Replies.toStr(r.get(i + 2))));
          }
          return new Fetched(out, Replies.toLong(r.get(0)));
        });
  }

  /** ack.lua: the handlers of these tasks returned; returns how many were still in-flight. */
  public static long ack(UnifiedJedis c, QueueKeys k, String worker, List<String> ids) {
    return ACK.eval(c, List.of(k.inflight(worker), k.attempts()), ids, Replies::toLong);
  }

  /** fail.lua: retry later or dead-letter one delivery. */
  public static FailOutcome fail(UnifiedJedis c, QueueKeys k, String worker, String id, String error,
      int maxAttempts, long delayMs, boolean deadNow) {
    long r = FAIL.eval(c, List.of(k.inflight(worker), k.delayed(), k.parked(), k.attempts(),
        k.dead()), List.of(id, error,
        Integer.toString(maxAttempts), Long.toString(delayMs), deadNow ? "1" : "0", worker),
        Replies::toLong);
    return r == 0 ? FailOutcome.GONE : r == 1 ? FailOutcome.RETRIED : FailOutcome.DEAD_LETTERED;
  }

  /** heartbeat.lua: renew the lease; true if the worker had to be registered anew. */
  public static boolean heartbeat(UnifiedJedis c, QueueKeys k, String worker, long leaseMs) {
    return HEARTBEAT.eval(c, List.of(k.workers()), List.of(worker, Long.toString(leaseMs)),
        Replies::toLong) == 1;
  }

  /** expired.lua: ids of workers whose lease ran out. */
  public static List<String> expired(UnifiedJedis c, QueueKeys k, int max) {
    return EXPIRED.eval(c, List.of(k.workers()), List.of(Integer.toString(max)),
        Replies::toStringList);
  }

  /** recover.lua: requeue a dead worker's tasks. */
  public static Recovered recover(UnifiedJedis c, QueueKeys k, String deadWorker, int maxAttempts,
      String self) {
    return RECOVER.eval(c, List.of(k.workers(), k.inflight(deadWorker), k.claim(deadWorker),
        k.queue(), k.delayed(), k.parked(), k.attempts(), k.dead()),
        List.of(deadWorker, Integer.toString(maxAttempts), self),
        raw -> {
          List<Object> r = Replies.toList(raw);
          return new Recovered(Replies.toLong(r.get(0)) == 1, Replies.toLong(r.get(1)),
              Replies.toLong(r.get(2)));
        });
  }

  /** release.lua: give back unstarted tasks (and the claim list); optionally unregister. */
  public static Released release(UnifiedJedis c, QueueKeys k, String worker, List<String> ids,
      boolean unregister) {
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(worker);
    args.add(unregister ? "1" : "0");
    args.addAll(ids);
    return RELEASE.eval(c, List.of(k.inflight(worker), k.claim(worker), k.queue(), k.delayed(),
        k.parked(), k.attempts(), k.workers()), args, raw -> {
          List<Object> r = Replies.toList(raw);
          return new Released(Replies.toLong(r.get(0)), Replies.toLong(r.get(1)));
        });
  }

  /** requeue_dead.lua: args are pairs (entry, payload). */
  public static long requeueDead(UnifiedJedis c, QueueKeys k, List<String> entryPayloadPairs) {
    return REQUEUE_DEAD.eval(c, List.of(k.dead(), k.queue()), entryPayloadPairs, Replies::toLong);
  }

  /** purge_dead.lua. */
  public static long purgeDead(UnifiedJedis c, QueueKeys k, List<String> entries) {
    return PURGE_DEAD.eval(c, List.of(k.dead()), entries, Replies::toLong);
  }

  /** purge_all_dead.lua: deletes every dead letter; returns how many. */
  public static long purgeAllDead(UnifiedJedis c, QueueKeys k) {
    return PURGE_ALL_DEAD.eval(c, List.of(k.dead()), List.of(), Replies::toLong);
  }
}
