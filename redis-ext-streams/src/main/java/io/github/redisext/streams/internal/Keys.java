package io.github.redisext.streams.internal;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.KeySpace;
import redis.clients.jedis.UnifiedJedis;

/**
 * The keys of one stream, fixed by the Python library's layout: {@code stream:<name>}, {@code
 * stream:dlq:<name>}, {@code stream:events:<name>}. On a cluster the name must carry a hash tag
 * ({@code {orders}}) so that the three share a slot.
 *
 * @param name the stream's name
 * @param stream the work stream
 * @param dlq the dead-letter stream
 * @param events the lifecycle event stream
 */
public record Keys(String name, String stream, String dlq, String events) {
  /**
   * The keys of {@code name}.
   *
   * @throws KeyNameException if the name is blank, or untagged on a cluster client
   */
  public static Keys of(String name, UnifiedJedis client) {
    if (name == null || name.isBlank()) {
      throw new KeyNameException("a stream name is required (got "
          + (name == null ? "null" : "'" + name + "'") + ")");
    }
    Keys k = new Keys(name, "stream:" + name, "stream:dlq:" + name, "stream:events:" + name);
    if (KeySpace.isCluster(client)) {
      int slot = KeySpace.slot(k.stream);
      if (KeySpace.hashTag(k.stream) == null || KeySpace.slot(k.dlq) != slot
          || KeySpace.slot(k.events) != slot) {
        throw new KeyNameException("stream '" + name + "': on a Redis Cluster its keys '"
            + k.stream + "', '" + k.dlq + "' and '" + k.events + "' must share one slot (a "
            + "dead letter is written in the same script as its ack); name the stream with a "
            + "hash tag, e.g. '{" + name.replace("{", "").replace("}", "") + "}', which gives "
            + "'stream:{" + name.replace("{", "").replace("}", "") + "}'");
      }
    }
    return k;
  }
}
