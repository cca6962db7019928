package io.github.redisext.timers.internal;

import io.github.redisext.core.support.LuaScript;

/**
 * Every Lua script of the module (one resource per operation), each preceded by core's shared
 * helpers ({@code rx_wrong_type}, {@code rx_chunked}): every script checks the types of the keys it
 * writes before its first write, so a script that fails changed nothing.
 */
public final class Scripts {
  /** Sets timers of one shard. */
  public static final LuaScript SET_TIMERS = load("set_timers.lua");
  /** Claims due timers of one shard. */
  public static final LuaScript CLAIM = load("claim.lua");
  /** Removes handled timers and releases their locks. */
  public static final LuaScript COMPLETE_MANY = load("complete_many.lua");
  /** Retries or moves aside a failed timer and releases its lock. */
  public static final LuaScript FAIL = load("fail.lua");
  /** Extends a running timer's lease. */
  public static final LuaScript RENEW = load("renew.lua");
  /** Removes pending timers. */
  public static final LuaScript REMOVE_TIMERS = load("remove_timers.lua");
  /** Puts a dead timer back on the timeline. */
  public static final LuaScript REVIVE = load("revive.lua");

  private Scripts() {}

  private static LuaScript load(String name) {
    return LuaScript.fromResources(Scripts.class, LuaScript.CORE_LIB, name);
  }
}
