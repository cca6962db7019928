package io.github.redisext.fastset.internal;

import io.github.redisext.core.support.LuaScript;

/** The FastSet Lua scripts (each resource starts with a comment on its KEYS, ARGV and reply). */
final class Scripts {
  /** Add/remove members, bump the version, log and publish; optionally conditional. */
  static final LuaScript CHANGE = LuaScript.fromResources(Scripts.class, "changelog_lib.lua",
      "change.lua");
  /** Delete every member, bump the version, log and publish. */
  static final LuaScript CLEAR = LuaScript.fromResources(Scripts.class, "changelog_lib.lua",
      "clear.lua");
  /** The version and the log entries after a version. */
  static final LuaScript CHANGES = LuaScript.fromResource(Scripts.class, "changes.lua");
  /** Creates the epoch when missing; the version and the epoch (first step of a load). */
  static final LuaScript EPOCH = LuaScript.fromResources(Scripts.class, "changelog_lib.lua",
      "epoch.lua");
  /** The version and every member at once (reload fallback). */
  static final LuaScript SNAPSHOT = LuaScript.fromResource(Scripts.class, "snapshot.lua");

  private Scripts() {}
}
