package io.github.redisext.uniqueid.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.uniqueid.InvalidIdException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The name-to-id mappings of one namespace: the call sites of {@code get_or_create.lua}, {@code
 * find.lua} and {@code remove.lua} with their typed replies. Every method takes distinct names, at
 * most as many as one script call should carry (the caller splits larger batches). Every script
 * checks the type of each key it touches before its first write: a key of another type fails the
 * call with {@link io.github.redisext.core.WrongTypeException} naming it, and nothing is changed.
 * Thread-safe.
 */
public final class Mappings {
  private static final LuaScript GET_OR_CREATE = LuaScript.fromResources(Mappings.class,
      LuaScript.CORE_LIB, "mappings_lib.lua", "get_or_create.lua");
  private static final LuaScript FIND = LuaScript.fromResources(Mappings.class,
      LuaScript.CORE_LIB, "mappings_lib.lua", "find.lua");
  private static final LuaScript REMOVE = LuaScript.fromResources(Mappings.class,
      LuaScript.CORE_LIB, "remove.lua");

  private final UnifiedJedis client;
  private final String klass;
  private final KeySpace keys;
  private final String counterKey;
  private final List<String> args;
  private final Counters counters;

  /**
   * Mappings of namespace {@code klass}.
   *
   * @param timeoutMillis time to live of a mapping
   * @param refreshOnRead whether reads reset the time to live
   */
  public Mappings(UnifiedJedis client, String klass, KeySpace keys, long timeoutMillis,
      boolean refreshOnRead, Counters counters) {
    this.client = client;
    this.klass = klass;
    this.keys = keys;
    this.counterKey = keys.key("auto");
    this.args = List.of(Long.toString(timeoutMillis), refreshOnRead ? "1" : "0");
    this.counters = counters;
  }

  /** The Redis key of a name's mapping: {@code <klass>:id:<name>}. */
  public String mappingKey(String name) {
    return keys.key("id") + ":" + name;
  }

  /** The counter key {@code <klass>:auto}. */
  public String counterKey() {
    return counterKey;
  }

  /**
   * The ids of {@code names} (distinct), created where missing, in one atomic script call.
   *
   * @return the ids, in the order of {@code names}
   * @throws InvalidIdException when a mapping or the counter holds no integer (nothing changed)
   * @throws io.github.redisext.core.WrongTypeException when the counter or a mapping is a key of
   *     another type (nothing changed)
   */
  public long[] getOrCreate(List<String> names) {
    List<String> k = new ArrayList<>(names.size() + 1);
    k.add(counterKey);
    for (String n : names) {
      k.add(mappingKey(n));
    }
    List<Object> reply = Replies.toList(GET_OR_CREATE.eval(client, k, args));
    counters.mappingRoundTrips.increment();
    long status = Replies.toLong(reply.get(0));
    if (status == 0) {
      throw badMapping(names, reply);
    }
    if (status == -1) {
      throw new InvalidIdException(klass, null, counterKey, Replies.toStr(reply.get(1)));
    }
    expectSize(reply, names.size(), GET_OR_CREATE);
    long[] ids = new long[names.size()];
    long created = 0;
    for (int i = 0; i < ids.length; i++) {
      Object v = reply.get(i + 1);
      if (v instanceof Long l) {
        created++;
        ids[i] = l;
      } else {
        ids[i] = Long.parseLong(Replies.toStr(v));
      }
    }
    counters.created(created);
    counters.found.add(ids.length - created);
    return ids;
  }

  /**
   * The ids already mapped to {@code names} (distinct), in one script call.
   *
   * @return per name, its id or null
   * @throws InvalidIdException when a mapping holds no integer
   * @throws io.github.redisext.core.WrongTypeException when a mapping is a key of another type
   */
  public Long[] find(List<String> names) {
    List<String> k = new ArrayList<>(names.size());
    for (String n : names) {
      k.add(mappingKey(n));
    }
    List<Object> reply = Replies.toList(FIND.eval(client, k, args));
    counters.mappingRoundTrips.increment();
    if (Replies.toLong(reply.get(0)) == 0) {
      throw badMapping(names, reply);
    }
    expectSize(reply, names.size(), FIND);
    Long[] ids = new Long[names.size()];
    long found = 0;
    for (int i = 0; i < ids.length; i++) {
      String s = Replies.toStr(reply.get(i + 1));
      if (s != null && !s.isEmpty()) {
        ids[i] = Long.parseLong(s);
        found++;
      }
    }
    counters.found.add(found);
    return ids;
  }

  /**
   * Deletes the mappings of {@code names} (distinct) in one script; returns how many existed.
   *
   * @throws io.github.redisext.core.WrongTypeException when a mapping is a key of another type
   *     (nothing deleted)
   */
  public long remove(List<String> names) {
    List<String> k = new ArrayList<>(names.size());
    for (String n : names) {
      k.add(mappingKey(n));
    }
    long n = REMOVE.eval(client, k, List.of(), Replies::toLong);
    counters.mappingRoundTrips.increment();
    counters.removed.add(n);
    return n;
  }

  private InvalidIdException badMapping(List<String> names, List<Object> reply) {
    int i = (int) Replies.toLong(reply.get(1)) - 1;
    String name = names.get(i);
    return new InvalidIdException(klass, name, mappingKey(name), Replies.toStr(reply.get(2)));
  }

  private static void expectSize(List<Object> reply, int n, LuaScript script) {
    if (reply.size() != n + 1) {
      throw new RedisExtException("unexpected reply from script " + script.name() + ": "
          + (reply.size() - 1) + " values for " + n + " keys");
    }
  }
}
