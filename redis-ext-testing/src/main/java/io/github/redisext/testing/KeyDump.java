package io.github.redisext.testing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The type and content of keys as comparable text, for tests that show an operation changed
 * nothing (e.g. the wrong-type sweeps: dump before, run, dump after, compare). Sets and hashes
 * are sorted; lists keep their order; a sorted set lists members with scores in rank order.
 *
 * <pre>{@code
 * Map<String, String> before = KeyDump.of(client, List.of("{q}", "{q}:dead"));
 * assertThatThrownBy(() -> queue.push(task)).isInstanceOf(WrongTypeException.class);
 * assertThat(KeyDump.of(client, List.of("{q}", "{q}:dead"))).isEqualTo(before);
 * }</pre>
 */
public final class KeyDump {
  private KeyDump() {}

  /** {@code "type content"} of one key ({@code "none "} when it does not exist). */
  public static String of(UnifiedJedis client, String key) {
    String type = client.type(key);
    Object content = switch (type) {
      case "none" -> "";
      case "string" -> client.get(key);
      case "list" -> client.lrange(key, 0, -1);
      case "set" -> new TreeSet<>(client.smembers(key));
      case "hash" -> new TreeMap<>(client.hgetAll(key));
      case "zset" -> {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Tuple t : client.zrangeWithScores(key, 0, -1)) {
          m.put(t.getElement(), t.getScore());
        }
        yield m;
      }
      case "stream" -> client.xrange(key, "-", "+");
      default -> "?";
    };
    return type + " " + content;
  }

  /** {@link #of(UnifiedJedis, String)} of each key, in the given order. */
  public static Map<String, String> of(UnifiedJedis client, Collection<String> keys) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, of(client, k));
    }
    return out;
  }
}
