package io.github.redisext.timers.internal.lock;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one place {@link io.github.redisext.timers.RedisLock} talks to Redis: runs the lock's scripts
 * ({@code internal/lock/*.lua}, each preceded by core's {@code rx_wrong_type}) and turns their
 * replies into values. Stateless and thread-safe.
 */
public final class LockEngine {
  /** Pub/sub channel every release is published on (one for all locks, see {@link LockClient}). */
  public static final String CHANNEL = "redis-ext:lock:released";

  private static final LuaScript ACQUIRE = load("acquire.lua");
  private static final LuaScript RENEW = load("renew.lua");
  private static final LuaScript RELEASE = load("release.lua");

  private final UnifiedJedis client;

  /** An engine over {@code client}. */
  public LockEngine(UnifiedJedis client) {
    this.client = client;
  }

  private static LuaScript load(String name) {
    return LuaScript.fromResources(LockEngine.class, LuaScript.CORE_LIB, name);
  }

  /**
   * The reply of one acquisition attempt.
   *
   * @param acquired whether the lock was taken
   * @param fence the fencing token drawn (when acquired)
   * @param ownerTtlMs the current owner's remaining lease in ms, 0 if unknown (when not acquired)
   */
  public record Attempt(boolean acquired, long fence, long ownerTtlMs) {}

  /**
   * One attempt: {@code SET lockKey token NX PX lease} and, when taken, {@code INCR fenceKey}.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key holds another type (nothing
   *     changed)
   */
  public Attempt acquire(String lockKey, String fenceKey, String token, long leaseMs) {
    List<Object> r = Replies.toList(ACQUIRE.eval(client, List.of(lockKey, fenceKey),
        List.of(token, Long.toString(leaseMs))));
    long v = Replies.toLong(r.get(1));
    return Replies.toLong(r.get(0)) == 1 ? new Attempt(true, v, 0)
        : new Attempt(false, 0, Math.max(0, v));
  }

  /**
   * Compare-and-expire: extends the lease if {@code token} still owns the lock.
   *
   * @return false when the lock is not ours any more
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another type
   */
  public boolean renew(String lockKey, String token, long leaseMs) {
    return Replies.toLong(RENEW.eval(client, List.of(lockKey),
        List.of(token, Long.toString(leaseMs)))) == 1;
  }

  /**
   * Compare-and-delete, publishing {@code message} on {@link #CHANNEL} when released.
   *
   * @return false when the lock was not ours (nothing changed)
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another type
   */
  public boolean release(String lockKey, String token, String message) {
    return Replies.toLong(RELEASE.eval(client, List.of(lockKey),
        List.of(token, CHANNEL, message))) == 1;
  }

  /**
   * The current owner token, or null.
   *
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another type
   */
  public String owner(String lockKey) {
    return KeyTypes.call(client, () -> client.get(lockKey), lockKey, "string");
  }
}
