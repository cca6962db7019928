package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.Registry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Discovery: the registry's entries plus the names given in the options, one per kind and name.
 * The registry is read at most once per {@link #FRESH} however many pages are open (a registry of
 * thousands of lock names is not parsed on every request). Thread-safe.
 */
public final class Catalog {
  /** How long one read of the registry serves. */
  public static final long FRESH = 1_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(Catalog.class);
  private final UnifiedJedis client;
  private final List<String> extra;
  private List<Target> cached;
  private long readAt;

  /** A catalog reading {@code client}'s registry, adding {@code extra} ({@code kind:name}). */
  public Catalog(UnifiedJedis client, List<String> extra) {
    this.client = client;
    this.extra = List.copyOf(extra);
  }

  /** Every primitive known now (at most {@link #FRESH} old), sorted by kind and name. */
  public synchronized List<Target> targets() {
    if (cached == null || System.nanoTime() - readAt > FRESH) {
      cached = read();
      readAt = System.nanoTime();
    }
    return cached;
  }

  private List<Target> read() {
    Map<String, Target> all = new LinkedHashMap<>();
    for (Registry.Entry e : Registry.read(client)) {
      Target t = new Target(e.kind(), e.name(), e.keys(), e.lastSeen());
      all.put(t.id(), t);
    }
    for (String n : extra) {
      int colon = n.indexOf(':');
      String kind = n.substring(0, colon);
      KindView v = Views.of(kind);
      Target t = v == null ? new Target(kind, n.substring(colon + 1), Map.of(), null)
          : v.named(n.substring(colon + 1));
      all.putIfAbsent(t.id(), t);
    }
    Set<String> expanded = new HashSet<>();
    for (Target t : new ArrayList<>(all.values())) {
      KindView v = Views.of(t.kind());
      if (v != null && expanded.add(t.kind() + "\u0000" + v.expansionKey(t))) {
        try {
          for (Target more : v.expand(t, client)) {
            all.putIfAbsent(more.id(), more);
          }
        } catch (RuntimeException e) {
          log.debug("could not expand {}", t.id(), e); // its own row says why
        }
      }
    }
    List<Target> list = new ArrayList<>(all.values());
    list.sort(java.util.Comparator.comparing(Target::kind).thenComparing(Target::name));
    return List.copyOf(list);
  }

  /**
   * The primitive {@code kind}/{@code name}, or null when neither registered nor named (the
   * registry is read again before saying so, so a primitive created a moment ago is found).
   */
  public Target find(String kind, String name) {
    Target t = find(targets(), kind, name);
    if (t == null) {
      synchronized (this) {
        cached = null;
      }
      t = find(targets(), kind, name);
    }
    return t;
  }

  private static Target find(List<Target> targets, String kind, String name) {
    for (Target t : targets) {
      if (t.kind().equals(kind) && t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
