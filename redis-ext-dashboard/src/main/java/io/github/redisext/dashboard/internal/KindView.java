package io.github.redisext.dashboard.internal;

import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the dashboard knows about one kind of primitive: its overview row and its page. One class
 * per kind, registered in {@link Views}; adding a kind is one such class plus one line there.
 * Implementations read Redis through the module's public API where it has one (and its
 * documented keys where it does not) and must escape every text with {@link Html#esc}.
 */
public interface KindView {
  /** The kind as primitives register it ({@code worker}). */
  String kind();

  /** The heading of the kind's pages ({@code Worker queue}). */
  String title();

  /** The overview row of {@code t}. May throw what Redis throws. */
  Summary summarize(Target t, Context ctx);

  /** Appends the live part of {@code t}'s page (figures, tables, forms) to {@code out}. */
  void render(Target t, Context ctx, StringBuilder out);

  /** Where the kind keeps dead letters, or null when it has none. */
  default DeadLetterSource deadLetters(Target t, Context ctx) {
    return null;
  }

  /**
   * The primitive named {@code name} on the command line ({@code --name kind:name}): by default
   * the name as given with no key hints; a kind whose layout needs more (a shard count, a prefix)
   * reads it from the name.
   */
  default Target named(String name) {
    return new Target(kind(), name, Map.of(), null);
  }

  /**
   * Primitives found through {@code t}'s own keys (e.g. the other event types registered under
   * its prefix), added to the catalog; none by default. Called once per catalog read for each
   * distinct {@link #expansionKey}.
   */
  default List<Target> expand(Target t, UnifiedJedis client) {
    return List.of();
  }

  /** Targets with the same key here expand alike ({@link #expand} runs once for them). */
  default String expansionKey(Target t) {
    return t.id();
  }
}
