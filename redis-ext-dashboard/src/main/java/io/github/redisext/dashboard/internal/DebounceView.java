package io.github.redisext.dashboard.internal;

import io.github.redisext.debounce.DebounceInfo;
import io.github.redisext.debounce.DebounceTask;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.resps.Tuple;

/**
 * Debounce schedulers ({@code redis-ext-debounce}): pending and due counts, next due tasks, dead
 * letters. Counts and dead letters through {@link DebounceTask}; the next due tasks from its
 * sorted set (member = task JSON, score = due time in epoch seconds, the Python layout).
 */
public final class DebounceView implements KindView {
  @Override
  public String kind() {
    return "debounce";
  }

  @Override
  public String title() {
    return "Debounce";
  }

  private static DebounceTask<Object> task(Target t, Context ctx) {
    return ctx.handles().get(t.id(),
        () -> DebounceTask.create(ctx.client(), t.name(), Object.class));
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    DebounceInfo i = task(t, ctx).info();
    int attention = i.deadLetters() > 0 ? 2 : i.overdue() > 0 ? 1 : 0;
    return new Summary(t, i.remaining(), i.processing(), i.deadLetters(),
        i.remaining() + " pending, " + i.overdue() + " due", attention);
  }

  @Override
  public DeadLetterSource deadLetters(Target t, Context ctx) {
    DebounceTask<Object> d = task(t, ctx);
    return DeadLetterSource.of(d::deadLetters, d::deadLetterCount, d::requeue,
        d::requeueAllDeadLetters, d::purge, d::purgeAllDeadLetters);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    DebounceTask<Object> d = task(t, ctx);
    DebounceInfo i = d.info();
    Views.figures(out, new String[][] {
        {"pending", Html.num(i.remaining()), ""},
        {"due now", Html.num(i.overdue()), i.overdue() > 0 ? "warn" : ""},
        {"processing", Html.num(i.processing()), ""},
        {"dead letters", Html.num(i.deadLetters()), i.deadLetters() > 0 ? "bad" : ""}});
    if (i.deadLetters() > 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out); // what needs attention first
    }
    Views.rates(t, ctx, out);
    out.append("<section class=\"panel\"><h2>Next due</h2>");
    List<Tuple> next = ctx.client().zrangeWithScores(d.key(), 0, 9);
    if (next.isEmpty()) {
      out.append("<p class=\"muted\">Nothing pending.</p>");
    } else {
      out.append("<table><thead><tr><th>due</th><th>task</th></tr></thead><tbody>");
      for (Tuple e : next) {
        Instant due = Instant.ofEpochMilli(Math.round(e.getScore() * 1000));
        out.append("<tr><td>").append(Html.time(due, ctx.now()))
            .append("</td><td class=\"mono payload\">")
            .append(Html.preview(e.getElement(), ctx.previewChars())).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("</section>");
    if (!(i.deadLetters() > 0)) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out);
    }
  }
}
