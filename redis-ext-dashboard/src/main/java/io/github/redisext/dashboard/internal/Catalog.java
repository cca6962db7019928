package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/** Discovery: the registry's entries plus the names given in the options, one per kind and name. */
public final class Catalog {
  private final UnifiedJedis client;
  private final List<String> extra;

  /** A catalog reading {@code client}'s registry, adding {@code extra} ({@code kind:name}). */
  public Catalog(UnifiedJedis client, List<String> extra) {
    this.client = client;
    this.extra = List.copyOf(extra);
  }

  /** Every primitive known now, sorted by kind and name. */
  public List<Target> targets() {
    Map<String, Target> all = new LinkedHashMap<>();
    for (Registry.Entry e : Registry.read(client)) {
      Target t = new Target(e.kind(), e.name(), e.keys(), e.lastSeen());
      all.put(t.id(), t);
    }
    for (String n : extra) {
      int colon = n.indexOf(':');
      Target t = new Target(n.substring(0, colon), n.substring(colon + 1), Map.of(), null);
      all.putIfAbsent(t.id(), t);
    }
    List<Target> list = new ArrayList<>(all.values());
    list.sort(java.util.Comparator.comparing(Target::kind).thenComparing(Target::name));
    return list;
  }

  /** The primitive {@code kind}/{@code name}, or null when neither registered nor named. */
  public Target find(String kind, String name) {
    for (Target t : targets()) {
      if (t.kind().equals(kind) && t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
