package io.github.redisext.dashboard.internal;

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
}
