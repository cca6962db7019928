package io.github.redisext.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds the dashboard knows, in the order of its navigation. Adding a kind: one {@link
 * KindView} class and one line in {@link #ALL}.
 */
public final class Views {
  /** Every view, by kind. */
  public static final Map<String, KindView> ALL = index(List.of(
      new WorkerView(),
      new DebounceView(),
      new TimersView(),
      new LockView(),
      new FastSetView(),
      new UniqueIdView(),
      new StreamsView(),
      new TriggersView(),
      new EventsView()));

  private Views() {}

  private static Map<String, KindView> index(List<KindView> views) {
    Map<String, KindView> m = new LinkedHashMap<>();
    for (KindView v : views) {
      m.put(v.kind(), v);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The view of {@code kind}, or null. */
  public static KindView of(String kind) {
    return ALL.get(kind);
  }

  /**
   * Appends a row of figure cards: each {@code {label, value, css}} (label and value are trusted
   * text made by the views; css is "", "warn" or "bad").
   */
  public static void figures(StringBuilder out, String[][] cards) {
    out.append("<div class=\"figures\">");
    for (String[] c : cards) {
      out.append("<div class=\"figure ").append(c[2]).append("\" data-figure=\"")
          .append(Html.esc(c[0])).append("\"><div class=\"value\">").append(Html.esc(c[1]))
          .append("</div><div class=\"label\">").append(Html.esc(c[0])).append("</div></div>");
    }
    out.append("</div>");
  }

  /** Appends the rates panel (three hours of per-minute counts). */
  public static void rates(Target t, Context ctx, StringBuilder out) {
    out.append("<section class=\"panel\"><h2>Processed and failed per minute</h2>")
        .append(Chart.figure(ctx.rates(), t, Chart.PAGE_MINUTES, ctx.now(), 720, 80))
        .append("<p class=\"muted small\">Counted by processes that record rates "
            + "(<code>RateRecorder.start(client)</code> or the dashboard's <code>recordRates"
            + "</code> option); kept in Redis for two weeks.</p></section>");
  }
}
