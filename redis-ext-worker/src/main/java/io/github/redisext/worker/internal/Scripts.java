package io.github.redisext.worker.internal;

import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The worker's Lua scripts with typed replies; see each {@code .lua} file's header. Every script is
 * prefixed with core's {@code core_lib.lua} (wrong-type guard, chunked calls) and the worker's
 * {@code worker_lib.lua}; a script that finds one of its keys holding another type fails with a
 * {@link io.github.redisext.core.WrongTypeException} naming the key, having changed nothing.
 */
public final class Scripts {
  private static final LuaScript FETCH = script("fetch.lua");
  private static final LuaScript ACK = script("ack.lua");
  private static final LuaScript FAIL = script("fail.lua");
  private static final LuaScript HEARTBEAT = script("heartbeat.lua");
  private static final LuaScript EXPIRED = script("expired.lua");
  private static final LuaScript RECOVER = script("recover.lua");
  private static final LuaScript RELEASE = script("release.lua");
  private static final LuaScript REQUEUE_DEAD = script("requeue_dead.lua");
  private static final LuaScript PURGE_DEAD = script("purge_dead.lua");
  private static final LuaScript PURGE_ALL_DEAD = script("purge_all_dead.lua");

  /** Most tasks one fetch takes (fetch.lua clamps to the same number). */
  public static final int MAX_FETCH = 1000;

  /** Reply of {@link #fetch}. */
  public record Fetched(List<Delivery> deliveries, long nextDueMillis) {}

  /** Outcome of {@link #fail}. */
  public enum FailOutcome {
    /** Retry scheduled. */
    RETRIED,
    /** Moved to the dead-letter list. */
    DEAD_LETTERED,
    /**
     * No longer in-flight here: this worker's lease expired, the task was recovered and another
     * worker ({@link FailResult#otherWorker()}) fetched it again.
     */
    TAKEN_BY_OTHER_WORKER,
    /**
     * No longer in-flight here: it waits in the delayed set (recovered after this worker's lease
     * expired, or this worker's own earlier call succeeded and only its reply was lost).
     */
    WAITING_IN_DELAYED,
    /**
     * No longer in-flight here: it is already a dead letter (recovered with no attempts left, or
     * this worker's own earlier call succeeded and only its reply was lost).
     */
    ALREADY_DEAD,
    /** In no key of the queue: acknowledged, purged, or its keys were deleted. */
    GONE
  }

  /** Reply of {@link #fail}: the outcome and, for {@link FailOutcome#TAKEN_BY_OTHER_WORKER}, who. */
  public record FailResult(FailOutcome outcome, String otherWorker) {}

  /** Reply of {@link #recover}. */
  public record Recovered(boolean recovered, long requeued, long deadLettered) {}

  /** Reply of {@link #release}. */
  public record Released(long released, long stillInFlight) {}

  private Scripts() {}

  private static LuaScript script(String name) {
    return LuaScript.fromResources(Scripts.class, LuaScript.CORE_LIB, "worker_lib.lua", name);
  }

  /**
   * fetch.lua: up to {@code max} tasks (at most {@link #MAX_FETCH}) into the worker's in-flight
   * hash, lease renewed. Payloads are read as raw bytes, exactly as queued.
   */
  public static Fetched fetch(UnifiedJedis c, QueueKeys k, String worker, int max, long leaseMs) {
    Object raw = FETCH.evalBinary(c, List.of(k.queue(), k.claim(worker), k.inflight(worker),
        k.delayed(), k.parked(), k.attempts(), k.workers(), k.seq()),
        List.of(bytes(worker), bytes(Integer.toString(max)), bytes(Long.toString(leaseMs))));
    try {
      List<Object> r = Replies.toList(raw);
      List<Delivery> out = new ArrayList<>((r.size() - 1) / 3);
      for (int i = 1; i + 2 < r.size(); i += 3) {
        Object p = r.get(i + 2);
        byte[] payload = p instanceof byte[] b ? b : bytes(Replies.toStr(p));
        out.add(new Delivery(Replies.toStr(r.get(i)), (int) Replies.toLong(r.get(i + 1)),
            payload));
      }
      return new Fetched(out, Replies.toLong(r.get(0)));
    } catch (RuntimeException e) {
      throw new IllegalStateException("unexpected reply from fetch.lua: " + raw, e);
    }
  }

  /** ack.lua: the handlers of these tasks returned; returns how many were still in-flight. */
  public static long ack(UnifiedJedis c, QueueKeys k, String worker, List<String> ids) {
    return ACK.eval(c, List.of(k.inflight(worker), k.attempts()), ids, Replies::toLong);
  }

  /** fail.lua: retry later or dead-letter one delivery; says what happened if it was gone. */
  public static FailResult fail(UnifiedJedis c, QueueKeys k, String worker, String id,
      String error, int maxAttempts, long delayMs, boolean deadNow) {
    return FAIL.eval(c, List.of(k.inflight(worker), k.delayed(), k.parked(), k.attempts(),
        k.dead(), k.workers()), List.of(id, error, Integer.toString(maxAttempts),
        Long.toString(delayMs), deadNow ? "1" : "0", worker, k.inflight("")), raw -> {
          List<Object> r = Replies.toList(raw);
          int code = (int) Replies.toLong(r.get(0));
          FailOutcome o = switch (code) {
            case 1 -> FailOutcome.RETRIED;
            case 2 -> FailOutcome.DEAD_LETTERED;
            case 3 -> FailOutcome.TAKEN_BY_OTHER_WORKER;
            case 4 -> FailOutcome.WAITING_IN_DELAYED;
            case 5 -> FailOutcome.ALREADY_DEAD;
            case 0 -> FailOutcome.GONE;
            default -> throw new IllegalArgumentException("unknown fail.lua code " + code);
          };
          return new FailResult(o, code == 3 ? Replies.toStr(r.get(1)) : null);
        });
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

  /**
   * requeue_dead.lua: args are pairs (entry text as stored, raw payload bytes to push).
   */
  public static long requeueDead(UnifiedJedis c, QueueKeys k, List<byte[]> entryPayloadPairs) {
    return Replies.toLong(REQUEUE_DEAD.evalBinary(c, List.of(k.dead(), k.queue()),
        entryPayloadPairs));
  }

  /** purge_dead.lua. */
  public static long purgeDead(UnifiedJedis c, QueueKeys k, List<String> entries) {
    return PURGE_DEAD.eval(c, List.of(k.dead()), entries, Replies::toLong);
  }

  /** purge_all_dead.lua: deletes every dead letter; returns how many. */
  public static long purgeAllDead(UnifiedJedis c, QueueKeys k) {
    return PURGE_ALL_DEAD.eval(c, List.of(k.dead()), List.of(), Replies::toLong);
  }

  /** UTF-8 bytes of a string. */
  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
