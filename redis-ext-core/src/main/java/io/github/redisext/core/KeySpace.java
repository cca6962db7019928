package io.github.redisext.core;

import java.util.Objects;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Derives every key of one primitive instance from its name, so that all of them share one hash
 * tag and land in one Redis Cluster slot (one Lua script may then touch them all).
 *
 * <p><b>The naming rule</b> every primitive follows ({@link #forName(String, UnifiedJedis)}): a
 * name that already carries a hash tag ({@code "{emails}"}, {@code "jobs:{eu}"}) is used as given;
 * an untagged name is used as given on a standalone or sentinel server (the Python libraries'
 * layout, byte for byte) and wrapped in a tag on a cluster ({@code "emails"} → {@code
 * "{emails}"}), where a primitive's keys must share one slot. So {@code "x"} and {@code "{x}"}
 * both work for every primitive on every deployment.
 *
 * <ul>
 *   <li>{@link #forName(String, UnifiedJedis)}: the rule above.
 *   <li>{@link #tagged(String)}: keys are {@code {name}:suffix}, or {@code name:suffix} when the
 *       name already carries a tag.
 *   <li>{@link #verbatim(String)}: keys are {@code name:suffix}, the layout of the Python
 *       libraries; on a cluster the name must carry its own hash tag ({@code "{orders}"}), which
 *       {@link #requireSingleSlot(UnifiedJedis)} checks.
 * </ul>
 *
 * <pre>{@code
 * KeySpace keys = KeySpace.tagged("orders");
 * keys.key("queue");      // {orders}:queue
 * keys.key("dead");       // {orders}:dead  (same slot)
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class KeySpace {
  private final String name;
  private final String prefix;
  private final boolean tagged;

  private KeySpace(String name, String prefix, boolean tagged) {
    this.name = name;
    this.prefix = prefix;
    this.tagged = tagged;
  }

  /**
   * Keys {@code {name}:suffix}; a name that already carries a hash tag ({@code "{x}"}, {@code
   * "a:{x}"}) is used as given, so {@code "x"} and {@code "{x}"} name the same keys.
   *
   * @throws KeyNameException if the name is null or blank, or has braces that form no hash tag
   *     (e.g. {@code "a}b"}, {@code "{}"})
   */
  public static KeySpace tagged(String name) {
    requireName(name);
    if (hashTag(name) != null) {
      return new KeySpace(name, name, true);
    }
    requireNoStrayBraces(name);
    return new KeySpace(name, "{" + name + "}", true);
  }

  /**
   * The naming rule of every primitive: a name carrying a hash tag is used as given; an untagged
   * name is used as given on a standalone or sentinel server (the Python layout) and like {@link
   * #tagged(String)} on a cluster.
   *
   * @throws KeyNameException if the name is null or blank, or has braces that form no hash tag
   */
  public static KeySpace forName(String name, UnifiedJedis client) {
    requireName(name);
    if (hashTag(name) != null) {
      return new KeySpace(name, name, true);
    }
    requireNoStrayBraces(name);
    return isCluster(client) ? new KeySpace(name, "{" + name + "}", true)
        : new KeySpace(name, name, false);
  }

  private static void requireNoStrayBraces(String name) {
    if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
      throw new KeyNameException("name '" + name + "' has braces that form no hash tag (a tag is "
          + "the text between the first '{' and the next '}', at least one character); use a tag "
          + "like '{" + name.replace("{", "").replace("}", "") + "}' or no braces at all");
    }
  }

  /**
   * Keys {@code name:suffix}, used as given (Python-compatible layouts). On a cluster, put a hash
   * tag in the name yourself, e.g. {@code "{orders}"}.
   *
   * @throws KeyNameException if the name is null or blank
   */
  public static KeySpace verbatim(String name) {
    requireName(name);
    return new KeySpace(name, name, false);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new KeyNameException("a name is required (got " + (name == null ? "null" : "'" + name
          + "'") + ")");
    }
  }

  /** The name given. */
  public String name() {
    return name;
  }

  /** The common prefix: {@code {name}} or, verbatim, the name itself. */
  public String prefix() {
    return prefix;
  }

  /** {@code prefix:suffix}. */
  public String key(String suffix) {
    return prefix + ":" + Objects.requireNonNull(suffix, "suffix");
  }

  /** {@code prefix:a:b:...}. */
  public String key(String... parts) {
    return prefix + ":" + String.join(":", parts);
  }

  /**
   * Checks that all keys of this space share one slot on a cluster client; a no-op on a standalone
   * client and always true for tagged spaces.
   *
   * @return this
   * @throws KeyNameException naming the fix when a verbatim name has no hash tag on a cluster
   */
  public KeySpace requireSingleSlot(UnifiedJedis client) {
    if (!tagged && isCluster(client) && hashTag(prefix + ":x") == null) {
      throw new KeyNameException("name '" + name + "' has no hash tag, so its keys ('" + key("a")
          + "', '" + key("b") + "', ...) spread over several cluster slots and cannot be changed "
          + "atomically; use a name with a hash tag, e.g. '{" + name + "}'");
    }
    return this;
  }

  /**
   * Checks that the given keys share one cluster slot (only when {@code client} is a cluster
   * client).
   *
   * @param what what the keys are for, for the message (e.g. "worker 'emails'")
   * @throws KeyNameException listing the keys and their slots and how to fix it
   */
  public static void requireSameSlot(UnifiedJedis client, String what, String... keys) {
    if (keys.length < 2 || !isCluster(client)) {
      return;
    }
    int slot = slot(keys[0]);
    for (String k : keys) {
      if (slot(k) != slot) {
        StringBuilder sb = new StringBuilder();
        for (String x : keys) {
          sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(x).append("' -> ")
              .append(slot(x));
        }
        throw new KeyNameException(what + ": keys " + sb + " map to different cluster slots; give "
            + "them a common hash tag, e.g. '{" + keys[0].replaceAll("[{}]", "") + "}:...' in each");
      }
    }
  }

  /** Whether the client talks to a Redis Cluster. */
  @SuppressWarnings("deprecation") // JedisCluster is deprecated, but users may still hand one in
  public static boolean isCluster(UnifiedJedis client) {
    return client instanceof RedisClusterClient || client instanceof JedisCluster;
  }

  /** The cluster slot of a key (0..16383), honouring hash tags. */
  public static int slot(String key) {
    return JedisClusterCRC16.getSlot(key);
  }

  /** The hash tag of a key ({@code a} for {@code x{a}y}), or null when it has none. */
  public static String hashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return null;
    }
    int close = key.indexOf('}', open + 1);
    if (close < 0 || close == open + 1) {
      return null;
    }
    return key.substring(open + 1, close);
  }

  @Override
  public String toString() {
    return "KeySpace[" + prefix + ":*]";
  }
}
