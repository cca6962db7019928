package io.github.redisext.dashboard.internal;

import io.github.redisext.timers.PendingTimer;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.resps.Tuple;

/**
 * Timers ({@code redis-ext-timers}): pending by topic, next due, late timers, dead timers. Read
 * and operated through a {@link Timers} built without handlers (never started), with the layout
 * the registry recorded (Python layout: timeline, payloads and separator; sharded: name and
 * shards).
 */
public final class TimersView implements KindView {
  /** Pending timers are grouped by topic only up to this many. */
  public static final int MAX_GROUPED = 10_000;
  /** A timer due longer ago than this is late. */
  public static final Duration LATE = Duration.ofMinutes(1);

  @Override
  public String kind() {
    return "timers";
  }

  @Override
  public String title() {
    return "Timers";
  }

  private static TimersOptions options(Target t) {
    Map<String, String> k = t.keys();
    TimersOptions.Builder b = TimersOptions.builder();
    if (k.containsKey("shards")) {
      b.sharded(t.name(), Integer.parseInt(k.get("shards")));
    } else {
      b.timelineKey(t.name());
      if (k.containsKey("payloads")) {
        b.payloadsKey(k.get("payloads"));
      }
    }
    if (k.containsKey("separator")) {
      b.separator(k.get("separator"));
    }
    return b.build();
  }

  private static List<String> timelines(Target t) {
    Map<String, String> k = t.keys();
    if (!k.containsKey("shards")) {
      return List.of(t.name());
    }
    List<String> keys = new ArrayList<>();
    for (int s = 0; s < Integer.parseInt(k.get("shards")); s++) {
      keys.add("{" + t.name() + ":" + s + "}:timeline");
    }
    return keys;
  }

  private static Timers<Void> timers(Target t, Context ctx) {
    return ctx.handles().get(t.id(),
        () -> Timers.<Void>builder(ctx.client(), null).options(options(t)).build());
  }

  /** Timers due before {@code before} (scores are epoch seconds). */
  private static long dueBefore(Target t, Context ctx, Instant before) {
    long n = 0;
    for (String tl : timelines(t)) {
      n += ctx.client().zcount(tl, Double.NEGATIVE_INFINITY, before.toEpochMilli() / 1000.0);
    }
    return n;
  }

  private static Instant nextDue(Target t, Context ctx) {
    Instant next = null;
    for (String tl : timelines(t)) {
      List<Tuple> first = ctx.client().zrangeWithScores(tl, 0, 0);
      if (!first.isEmpty()) {
        Instant due = Instant.ofEpochMilli(Math.round(first.get(0).getScore() * 1000));
        next = next == null || due.isBefore(next) ? due : next;
      }
    }
    return next;
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    Timers<Void> timers = timers(t, ctx);
    long pending = timers.pendingCount();
    long dead = timers.deadLetterCount();
    long late = dueBefore(t, ctx, ctx.now().minus(LATE));
    Instant next = nextDue(t, ctx);
    String note = pending + " pending" + (late > 0 ? ", " + late + " late" : "")
        + (next == null ? "" : "; next " + Html.relative(next, ctx.now()));
    return new Summary(t, pending, -1, dead, note, dead > 0 ? 2 : late > 0 ? 1 : 0);
  }

  @Override
  public DeadLetterSource deadLetters(Target t, Context ctx) {
    Timers<Void> timers = timers(t, ctx);
    return DeadLetterSource.of(timers::deadLetters, timers::deadLetterCount, timers::requeue,
        timers::requeueAllDeadLetters, timers::purge, timers::purgeAllDeadLetters);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    Timers<Void> timers = timers(t, ctx);
    long pending = timers.pendingCount();
    long dead = timers.deadLetterCount();
    long late = dueBefore(t, ctx, ctx.now().minus(LATE));
    long due = dueBefore(t, ctx, ctx.now());
    Views.figures(out, new String[][] {
        {"pending", Html.num(pending), ""},
        {"due now", Html.num(due), ""},
        {"late (> 1 min)", Html.num(late), late > 0 ? "warn" : ""},
        {"dead timers", Html.num(dead), dead > 0 ? "bad" : ""}});
    if (dead > 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out); // what needs attention first
    }
    Views.rates(t, ctx, out);
    out.append("<section class=\"panel\"><h2>Pending by topic</h2>");
    if (pending == 0) {
      out.append("<p class=\"muted\">No timer is pending.</p></section>");
    } else if (pending > MAX_GROUPED) {
      out.append("<p class=\"muted\">").append(Html.num(pending))
          .append(" pending: too many to group here.</p></section>");
    } else {
      List<PendingTimer> all = timers.pendingTimers();
      Map<String, Long> byTopic = new TreeMap<>();
      for (PendingTimer p : all) {
        byTopic.merge(p.topic(), 1L, Long::sum);
      }
      out.append("<table><thead><tr><th>topic</th><th class=\"num\">pending</th></tr></thead>"
          + "<tbody>");
      byTopic.forEach((topic, n) -> out.append("<tr><td>").append(Html.esc(topic))
          .append("</td><td class=\"num\">").append(Html.num(n)).append("</td></tr>"));
      out.append("</tbody></table></section>");
      out.append("<section class=\"panel\"><h2>Next due</h2><table><thead><tr><th>due</th>"
          + "<th>topic</th><th>timer</th><th>payload</th></tr></thead><tbody>");
      all.stream().sorted(Comparator.comparing(PendingTimer::due)).limit(10).forEach(p ->
          out.append("<tr><td>").append(Html.time(p.due(), ctx.now())).append("</td><td>")
              .append(Html.esc(p.topic())).append("</td><td class=\"mono\">")
              .append(Html.esc(p.timerId())).append("</td><td class=\"mono payload\">")
              .append(Html.preview(p.payloadJson(), ctx.previewChars())).append("</td></tr>"));
      out.append("</tbody></table></section>");
    }
    if (!(dead > 0)) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out);
    }
  }
}
