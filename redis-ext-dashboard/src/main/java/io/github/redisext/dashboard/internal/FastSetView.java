package io.github.redisext.dashboard.internal;

import io.github.redisext.core.KeySpace;
import java.util.List;

/**
 * Cached sets ({@code redis-ext-fastset}): size and version, and a sample of members, read from
 * the set's documented keys ({@code <key>:value}, {@code <key>:version}) without loading it.
 */
public final class FastSetView implements KindView {
  @Override
  public String kind() {
    return "fastset";
  }

  @Override
  public String title() {
    return "FastSet";
  }

  private static String members(Target t, Context ctx) {
    return t.keys().getOrDefault("members", KeySpace.forName(t.name(), ctx.client()).key("value"));
  }

  private static String version(Target t, Context ctx) {
    return t.keys().getOrDefault("version",
        KeySpace.forName(t.name(), ctx.client()).key("version"));
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    long size = ctx.client().scard(members(t, ctx));
    String v = ctx.client().get(version(t, ctx));
    return new Summary(t, size, -1, -1, "version " + (v == null ? "0" : v), 0);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    String members = members(t, ctx);
    long size = ctx.client().scard(members);
    String v = ctx.client().get(version(t, ctx));
    Views.figures(out, new String[][] {{"size", Html.num(size), ""},
        {"version", v == null ? "0" : v, ""}});
    out.append("<section class=\"panel\"><h2>Some members</h2>");
    List<String> some = ctx.client().srandmember(members, 20);
    if (some.isEmpty()) {
      out.append("<p class=\"muted\">The set is empty.</p>");
    } else {
      out.append("<ul class=\"payloads mono\">");
      for (String m : some) {
        out.append("<li>").append(Html.preview(m, ctx.previewChars())).append("</li>");
      }
      out.append("</ul>");
    }
    out.append("</section>");
  }
}
