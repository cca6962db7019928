package io.github.redisext.fastset.internal;

import io.github.redisext.core.support.LuaScript;

/**
 * The FastSet Lua scripts (each resource starts with a comment on its KEYS, ARGV and reply). Every
 * one is prepended with core's {@code core_lib.lua} and {@code changelog_lib.lua}, whose {@code
 * check_keys()} each script runs first: a key of another type or a version that is not an integer
 * fails the call before anything is written.
 */
final class Scripts {
  /** Add/remove members, bump the version, log and publish; optionally conditional. */
  static final LuaScript CHANGE = load("change.lua");
  /** Delete every member, bump the version, log and publish. */
  static final LuaScript CLEAR = load("clear.lua");
  /** The version and the log entries after a version. */
  static final LuaScript CHANGES = load("changes.lua");
  /** Creates the epoch when missing; the version and the epoch (first step of a load). */
  static final LuaScript EPOCH = load("epoch.lua");
  /** The version and every member at once (reload fallback). */
  static final LuaScript SNAPSHOT = load("snapshot.lua");

  private Scripts() {}

  private static LuaScript load(String operation) {
    return LuaScript.fromResources(Scripts.class, LuaScript.CORE_LIB, "changelog_lib.lua",
        operation);
  }
}
