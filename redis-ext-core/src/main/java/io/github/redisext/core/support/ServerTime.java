package io.github.redisext.core.support;

import java.time.Instant;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the Redis server's clock (TIME), routed like a keyed command so it works on a cluster.
 * Primitives compare due times with this clock (inside their scripts), so hosts with skewed
 * clocks agree.
 */
public final class ServerTime {
  private static final LuaScript TIME = LuaScript.of("time.lua",
      "local t = redis.call('TIME') return {t[1], t[2]}");

  private ServerTime() {}

  /** The server time of the node owning {@code routingKey}. */
  public static Instant now(UnifiedJedis client, String routingKey) {
    List<String> t = Replies.toStringList(TIME.eval(client, List.of(routingKey), List.of()));
    return Instant.ofEpochSecond(Long.parseLong(t.get(0)), Long.parseLong(t.get(1)) * 1000);
  }
}
