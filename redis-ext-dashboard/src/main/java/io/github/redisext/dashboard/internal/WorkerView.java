package io.github.redisext.dashboard.internal;

import io.github.redisext.core.KeySpace;
import io.github.redisext.worker.WorkQueue;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.resps.Tuple;

/**
 * Worker queues ({@code redis-ext-worker}): waiting, delayed (retries), in flight per worker with
 * lease deadlines, live workers, dead letters. Counts and dead letters through {@link WorkQueue};
 * the per-worker detail from the keys the worker README documents ({@code K:workers}, {@code
 * K:inflight:<w>}, {@code K:delayed}, {@code K:parked}).
 */
public final class WorkerView implements KindView {
  @Override
  public String kind() {
    return "worker";
  }

  @Override
  public String title() {
    return "Worker queue";
  }

  private static WorkQueue<Object> queue(Target t, Context ctx) {
    return ctx.handles().get(t.id(), () -> WorkQueue.create(ctx.client(), t.name(), Object.class));
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    WorkQueue<Object> q = queue(t, ctx);
    long waiting = q.length();
    long delayed = q.delayedCount();
    long inFlight = q.inFlightCount();
    long dead = q.deadLetterCount();
    long live = liveWorkers(t, ctx);
    String note = waiting + " waiting, " + delayed + " delayed; " + live + " live worker"
        + (live == 1 ? "" : "s");
    int attention = dead > 0 ? 2 : (waiting + delayed > 0 && live == 0) ? 1 : 0;
    return new Summary(t, waiting + delayed, inFlight, dead, note, attention);
  }

  private static long liveWorkers(Target t, Context ctx) {
    String workers = KeySpace.forName(t.name(), ctx.client()).key("workers");
    return ctx.client().zcount(workers, ctx.now().toEpochMilli(), Double.POSITIVE_INFINITY);
  }

  @Override
  public DeadLetterSource deadLetters(Target t, Context ctx) {
    WorkQueue<Object> q = queue(t, ctx);
    return DeadLetterSource.of(q::deadLetters, q::deadLetterCount, q::requeue,
        q::requeueAllDeadLetters, q::purge, q::purgeAllDeadLetters);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    WorkQueue<Object> q = queue(t, ctx);
    KeySpace keys = KeySpace.forName(t.name(), ctx.client());
    long waiting = q.length();
    long delayed = q.delayedCount();
    long inFlight = q.inFlightCount();
    long dead = q.deadLetterCount();
    List<Tuple> workers = ctx.client().zrangeWithScores(keys.key("workers"), 0, -1);
    long live = workers.stream().filter(w -> w.getScore() >= ctx.now().toEpochMilli()).count();
    Views.figures(out, new String[][] {
        {"waiting", Html.num(waiting), waiting > 0 && live == 0 ? "warn" : ""},
        {"delayed", Html.num(delayed), ""},
        {"in flight", Html.num(inFlight), ""},
        {"live workers", Html.num(live), live == 0 && waiting + delayed > 0 ? "warn" : ""},
        {"dead letters", Html.num(dead), dead > 0 ? "bad" : ""}});
    if (dead > 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out); // what needs attention first
    }
    Views.rates(t, ctx, out);

    out.append("<section class=\"panel\"><h2>Workers</h2>");
    if (workers.isEmpty()) {
      out.append("<p class=\"muted\">No worker has registered on this queue.</p>");
    } else {
      out.append("<table><thead><tr><th>worker</th><th>lease</th><th class=\"num\">in flight</th>"
          + "</tr></thead><tbody>");
      for (Tuple w : workers) {
        Instant deadline = Instant.ofEpochMilli((long) w.getScore());
        boolean expired = deadline.isBefore(ctx.now());
        long held = ctx.client().hlen(keys.key("inflight", w.getElement()));
        out.append("<tr><td class=\"mono\">").append(Html.esc(w.getElement())).append("</td><td>")
            .append(expired ? "<span class=\"badge warn\">expired</span> " : "")
            .append(Html.time(deadline, ctx.now())).append("</td><td class=\"num\">")
            .append(Html.num(held)).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("</section>");

    out.append("<section class=\"panel\"><h2>Next waiting</h2>");
    List<String> head = ctx.client().lrange(keys.prefix(), 0, ctx.listLimit() > 10 ? 9 : 4);
    if (head.isEmpty()) {
      out.append("<p class=\"muted\">The queue is empty.</p>");
    } else {
      out.append("<ol class=\"payloads mono\">");
      for (String p : head) {
        out.append("<li>").append(Html.preview(p, ctx.previewChars())).append("</li>");
      }
      out.append("</ol>");
    }
    out.append("</section>");

    if (delayed > 0) {
      out.append("<section class=\"panel\"><h2>Delayed (retries)</h2><table><thead><tr>"
          + "<th>id</th><th>due</th><th>payload</th></tr></thead><tbody>");
      List<Tuple> next = ctx.client().zrangeWithScores(keys.key("delayed"), 0, 9);
      List<String> payloads = ctx.client().hmget(keys.key("parked"),
          next.stream().map(Tuple::getElement).toArray(String[]::new));
      for (int i = 0; i < next.size(); i++) {
        out.append("<tr><td class=\"mono\">").append(Html.esc(next.get(i).getElement()))
            .append("</td><td>")
            .append(Html.time(Instant.ofEpochMilli((long) next.get(i).getScore()), ctx.now()))
            .append("</td><td class=\"mono payload\">")
            .append(Html.preview(payloads.get(i), ctx.previewChars())).append("</td></tr>");
      }
      out.append("</tbody></table></section>");
    }
    if (dead == 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out);
    }
  }
}
