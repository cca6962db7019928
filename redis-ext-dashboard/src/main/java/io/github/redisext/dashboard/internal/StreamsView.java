package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.streams.GroupInfo;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StreamInfo;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Streams ({@code redis-ext-streams}): length, consumer groups with their pending entries and lag,
 * the consumers of each group (pending, idle), the newest entries, the dead-letter stream with
 * requeue and purge. Figures and dead letters through {@link RedisStream} ({@code info()}, {@code
 * groups()}, the six dead-letter methods); consumers from {@code XINFO CONSUMERS} and the newest
 * entries from {@code XREVRANGE} of the documented key {@code stream:<name>}. A stream written by
 * Python only ({@code process-redis-events}, same layout) is shown when named ({@code --name
 * streams:orders} for {@code stream:orders}).
 */
public final class StreamsView implements KindView {
  /** A consumer idle longer than this does not count as active. */
  public static final Duration ACTIVE = Duration.ofMinutes(1);

  @Override
  public String kind() {
    return "streams";
  }

  @Override
  public String title() {
    return "Stream";
  }

  private static RedisStream<Object> stream(Target t, Context ctx) {
    return ctx.handles().get(t.id(),
        () -> RedisStream.create(ctx.client(), t.name(), Object.class));
  }

  /** The figures of a stream: summed over its groups. */
  private record Figures(StreamInfo info, List<GroupInfo> groups, long pending, long lag,
      boolean lagKnown, long dead) {}

  private static Figures figures(RedisStream<Object> s) {
    StreamInfo info = s.info();
    List<GroupInfo> groups = info.groups() == 0 ? List.of() : s.groups();
    long pending = 0;
    long lag = 0;
    boolean known = true;
    for (GroupInfo g : groups) {
      pending += g.pending();
      if (g.lag() < 0) {
        known = false;
      } else {
        lag += g.lag();
      }
    }
    return new Figures(info, groups, pending, lag, known, s.deadLetterCount());
  }

  /**
   * Whether some group has entries not yet delivered: its lag, or where Redis does not tell it
   * (6.2), its last delivered id before the stream's newest entry.
   */
  private static boolean behind(Figures f) {
    if (f.lag() > 0) {
      return true;
    }
    String newest = f.info().lastEntryId();
    if (f.lagKnown() || newest == null) {
      return false;
    }
    for (GroupInfo g : f.groups()) {
      if (g.lag() < 0 && new StreamEntryID(g.lastDeliveredId()).compareTo(
          new StreamEntryID(newest)) < 0) {
        return true;
      }
    }
    return false;
  }

  private static List<StreamConsumerInfo> consumers(Target t, Context ctx, RedisStream<?> s,
      String group) {
    String key = s.key();
    return KeyTypes.call(ctx.client(), () -> ctx.client().xinfoConsumers2(key, group), key,
        "stream");
  }

  /** Whether some consumer of some group read or acknowledged within {@link #ACTIVE}. */
  private static boolean anyActive(Target t, Context ctx, RedisStream<?> s, Figures f) {
    for (GroupInfo g : f.groups()) {
      for (StreamConsumerInfo c : consumers(t, ctx, s, g.name())) {
        if (c.getIdle() < ACTIVE.toMillis()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    RedisStream<Object> s = stream(t, ctx);
    Figures f = figures(s);
    long waiting = f.lagKnown() ? f.lag() : f.info().length();
    boolean stuck = (behind(f) || f.pending() > 0) && !anyActive(t, ctx, s, f);
    String note = f.info().length() + " entries, " + f.groups().size() + " group"
        + (f.groups().size() == 1 ? "" : "s") + (f.lagKnown() ? ", lag " + f.lag()
            : ", lag unknown") + (stuck ? "; no active consumer" : "");
    return new Summary(t, waiting, f.pending(), f.dead(), note, f.dead() > 0 ? 2 : stuck ? 1 : 0);
  }

  @Override
  public DeadLetterSource deadLetters(Target t, Context ctx) {
    RedisStream<Object> s = stream(t, ctx);
    return DeadLetterSource.of(s::deadLetters, s::deadLetterCount, c -> s.requeue(c),
        s::requeueAllDeadLetters, c -> s.purge(c), s::purgeAllDeadLetters);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    RedisStream<Object> s = stream(t, ctx);
    Figures f = figures(s);
    Views.figures(out, new String[][] {
        {"entries", Html.num(f.info().length()), ""},
        {"groups", Html.num(f.groups().size()), ""},
        {"pending", Html.num(f.pending()), ""},
        {"lag", f.lagKnown() ? Html.num(f.lag()) : "?", f.lag() > 0 ? "warn" : ""},
        {"dead letters", Html.num(f.dead()), f.dead() > 0 ? "bad" : ""}});
    if (f.dead() > 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out); // what needs attention first
    }
    Views.rates(t, ctx, out);

    out.append("<section class=\"panel\"><h2>Consumer groups</h2>");
    if (f.groups().isEmpty()) {
      out.append("<p class=\"muted\">No consumer group reads this stream.</p>");
    } else {
      out.append("<table class=\"groups\"><thead><tr><th>group</th><th class=\"num\">consumers"
          + "</th><th class=\"num\">pending</th><th class=\"num\">lag</th><th>last delivered</th>"
          + "<th class=\"num\">entries read</th></tr></thead><tbody>");
      for (GroupInfo g : f.groups()) {
        out.append("<tr data-group=\"").append(Html.esc(g.name())).append("\"><td>")
            .append(Html.esc(g.name())).append("</td><td class=\"num\">")
            .append(Html.num(g.consumers())).append("</td><td class=\"num\" data-col=\"pending\">")
            .append(Html.num(g.pending())).append("</td><td class=\"num\" data-col=\"lag\">")
            .append(g.lag() < 0 ? "<span class=\"muted\" title=\"Redis 7.0 or newer tells the lag"
                + "\">?</span>" : Html.num(g.lag()))
            .append("</td><td class=\"mono\">").append(Html.esc(g.lastDeliveredId()))
            .append("</td><td class=\"num\">")
            .append(g.entriesRead() < 0 ? "?" : Html.num(g.entriesRead())).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("</section>");

    if (!f.groups().isEmpty()) {
      out.append("<section class=\"panel\"><h2>Consumers</h2><table class=\"consumers\"><thead>"
          + "<tr><th>group</th><th>consumer</th><th class=\"num\">pending</th><th>last seen</th>"
          + "</tr></thead><tbody>");
      int rows = 0;
      for (GroupInfo g : f.groups()) {
        for (StreamConsumerInfo c : consumers(t, ctx, s, g.name())) {
          if (rows++ >= ctx.listLimit()) {
            break;
          }
          boolean idle = c.getIdle() >= ACTIVE.toMillis();
          out.append("<tr><td>").append(Html.esc(g.name())).append("</td><td class=\"mono\">")
              .append(Html.esc(c.getName())).append("</td><td class=\"num\">")
              .append(Html.num(c.getPending())).append("</td><td>")
              .append(idle ? "<span class=\"badge warn\">idle</span> " : "")
              .append(Html.esc(Html.span(Duration.ofMillis(c.getIdle())))).append(" ago</td></tr>");
        }
      }
      if (rows == 0) {
        out.append("<tr><td colspan=\"4\" class=\"muted\">No consumer has joined.</td></tr>");
      }
      out.append("</tbody></table></section>");
    }

    out.append("<section class=\"panel\"><h2>Newest entries</h2>");
    String key = s.key();
    List<StreamEntry> newest = KeyTypes.call(ctx.client(), () -> ctx.client().xrevrange(key,
        StreamEntryID.MAXIMUM_ID, StreamEntryID.MINIMUM_ID, 10), key, "stream");
    if (newest.isEmpty()) {
      out.append("<p class=\"muted\">The stream is empty.</p>");
    } else {
      out.append("<table><thead><tr><th>id</th><th>data</th></tr></thead><tbody>");
      for (StreamEntry e : newest) {
        String data = e.getFields().containsKey("data") ? e.getFields().get("data")
            : e.getFields().toString();
        out.append("<tr><td class=\"mono\">").append(Html.esc(e.getID().toString()))
            .append("</td><td class=\"mono payload\">")
            .append(Html.preview(data, ctx.previewChars())).append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    out.append("</section>");
    if (f.dead() == 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out);
    }
  }
}
