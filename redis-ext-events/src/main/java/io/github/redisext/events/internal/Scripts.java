package io.github.redisext.events.internal;

import io.github.redisext.core.support.LuaScript;

/** The module's Lua scripts (core_lib.lua and events_lib.lua prepended). */
final class Scripts {
  private Scripts() {}

  private static LuaScript load(String name) {
    return LuaScript.fromResources(Scripts.class, LuaScript.CORE_LIB, "events_lib.lua", name);
  }

  static final LuaScript PUBLISH = load("publish.lua");
  static final LuaScript COUNT = load("count.lua");
  static final LuaScript SEARCH = load("search.lua");
  static final LuaScript JOIN = load("join.lua");
  static final LuaScript CLAIM = load("claim.lua");
  static final LuaScript SETTLE = load("settle.lua");
  static final LuaScript RENEW = load("renew.lua");
  static final LuaScript GIVE_BACK = load("give_back.lua");
  static final LuaScript REMOVE = load("remove.lua");
  static final LuaScript LIST = load("list.lua");
  static final LuaScript DEAD_LETTERS = load("dead_letters.lua");
  static final LuaScript REQUEUE_DEAD = load("requeue_dead.lua");
  static final LuaScript PURGE_DEAD = load("purge_dead.lua");
  static final LuaScript REGISTER = load("register.lua");
}
