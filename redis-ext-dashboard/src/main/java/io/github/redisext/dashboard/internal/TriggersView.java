package io.github.redisext.dashboard.internal;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.triggers.TriggerKey;
import io.github.redisext.triggers.TriggersOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.resps.Tuple;

/**
 * Expiry triggers ({@code redis-ext-triggers}), one tenant: outstanding (armed, not fired), due
 * and not fired yet, late (due over a minute ago), firing now, the next due triggers, dead
 * triggers with requeue and purge. Counts and dead letters through an {@link ExpiryTriggers}
 * built with the tenant's shard count from the registry (never started: it fires nothing); the
 * due and firing figures from the documented keys {@code {t:rx-triggers:i}:due} (trigger key →
 * due time in epoch ms, the lease deadline while firing) and {@code {t:rx-triggers:i}:leases}.
 */
public final class TriggersView implements KindView {
  /** A trigger due longer ago than this and not fired is late. */
  public static final Duration LATE = Duration.ofMinutes(1);

  @Override
  public String kind() {
    return "triggers";
  }

  @Override
  public String title() {
    return "Expiry triggers";
  }

  /**
   * {@code tenant} or {@code tenant:shards} (a tenant has no {@code ':'}): the shard count
   * defaults to the module's.
   */
  @Override
  public Target named(String name) {
    int colon = name.indexOf(':');
    if (colon > 0 && name.substring(colon + 1).matches("[0-9]{1,4}")) {
      return new Target(kind(), name.substring(0, colon),
          Map.of("shards", name.substring(colon + 1)), null);
    }
    return KindView.super.named(name);
  }

  private static int shards(Target t) {
    String s = t.keys().get("shards");
    return s == null ? TriggersOptions.DEFAULT_SHARDS : Integer.parseInt(s);
  }

  private static ExpiryTriggers triggers(Target t, Context ctx) {
    return ctx.handles().get(t.id(), () -> ExpiryTriggers.create(ctx.client(), t.name(),
        TriggersOptions.builder().shards(shards(t)).build()));
  }

  private static String shardKey(Target t, int shard, String suffix) {
    return "{" + t.name() + ":rx-triggers:" + shard + "}:" + suffix;
  }

  /** Triggers whose due time (or lease deadline) is before {@code before}, over every shard. */
  private static long dueBefore(Target t, Context ctx, Instant before) {
    long n = 0;
    for (int s = 0; s < shards(t); s++) {
      String due = shardKey(t, s, "due");
      n += KeyTypes.call(ctx.client(), () -> ctx.client().zcount(due, Double.NEGATIVE_INFINITY,
          before.toEpochMilli()), due, "zset");
    }
    return n;
  }

  private static long firing(Target t, Context ctx) {
    long n = 0;
    for (int s = 0; s < shards(t); s++) {
      String leases = shardKey(t, s, "leases");
      n += KeyTypes.call(ctx.client(), () -> ctx.client().hlen(leases), leases, "hash");
    }
    return n;
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    ExpiryTriggers tr = triggers(t, ctx);
    long outstanding = tr.pendingCount();
    long dead = tr.deadLetterCount();
    long due = dueBefore(t, ctx, ctx.now());
    long late = dueBefore(t, ctx, ctx.now().minus(LATE));
    String note = outstanding + " outstanding, " + due + " due" + (late > 0 ? ", " + late
        + " late" : "");
    return new Summary(t, outstanding, firing(t, ctx), dead, note,
        dead > 0 ? 2 : late > 0 ? 1 : 0);
  }

  @Override
  public DeadLetterSource deadLetters(Target t, Context ctx) {
    ExpiryTriggers tr = triggers(t, ctx);
    return DeadLetterSource.of(tr::deadLetters, tr::deadLetterCount, tr::requeue,
        tr::requeueAllDeadLetters, tr::purge, tr::purgeAllDeadLetters);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    ExpiryTriggers tr = triggers(t, ctx);
    long outstanding = tr.pendingCount();
    long dead = tr.deadLetterCount();
    long due = dueBefore(t, ctx, ctx.now());
    long late = dueBefore(t, ctx, ctx.now().minus(LATE));
    long firing = firing(t, ctx);
    Views.figures(out, new String[][] {
        {"outstanding", Html.num(outstanding), ""},
        {"due, not fired", Html.num(due), ""},
        {"late (> 1 min)", Html.num(late), late > 0 ? "warn" : ""},
        {"firing now", Html.num(firing), ""},
        {"dead triggers", Html.num(dead), dead > 0 ? "bad" : ""}});
    if (dead > 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out); // what needs attention first
    }
    Views.rates(t, ctx, out);

    List<Tuple> next = new ArrayList<>();
    for (int s = 0; s < shards(t); s++) {
      String key = shardKey(t, s, "due");
      next.addAll(KeyTypes.call(ctx.client(), () -> ctx.client().zrangeWithScores(key, 0, 9),
          key, "zset"));
    }
    next.sort(Comparator.comparingDouble(Tuple::getScore));
    out.append("<section class=\"panel\"><h2>Next due</h2>");
    if (next.isEmpty()) {
      out.append("<p class=\"muted\">No trigger is armed.</p>");
    } else {
      out.append("<table class=\"due\"><thead><tr><th>due</th><th>action</th><th>identifier"
          + "</th></tr></thead><tbody>");
      for (Tuple e : next.subList(0, Math.min(10, next.size()))) {
        Instant at = Instant.ofEpochMilli((long) e.getScore());
        TriggerKey k = TriggerKey.parse(e.getElement()).orElse(null);
        boolean isLate = at.isBefore(ctx.now().minus(LATE));
        out.append("<tr><td>").append(isLate ? "<span class=\"badge warn\">late</span> " : "")
            .append(Html.time(at, ctx.now())).append("</td><td>")
            .append(Html.esc(k == null ? "?" : k.action())).append("</td><td class=\"mono\">")
            .append(Html.esc(k == null ? e.getElement() : k.identifier())).append("</td></tr>");
      }
      out.append("</tbody></table><p class=\"muted small\">A trigger being fired shows its "
          + "lease deadline. Triggers written by Python alone appear once a Java process of the "
          + "tenant adopts them (its sweep, or the expired event).</p>");
    }
    out.append("</section>");
    if (dead == 0) {
      DeadLetterTable.render(t, deadLetters(t, ctx), ctx, out);
    }
  }
}
