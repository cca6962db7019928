package io.github.redisext.dashboard.internal;

import io.github.redisext.core.KeySpace;

/**
 * Id namespaces ({@code redis-ext-uniqueid}): the name-to-id counter and the fast sequence, read
 * from their documented keys ({@code <klass>:auto}, {@code <klass>:seq}).
 */
public final class UniqueIdView implements KindView {
  @Override
  public String kind() {
    return "uniqueid";
  }

  @Override
  public String title() {
    return "UniqueId";
  }

  private static long read(Context ctx, String key) {
    String v = ctx.client().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static String counter(Target t, Context ctx) {
    return t.keys().getOrDefault("counter", KeySpace.forName(t.name(), ctx.client()).key("auto"));
  }

  private static String sequence(Target t, Context ctx) {
    return t.keys().getOrDefault("sequence", KeySpace.forName(t.name(), ctx.client()).key("seq"));
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    long ids = read(ctx, counter(t, ctx));
    long seq = read(ctx, sequence(t, ctx));
    return new Summary(t, ids, -1, -1, Html.num(ids) + " ids given, sequence at " + Html.num(seq),
        0);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    Views.figures(out, new String[][] {
        {"ids given to names", Html.num(read(ctx, counter(t, ctx))), ""},
        {"sequence", Html.num(read(ctx, sequence(t, ctx))), ""}});
    out.append("<section class=\"panel\"><h2>Keys</h2><dl class=\"facts\"><dt>counter</dt><dd>"
        + "<code>").append(Html.esc(counter(t, ctx))).append("</code></dd><dt>sequence</dt><dd>"
        + "<code>").append(Html.esc(sequence(t, ctx))).append("</code></dd></dl></section>");
  }
}
