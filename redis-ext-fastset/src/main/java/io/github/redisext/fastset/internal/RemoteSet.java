package io.github.redisext.fastset.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.fastset.FastSetOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The set as Redis holds it: the one place that runs FastSet's scripts (and the SSCAN of a load)
 * and turns their replies into records. Nothing else in the module touches a {@link LuaScript} or
 * a raw reply.
 *
 * <p>Every script is prepended with core's {@code core_lib.lua} and {@code changelog_lib.lua},
 * whose {@code check_keys()} each runs first: a key of another type fails the call with {@link
 * io.github.redisext.core.WrongTypeException} naming it, a version key that holds no integer with
 * a {@link RedisExtException} naming the set, and nothing is written. Each resource starts with a
 * comment on its KEYS, ARGV and reply. Thread-safe (immutable).
 */
final class RemoteSet {
  /** Add/remove members, bump the version, log and publish; optionally conditional. */
  private static final LuaScript CHANGE = load("change.lua");
  /** Delete every member, bump the version, log and publish. */
  private static final LuaScript CLEAR = load("clear.lua");
  /** The version and the log entries after a version. */
  private static final LuaScript CHANGES = load("changes.lua");
  /** Creates the epoch when missing; the version and the epoch (first step of a load). */
  private static final LuaScript EPOCH = load("epoch.lua");
  /** The version and every member at once (reload fallback). */
  private static final LuaScript SNAPSHOT = load("snapshot.lua");
  /** The prefix of check_keys()'s error for a version key holding no integer (changelog_lib.lua). */
  private static final String BAD_VERSION = "redis-ext FastSet: ";

  /**
   * Where the set is: its version and the incarnation it belongs to.
   *
   * @param version the value of {@code <key>:version} (0 when missing)
   * @param epoch the value of {@code <key>:epoch} ('' when missing)
   */
  record Head(long version, String epoch) {}

  /**
   * The set's head and the log entries after a version the caller gave, newest first, as far as
   * the log holds them (the caller checks they are contiguous).
   */
  record Changes(Head head, List<Entry> newestFirst) {}

  /**
   * The reply of a write.
   *
   * @param changed members actually added plus removed, or -1 when the write was conditional on a
   *     head that no longer matched (then nothing was written)
   * @param changes the head after the write and the entries after the caller's version
   */
  record Written(long changed, Changes changes) {}

  /** One SSCAN page; {@link #last()} when the cursor is back at the start. */
  record Page(List<String> members, String cursor) {
    boolean last() {
      return ScanParams.SCAN_POINTER_START.equals(cursor);
    }
  }

  /** Every member with the head they belong to (one atomic read). */
  record AllMembers(Head head, List<String> members) {}

  private final UnifiedJedis client;
  private final String name;
  private final String valueKey;
  private final String channel;
  private final List<String> keys;
  private final FastSetOptions options;
  private final ScanParams scanParams;

  RemoteSet(UnifiedJedis client, KeySpace keySpace, FastSetOptions options) {
    this.client = client;
    this.name = keySpace.name();
    this.valueKey = keySpace.key("value");
    this.channel = keySpace.key("changed");
    this.keys = List.of(valueKey, keySpace.key("version"), keySpace.key("log"),
        keySpace.key("epoch"));
    this.options = options;
    this.scanParams = new ScanParams().count(options.scanBatch());
  }

  /** The key of the members, {@code <key>:value}. */
  String valueKey() {
    return valueKey;
  }

  /** The channel changes are published on, {@code <key>:changed}. */
  String channel() {
    return channel;
  }

  /**
   * Adds and removes members in one script (change.lua).
   *
   * @param expected the head the write is conditional on, or null for an unconditional write
   * @param seen the caller's cached version (the reply lists the entries after it)
   */
  Written change(Head expected, long seen, Collection<String> adds, Collection<String> removes) {
    List<String> args = new ArrayList<>(6 + adds.size() + removes.size());
    args.add(expected == null ? "" : expected.version() + " " + expected.epoch());
    args.add(Long.toString(seen));
    args.add(Integer.toString(options.changeLogLength()));
    args.add(channel);
    args.add(Integer.toString(options.maxDeltaMembers()));
    args.add(Integer.toString(adds.size()));
    args.addAll(adds);
    args.addAll(removes);
    return written(run(CHANGE, args));
  }

  /** Removes every member (clear.lua); {@link Written#changed()} is the number removed. */
  Written clear(long seen) {
    return written(run(CLEAR, List.of(Long.toString(seen),
        Integer.toString(options.changeLogLength()), channel)));
  }

  /** The head and the log entries after {@code version} (changes.lua). */
  Changes changesSince(long version) {
    List<Object> r = Replies.toList(run(CHANGES, List.of(Long.toString(version),
        Integer.toString(options.changeLogLength()))));
    return new Changes(head(r), entries(r.subList(2, r.size())));
  }

  /** The head, creating the epoch when missing (epoch.lua): the first step of a load. */
  Head startLoad() {
    return head(Replies.toList(run(EPOCH, List.of())));
  }

  /** One SSCAN page of the members, {@link FastSetOptions#scanBatch()} at a time. */
  Page scan(String cursor) {
    ScanResult<String> page = KeyTypes.call(client, () -> client.sscan(valueKey, cursor,
        scanParams), valueKey, "set");
    return new Page(page.getResult(), page.getCursor());
  }

  /** The head and every member in one atomic step (snapshot.lua). */
  AllMembers all() {
    List<Object> r = Replies.toList(run(SNAPSHOT, List.of()));
    List<String> members = new ArrayList<>(r.size() - 2);
    for (Object o : r.subList(2, r.size())) {
      members.add(Replies.toStr(o));
    }
    return new AllMembers(head(r), members);
  }

  /** The reply {version, changed, epoch, entry...} of change.lua and clear.lua. */
  private static Written written(Object reply) {
    List<Object> r = Replies.toList(reply);
    Head head = new Head(Replies.toLong(r.get(0)), Replies.toStr(r.get(2)));
    return new Written(Replies.toLong(r.get(1)), new Changes(head, entries(r.subList(3,
        r.size()))));
  }

  private static Head head(List<Object> r) {
    return new Head(Replies.toLong(r.get(0)), Replies.toStr(r.get(1)));
  }

  private static List<Entry> entries(List<Object> raw) {
    List<Entry> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      out.add(Entry.parse(Replies.toStr(o)));
    }
    return out;
  }

  /**
   * Runs one script on this set's keys.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key holds another type
   * @throws RedisExtException if the version key holds no integer
   */
  private Object run(LuaScript script, List<String> args) {
    try {
      return script.eval(client, keys, args);
    } catch (JedisDataException e) {
      String m = e.getMessage();
      int at = m == null ? -1 : m.indexOf(BAD_VERSION);
      if (at >= 0) {
        throw new RedisExtException("FastSet '" + name + "': "
            + m.substring(at + BAD_VERSION.length()), e);
      }
      throw e;
    }
  }

  private static LuaScript load(String operation) {
    return LuaScript.fromResources(RemoteSet.class, LuaScript.CORE_LIB, "changelog_lib.lua",
        operation);
  }
}
