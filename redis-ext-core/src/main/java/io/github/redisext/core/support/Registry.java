package io.github.redisext.core.support;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The registry of primitives in use: every redis-ext primitive announces its kind and name here
 * when it is created, so a dashboard finds them without configuration. The registry is one Redis
 * hash, {@value #KEY}: field {@code <kind>:<name>} → a small JSON object
 * <pre>{@code {"kind":"worker","name":"emails","keys":{"queue":"emails","dead":"emails:dead"},
 *  "firstSeen":1795298301968,"lastSeen":1795298301968}}</pre>
 * ({@code keys}: the primitive's main keys, as hints for readers; times in ms of the server clock).
 *
 * <p><b>Cost.</b> One script call (an {@code HGET} and an {@code HSET}) the first time a kind and
 * name is announced on a client; repeated announcements within {@link #REFRESH} on the same client
 * send nothing, so primitives made per request (locks named after an order) cost one write per
 * name and hour. The hash holds at most {@link #MAX_ENTRIES} fields; a new name over the cap is
 * not recorded, and a client told so sends no new name for {@link #REFRESH} (so a full registry
 * costs applications that make thousands of lock names nothing). Announcing is best effort: a Redis error is logged (once a minute at most) and
 * never fails the primitive's creation.
 *
 * <p><b>Cluster.</b> The registry is a single key, so it lives in one slot of one master; each
 * announcement is its own command routed there (never part of a primitive's multi-key script), so
 * it is correct on a cluster whatever slots the primitives' own keys use, and the writes are too
 * rare (once per name and hour) to make that master hot.
 */
public final class Registry {
  /** The registry hash. */
  public static final String KEY = "redis-ext:registry";
  /** The most fields the registry hash holds. */
  public static final int MAX_ENTRIES = 10_000;
  /** How long a client remembers an announcement before sending it again (to move lastSeen). */
  public static final Duration REFRESH = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  private static final LuaScript ANNOUNCE =
      LuaScript.fromResources(Registry.class, LuaScript.CORE_LIB, "registry_announce.lua");
  private static final int REMEMBERED = 10_000;
  /** A field no primitive can have (kinds are not blank): when the registry said it is full. */
  private static final String FULL = "";
  private static final Map<UnifiedJedis, Map<String, Long>> SENT = new WeakHashMap<>();
  private static volatile long lastWarning;

  private Registry() {}

  /**
   * One registered primitive.
   *
   * @param kind the primitive kind ({@code worker}, {@code debounce}, {@code timers}, {@code
   *     lock}, {@code fastset}, {@code uniqueid}, ...)
   * @param name its name as the primitive reports it (its key or name; tagged on a cluster)
   * @param keys hints: role → key name (unmodifiable)
   * @param firstSeen when it was first announced (server clock)
   * @param lastSeen when it was last announced (server clock; refreshed at most hourly per client)
   */
  public record Entry(String kind, String name, Map<String, String> keys, Instant firstSeen,
      Instant lastSeen) {
    /** Checks and copies. */
    public Entry {
      Args.notBlank(kind, "kind");
      Args.notNull(name, "name");
      keys = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(keys, "keys")));
      Args.notNull(firstSeen, "firstSeen");
      Args.notNull(lastSeen, "lastSeen");
    }

    /** The registry field of this entry: {@code <kind>:<name>}. */
    public String field() {
      return Registry.field(kind, name);
    }
  }

  /**
   * Records that the primitive {@code kind}/{@code name} exists (best effort, see the class
   * comment). Primitives call it from their factories or constructors.
   *
   * @param keys hints for readers: role → key (e.g. {@code "dead" → "emails:dead"})
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code kind} is blank
   */
  public static void announce(UnifiedJedis client, String kind, String name,
      Map<String, String> keys) {
    Args.notNull(client, "client");
    Args.notBlank(kind, "kind");
    Args.notNull(name, "name");
    Args.notNull(keys, "keys");
    String field = field(kind, name);
    long now = System.nanoTime();
    synchronized (SENT) {
      Map<String, Long> sent = SENT.computeIfAbsent(client, c -> new LinkedHashMap<>());
      Long at = sent.get(field);
      if (at != null && now - at < REFRESH.toNanos()) {
        return;
      }
      Long full = sent.get(FULL);
      if (at == null && full != null && now - full < REFRESH.toNanos()) {
        return; // the registry was full: new names wait for the next hour
      }
      if (sent.size() >= REMEMBERED) {
        sent.keySet().removeIf(k -> !k.equals(FULL));
      }
      sent.put(field, now);
    }
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind);
    o.addProperty("name", name);
    JsonObject k = new JsonObject();
    new TreeMap<>(keys).forEach(k::addProperty);
    o.add("keys", k);
    String json = o.toString();
    try {
      Object written = ANNOUNCE.eval(client, List.of(KEY),
          List.of(field, json.substring(0, json.length() - 1), Integer.toString(MAX_ENTRIES)));
      if (Replies.toLong(written) == 0) {
        synchronized (SENT) {
          SENT.computeIfAbsent(client, c -> new LinkedHashMap<>()).put(FULL, System.nanoTime());
        }
        log.debug("registry {} is full ({} fields): {} not recorded", KEY, MAX_ENTRIES, field);
      }
    } catch (RuntimeException e) {
      synchronized (SENT) {
        Map<String, Long> sent = SENT.get(client);
        if (sent != null) {
          sent.remove(field); // try again next time
        }
      }
      long t = System.currentTimeMillis();
      if (t - lastWarning > 60_000) {
        lastWarning = t;
        log.warn("could not announce {} in the registry {} (ignored; logged once a minute at most)",
            field, KEY, e);
      } else {
        log.debug("could not announce {} in the registry {}", field, KEY, e);
      }
    }
  }

  /**
   * Every entry of the registry, sorted by kind and name. An entry that does not parse is skipped
   * (logged at DEBUG).
   *
   * @throws io.github.redisext.core.WrongTypeException if {@value #KEY} is not a hash
   */
  public static List<Entry> read(UnifiedJedis client) {
    Args.notNull(client, "client");
    Map<String, String> all = KeyTypes.call(client, () -> client.hgetAll(KEY), KEY, "hash");
    List<Entry> entries = new ArrayList<>(all.size());
    for (Map.Entry<String, String> e : all.entrySet()) {
      try {
        JsonObject o = JsonParser.parseString(e.getValue()).getAsJsonObject();
        Map<String, String> keys = new LinkedHashMap<>();
        if (o.has("keys") && o.get("keys").isJsonObject()) {
          for (Map.Entry<String, JsonElement> k : o.getAsJsonObject("keys").entrySet()) {
            keys.put(k.getKey(), k.getValue().getAsString());
          }
        }
        entries.add(new Entry(o.get("kind").getAsString(), o.get("name").getAsString(), keys,
            Instant.ofEpochMilli(o.get("firstSeen").getAsLong()),
            Instant.ofEpochMilli(o.get("lastSeen").getAsLong())));
      } catch (RuntimeException bad) {
        log.debug("registry field {} does not parse: {}", e.getKey(), e.getValue(), bad);
      }
    }
    entries.sort(Comparator.comparing(Entry::kind).thenComparing(Entry::name));
    return entries;
  }

  /**
   * Removes {@code kind}/{@code name} from the registry (it comes back when announced again).
   *
   * @return whether it was there
   */
  public static boolean forget(UnifiedJedis client, String kind, String name) {
    Args.notNull(client, "client");
    String field = field(Args.notBlank(kind, "kind"), Args.notNull(name, "name"));
    synchronized (SENT) {
      Map<String, Long> sent = SENT.get(client);
      if (sent != null) {
        sent.remove(field);
      }
    }
    return KeyTypes.call(client, () -> client.hdel(KEY, field), KEY, "hash") > 0;
  }

  private static String field(String kind, String name) {
    return kind + ":" + name;
  }
}
