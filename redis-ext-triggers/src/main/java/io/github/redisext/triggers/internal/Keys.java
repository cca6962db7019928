package io.github.redisext.triggers.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.Strings;
import io.github.redisext.triggers.TriggerKey;
import java.util.List;
import java.util.zip.CRC32;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every key name of an {@code ExpiryTriggers} instance. The TTL keys are WIRE-FORMAT section 10's
 * {@code <tenant>:EXPTRIGGER:<action>:<identifier>}. Shard {@code i} of tenant {@code t} has the
 * tag {@code {t:rx-triggers:i}} and the keys {@code <tag>:due} (ZSET), {@code <tag>:due-at},
 * {@code <tag>:leases}, {@code <tag>:attempts}, {@code <tag>:adopted}, {@code <tag>:dead}
 * (HASHes), {@code <tag>:actions} (SET: every escaped action armed in the shard; with the due
 * ZSET it is the identifier index: an identifier's triggers are its key under each action that
 * stands in the due ZSET), {@code <tag>:ttl-owed} (ZSET, cluster only: TTL keys not yet
 * confirmed written) and {@code <tag>:fired:<trigger key>} (STRING, fired markers). A trigger
 * lives in the shard of its (escaped) identifier, so one identifier's triggers share one slot.
 */
public final class Keys {
  /** The marker between tenant and action in a TTL key. */
  public static final String MARKER = ":EXPTRIGGER:";

  private final String tenant;
  private final String[] tags;
  private final List<List<String>> families;
  private final List<List<String>> indexed;
  private final String channel;

  /** The keys of {@code tenant} over {@code shards} shards. */
  public Keys(String tenant, int shards) {
    this.tenant = tenant;
    this.tags = new String[shards];
    List<String>[] f = new List[shards];
    List<String>[] x = new List[shards];
    for (int i = 0; i < shards; i++) {
      tags[i] = "{" + tenant + ":rx-triggers:" + i + "}";
      String t = tags[i];
      f[i] = List.of(t + ":due", t + ":due-at", t + ":leases", t + ":attempts", t + ":adopted",
          t + ":dead");
      x[i] = List.of(t + ":due", t + ":due-at", t + ":leases", t + ":attempts", t + ":adopted",
          t + ":dead", t + ":actions");
    }
    this.families = List.of(f);
    this.indexed = List.of(x);
    this.channel = tenant + ":rx-triggers:wakeup";
  }

  /** Checks that each shard's keys share one slot (they do: one tag each). */
  public Keys requireUsable(UnifiedJedis client) {
    for (int i = 0; i < tags.length; i++) {
      List<String> f = families.get(i);
      KeySpace.requireSameSlot(client, "triggers shard " + i, f.get(0), f.get(5), actions(i),
          owed(i), marker(i, "x"));
    }
    return this;
  }

  /** {@code s} with every {@code ':'} replaced by {@code '_'} (section 10's escaping). */
  public static String escape(String s) {
    return s.replace(':', '_');
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** Number of shards. */
  public int shards() {
    return tags.length;
  }

  /** The wake-up channel. */
  public String channel() {
    return channel;
  }

  /** The TTL key of a trigger. */
  public String ttlKey(String action, String identifier) {
    return tenant + MARKER + escape(action) + ":" + escape(identifier);
  }

  /** The SCAN pattern of this tenant's TTL keys (glob characters of the tenant escaped). */
  public String scanPattern() {
    StringBuilder b = new StringBuilder();
    for (char c : tenant.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b + MARKER + "*";
  }

  /** The parts of a TTL key of this tenant, or null if it is not one. */
  public TriggerKey parse(String key) {
    TriggerKey k = TriggerKey.parse(key).orElse(null);
    return k != null && k.tenant().equals(tenant) ? k : null;
  }

  /** The shard of an (escaped) identifier: CRC32 of its UTF-8 bytes modulo the shard count. */
  public int shardOf(String escapedIdentifier) {
    if (tags.length == 1) {
      return 0;
    }
    CRC32 crc = new CRC32();
    crc.update(Strings.utf8(escapedIdentifier));
    return (int) (crc.getValue() % tags.length);
  }

  /** The shard of a TTL key of this tenant (by its identifier part). */
  public int shardOfKey(String ttlKey) {
    return shardOf(identifierOf(ttlKey));
  }

  /** The (escaped) action of a TTL key of this tenant (between the marker and the next ':'). */
  public String actionOf(String ttlKey) {
    int from = tenant.length() + MARKER.length();
    int i = ttlKey.indexOf(':', from);
    return i < 0 ? ttlKey.substring(Math.min(from, ttlKey.length())) : ttlKey.substring(from, i);
  }

  /** The identifier part of a TTL key (text after the action). */
  public String identifierOf(String ttlKey) {
    int from = tenant.length() + MARKER.length();
    int i = ttlKey.indexOf(':', from);
    return i < 0 ? "" : ttlKey.substring(i + 1);
  }

  /** The six family keys of shard {@code s} (due, due-at, leases, attempts, adopted, dead). */
  public List<String> family(int s) {
    return families.get(s);
  }

  /**
   * The family of shard {@code s} followed by its actions SET (the KEYS[1..7] of every script that
   * arms or cancels by identifier).
   */
  public List<String> familyAndActions(int s) {
    return indexed.get(s);
  }

  /** The due ZSET of shard {@code s}. */
  public String due(int s) {
    return families.get(s).get(0);
  }

  /** The dead HASH of shard {@code s}. */
  public String dead(int s) {
    return families.get(s).get(5);
  }

  /** The actions SET of shard {@code s}. */
  public String actions(int s) {
    return indexed.get(s).get(6);
  }

  /**
   * The ZSET of shard {@code s} holding, on a cluster, the trigger keys whose set script ran and
   * whose TTL key (in another slot) the setting process has not confirmed yet (score: when armed,
   * epoch ms); the sweep writes those a crashed process left unwritten.
   */
  public String owed(int s) {
    return tags[s] + ":ttl-owed";
  }

  /** The prefix of every TTL key of this tenant: {@code <tenant>:EXPTRIGGER:}. */
  public String keyPrefix() {
    return tenant + MARKER;
  }

  /** The fired marker of a TTL key in shard {@code s}. */
  public String marker(int s, String ttlKey) {
    return tags[s] + ":fired:" + ttlKey;
  }
}
