package io.github.redisext.dashboard.internal;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.events.Event;
import io.github.redisext.events.EventQuery;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.EventQueueOptions;
import io.github.redisext.events.EventStatus;
import io.github.redisext.events.SubscriberInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;

/**
 * Event queues ({@code redis-ext-events}), one event type: the latest id, the live events by
 * status, the durable subscriptions with their positions, backlog, missed events, dead letters
 * and presence, the other types of the prefix, the newest events. Read through an {@link
 * EventQueue} opened with the prefix the registry recorded (never subscribed: it consumes
 * nothing): {@code count}, {@code search}, {@code searchSubscribers}; the latest id from the
 * documented counter {@code <prefix>:counter:<type>} and the types from {@code
 * <prefix>:queue_types}. Dead letters of events belong to a subscription and are requeued
 * through a running {@code Subscription}, so this page counts them and has no actions.
 */
public final class EventsView implements KindView {
  @Override
  public String kind() {
    return "events";
  }

  @Override
  public String title() {
    return "Event queue";
  }

  /**
   * {@code Type} (prefix {@code eventy}, Python eventy's default) or {@code prefix:Type} (the type
   * is what follows the last {@code ':'}).
   */
  @Override
  public Target named(String name) {
    int colon = name.lastIndexOf(':');
    if (colon > 0 && colon < name.length() - 1) {
      return new Target(kind(), name.substring(colon + 1),
          Map.of("prefix", name.substring(0, colon)), null);
    }
    return KindView.super.named(name);
  }

  /** The other types registered under {@code t}'s prefix ({@code <prefix>:queue_types}). */
  @Override
  public List<Target> expand(Target t, UnifiedJedis client) {
    String typesKey = prefix(t) + ":queue_types";
    List<Target> out = new java.util.ArrayList<>();
    for (String type : new TreeSet<>(KeyTypes.call(client, () -> client.smembers(typesKey),
        typesKey, "set"))) {
      out.add(new Target(kind(), type, Map.of("prefix", prefix(t)), null));
    }
    return out;
  }

  @Override
  public String expansionKey(Target t) {
    return prefix(t);
  }

  private static String prefix(Target t) {
    return t.keys().getOrDefault("prefix", EventQueueOptions.DEFAULT_PREFIX);
  }

  private static EventQueue<Object> queue(Target t, Context ctx) {
    return ctx.handles().get(t.id(), () -> EventQueue.create(ctx.client(), t.name(),
        JsonCodec.of(Object.class, JsonStyle.PYTHON),
        EventQueueOptions.builder().prefix(prefix(t)).build()));
  }

  private static long latestId(Target t, Context ctx) {
    String key = prefix(t) + ":counter:" + t.name();
    String v = KeyTypes.call(ctx.client(), () -> ctx.client().get(key), key, "string");
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Sums over the subscriptions. */
  private record Totals(long backlog, long handedOut, long missed, long dead, long stuck) {}

  private static Totals totals(List<SubscriberInfo> subs) {
    long backlog = 0;
    long out = 0;
    long missed = 0;
    long dead = 0;
    long stuck = 0;
    for (SubscriberInfo s : subs) {
      backlog += s.backlog();
      out += Math.max(0, s.cursor() - s.position());
      missed += s.missed();
      dead += s.deadLetters();
      if (!s.alive() && s.backlog() > 0) {
        stuck++;
      }
    }
    return new Totals(backlog, out, missed, dead, stuck);
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    EventQueue<Object> q = queue(t, ctx);
    List<SubscriberInfo> subs = q.searchSubscribers();
    Totals s = totals(subs);
    String note = q.count() + " live events, " + subs.size() + " subscription"
        + (subs.size() == 1 ? "" : "s") + (s.missed() > 0 ? ", " + s.missed() + " missed" : "")
        + (s.stuck() > 0 ? "; " + s.stuck() + " behind with no consumer" : "");
    return new Summary(t, s.backlog(), s.handedOut(), s.dead(), note,
        s.dead() > 0 ? 2 : s.stuck() > 0 ? 1 : 0);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    EventQueue<Object> q = queue(t, ctx);
    List<SubscriberInfo> subs = q.searchSubscribers();
    Totals s = totals(subs);
    long live = q.count();
    Views.figures(out, new String[][] {
        {"latest id", Html.num(latestId(t, ctx)), ""},
        {"live events", Html.num(live), ""},
        {"subscriptions", Html.num(subs.size()), s.stuck() > 0 ? "warn" : ""},
        {"backlog", Html.num(s.backlog()), ""},
        {"missed", Html.num(s.missed()), s.missed() > 0 ? "warn" : ""},
        {"dead letters", Html.num(s.dead()), s.dead() > 0 ? "bad" : ""}});
    Views.rates(t, ctx, out);

    out.append("<section class=\"panel\"><h2>Subscriptions</h2>");
    if (subs.isEmpty()) {
      out.append("<p class=\"muted\">No durable subscription reads this type.</p>");
    } else {
      out.append("<table class=\"subscriptions\"><thead><tr><th>subscription</th><th>mode</th>"
          + "<th class=\"num\">position</th><th class=\"num\">handed out up to</th>"
          + "<th class=\"num\">backlog</th><th class=\"num\">missed</th>"
          + "<th class=\"num\">dead</th><th class=\"num\">resets</th><th>consumer</th></tr>"
          + "</thead><tbody>");
      int rows = 0;
      for (SubscriberInfo i : subs) {
        if (rows++ >= ctx.listLimit()) {
          break;
        }
        out.append("<tr data-subscription=\"").append(Html.esc(i.name())).append("\"><td>")
            .append(Html.esc(i.name())).append("</td><td>")
            .append(i.mode() == null ? "?" : i.mode().name().toLowerCase(java.util.Locale.ROOT))
            .append("</td><td class=\"num\" data-col=\"position\">").append(Html.num(i.position()))
            .append("</td><td class=\"num\">").append(Html.num(i.cursor()))
            .append("</td><td class=\"num\" data-col=\"backlog\">").append(Html.num(i.backlog()))
            .append("</td><td class=\"num").append(i.missed() > 0 ? " warn-text" : "")
            .append("\" data-col=\"missed\">").append(Html.num(i.missed()))
            .append("</td><td class=\"num").append(i.deadLetters() > 0 ? " bad-text" : "")
            .append("\" data-col=\"dead\">").append(Html.num(i.deadLetters()))
            .append("</td><td class=\"num\">").append(Html.num(i.resets())).append("</td><td>")
            .append(i.alive() ? "alive, until " + Html.time(i.aliveUntil(), ctx.now())
                : "<span class=\"badge" + (i.backlog() > 0 ? " warn" : "") + "\">none</span>")
            .append("</td></tr>");
      }
      out.append("</tbody></table><p class=\"muted small\">Position: every event up to it was "
          + "handled, missed or dead-lettered. Dead letters belong to their subscription: a "
          + "running <code>Subscription</code> requeues them (<code>requeueAllDeadLetters()"
          + "</code>).</p>");
    }
    out.append("</section>");

    out.append("<section class=\"panel\"><h2>Live events by status</h2><table><tbody>");
    for (EventStatus st : List.of(EventStatus.PROCESSING, EventStatus.PROCESSED,
        EventStatus.ERROR)) {
      long n = q.count(EventQuery.builder().status(st).build());
      out.append("<tr><td>").append(st.name().toLowerCase(java.util.Locale.ROOT))
          .append("</td><td class=\"num\" data-status=\"").append(st.name()).append("\">")
          .append(Html.num(n)).append("</td></tr>");
    }
    out.append("</tbody></table></section>");

    out.append("<section class=\"panel\"><h2>Newest events</h2>");
    List<Event<Object>> newest = q.search(EventQuery.builder().limit(10).build()).events();
    if (newest.isEmpty()) {
      out.append("<p class=\"muted\">No live event.</p>");
    } else {
      out.append("<table><thead><tr><th class=\"num\">id</th><th>status</th><th>created</th>"
          + "<th>payload</th></tr></thead><tbody>");
      for (Event<Object> e : newest) {
        String payload = e.rawPayload() == null ? ""
            : new String(e.rawPayload(), StandardCharsets.UTF_8);
        out.append("<tr><td class=\"num\">").append(e.id()).append("</td><td>")
            .append(Html.esc(e.statusText())).append("</td><td>")
            .append(Html.time(e.createdAt(), ctx.now())).append("</td><td class=\"mono payload\">")
            .append(Html.preview(payload, ctx.previewChars())).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("</section>");

    String typesKey = prefix(t) + ":queue_types";
    TreeSet<String> types = new TreeSet<>(KeyTypes.call(ctx.client(),
        () -> ctx.client().smembers(typesKey), typesKey, "set"));
    out.append("<section class=\"panel\"><h2>Types registered under <code>")
        .append(Html.esc(prefix(t))).append("</code></h2>");
    if (types.isEmpty()) {
      out.append("<p class=\"muted\">None (<code>QueueManager.register</code> adds them).</p>");
    } else {
      out.append("<p>");
      boolean first = true;
      for (String type : types) {
        out.append(first ? "" : ", ");
        first = false;
        Target other = new Target(kind(), type, t.keys(), null);
        out.append("<a href=\"").append(Html.esc(other.href())).append("\">")
            .append(Html.esc(type)).append("</a>");
      }
      out.append("</p>");
    }
    out.append("</section>");
  }
}
