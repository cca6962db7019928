package io.github.redisext.triggers.internal;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Checks a master's settings: {@code notify-keyspace-events} must hold {@code E} and {@code x} (or
 * {@code A}) for expired events, and {@code g} for del events when deletes are followed; missing
 * flags are added with CONFIG SET (never removed). A refused CONFIG is reported (the triggers then
 * run on the sorted sets and sweeps alone). A {@code maxmemory-policy} that can evict volatile
 * keys is warned about.
 */
public final class ServerSettings {
  private static final Logger log = LoggerFactory.getLogger(ServerSettings.class);

  private ServerSettings() {}

  /**
   * The flags to add to {@code flags} so expired key events (and, with {@code deletes}, generic
   * commands' events such as {@code del}) are published ('' if none).
   */
  public static String missingFlags(String flags, boolean deletes) {
    String f = flags == null ? "" : flags;
    StringBuilder add = new StringBuilder();
    if (f.indexOf('E') < 0) {
      add.append('E');
    }
    if (f.indexOf('x') < 0 && f.indexOf('A') < 0) {
      add.append('x');
    }
    if (deletes && f.indexOf('g') < 0 && f.indexOf('A') < 0) {
      add.append('g');
    }
    return add.toString();
  }

  /**
   * Makes sure {@code node} publishes expired events; returns null when it does, else why not.
   *
   * @param configure whether missing flags may be added
   */
  public static String ensureExpiredEvents(String name, UnifiedJedis node, boolean configure,
      boolean deletes) {
    String flags;
    try {
      Map<String, String> m = node.configGet("notify-keyspace-events");
      flags = m.getOrDefault("notify-keyspace-events", "");
    } catch (RuntimeException e) {
      return "CONFIG GET notify-keyspace-events was refused on " + name + " (" + e.getMessage()
          + ")";
    }
    String missing = missingFlags(flags, deletes);
    if (missing.isEmpty()) {
      return null;
    }
    if (!configure) {
      return "notify-keyspace-events on " + name + " is '" + flags + "' (needs E, x"
          + (deletes ? ", g" : "") + ") and "
          + "configureEvents is off";
    }
    try {
      node.configSet("notify-keyspace-events", flags + missing);
      log.info("notify-keyspace-events on {}: '{}' -> '{}' (added {} for expired events)", name,
          flags, flags + missing, missing);
      return null;
    } catch (RuntimeException e) {
      return "CONFIG SET notify-keyspace-events was refused on " + name + " (" + e.getMessage()
          + ")";
    }
  }

  /** Warns when {@code node}'s maxmemory-policy can evict trigger keys. */
  public static void checkEviction(String name, UnifiedJedis node) {
    try {
      String policy = node.configGet("maxmemory-policy").getOrDefault("maxmemory-policy",
          "noeviction");
      if (!"noeviction".equals(policy)) {
        log.warn("maxmemory-policy on {} is '{}': under memory pressure Redis may evict trigger "
            + "keys (TTL keys and the triggers' sorted sets); an evicted TTL key sends no expired "
            + "event, an evicted sorted set loses its triggers. Use noeviction for the triggers' "
            + "database", name, policy);
      }
    } catch (RuntimeException e) {
      log.warn("cannot read maxmemory-policy on {} ({}): if it evicts, trigger keys may be lost",
          name, e.getMessage());
    }
  }
}
