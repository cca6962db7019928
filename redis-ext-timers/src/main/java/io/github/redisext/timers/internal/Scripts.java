package io.github.redisext.timers.internal;

import io.github.redisext.core.support.LuaScript;

/**
 * The lock's Lua scripts (the timers' own run in {@link TimersRedis}), each preceded by core's shared
 * helpers ({@code rx_wrong_type}, {@code rx_chunked}): every script checks the types of the keys it
 * writes before its first write, so a script that fails changed nothing.
 */
public final class Scripts {
  /** RedisLock: one acquisition attempt with a fencing token. */
  public static final LuaScript LOCK_ACQUIRE = load("lock_acquire.lua");
  /** RedisLock: compare-and-expire. */
  public static final LuaScript LOCK_RENEW = load("lock_renew.lua");
  /** RedisLock: compare-and-delete. */
  public static final LuaScript LOCK_RELEASE = load("lock_release.lua");

  private Scripts() {}

  private static LuaScript load(String name) {
    return LuaScript.fromResources(Scripts.class, LuaScript.CORE_LIB, name);
  }
}
