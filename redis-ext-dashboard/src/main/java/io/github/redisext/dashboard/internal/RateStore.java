package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The per-minute processed and failed counts of each primitive, in Redis: one hash per primitive,
 * {@code redis-ext:rates:<kind>:<name>}, fields {@code <epoch minute>:p} and {@code <epoch
 * minute>:f}, trimmed to {@link #KEEP} (two weeks: at most 40,320 small fields, about 1 MB in the
 * worst case of every minute busy, far less when idle minutes are absent). The key carries the
 * primitive's name, so on a cluster a tagged name keeps its rates in its own slot.
 */
public final class RateStore {
  /** How long minutes are kept. */
  public static final Duration KEEP = Duration.ofDays(14);
  /** The prefix of every rates key. */
  public static final String PREFIX = "redis-ext:rates:";
  private static final LuaScript ADD =
      LuaScript.fromResources(RateStore.class, LuaScript.CORE_LIB, "rates_add.lua");

  private final UnifiedJedis client;

  /** The rates kept through {@code client}. */
  public RateStore(UnifiedJedis client) {
    this.client = client;
  }

  /** The rates hash of a primitive. */
  public static String key(String kind, String name) {
    return PREFIX + kind + ":" + name;
  }

  /** Adds counts to the current minute (server clock) and trims minutes older than {@link #KEEP}. */
  public void add(String kind, String name, long processed, long failed) {
    ADD.eval(client, List.of(key(kind, name)), List.of(Long.toString(KEEP.toMinutes()),
        Long.toString(processed), Long.toString(failed)));
  }

  /**
   * The counts of the {@code minutes} minutes up to {@code now}'s, oldest first.
   *
   * @return {@code [processed[], failed[]]}
   */
  public long[][] read(String kind, String name, int minutes, Instant now) {
    long last = now.getEpochSecond() / 60;
    List<String> fields = new ArrayList<>(minutes * 2);
    for (long m = last - minutes + 1; m <= last; m++) {
      fields.add(m + ":p");
      fields.add(m + ":f");
    }
    String key = key(kind, name);
    List<String> values = KeyTypes.call(client,
        () -> client.hmget(key, fields.toArray(String[]::new)), key, "hash");
    long[][] out = new long[2][minutes];
    for (int i = 0; i < minutes; i++) {
      out[0][i] = parse(values.get(2 * i));
      out[1][i] = parse(values.get(2 * i + 1));
    }
    return out;
  }

  private static long parse(String s) {
    return s == null ? 0 : Replies.toLong(s);
  }
}
