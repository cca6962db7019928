package io.github.redisext.dashboard.internal;

import io.github.redisext.core.KeySpace;
import java.time.Duration;

/**
 * Locks ({@code RedisLock} of {@code redis-ext-timers}): held or free, the owner's token and the
 * lease left, the fencing counter; read from the lock's documented keys ({@code {x}:lock}, {@code
 * {x}:fence}), never changed.
 */
public final class LockView implements KindView {
  @Override
  public String kind() {
    return "lock";
  }

  @Override
  public String title() {
    return "Lock";
  }

  private record State(String owner, long pttl, String fence) {}

  private static State read(Target t, Context ctx) {
    KeySpace space = KeySpace.tagged(t.name());
    String lock = t.keys().getOrDefault("lock", space.key("lock"));
    String fence = t.keys().getOrDefault("fence", space.key("fence"));
    return new State(ctx.client().get(lock), ctx.client().pttl(lock), ctx.client().get(fence));
  }

  @Override
  public Summary summarize(Target t, Context ctx) {
    State s = read(t, ctx);
    String note = s.owner() == null ? "free"
        : "held, lease " + (s.pttl() >= 0 ? "ends in " + Html.span(Duration.ofMillis(s.pttl()))
            : "without expiry");
    return new Summary(t, s.owner() == null ? 0 : 1, -1, -1, note, 0);
  }

  @Override
  public void render(Target t, Context ctx, StringBuilder out) {
    State s = read(t, ctx);
    Views.figures(out, new String[][] {
        {"state", s.owner() == null ? "free" : "held", ""},
        {"lease left", s.owner() == null ? "-" : s.pttl() >= 0
            ? Html.span(Duration.ofMillis(s.pttl())) : "no expiry", s.pttl() == -1 ? "warn" : ""},
        {"fencing token", s.fence() == null ? "0" : s.fence(), ""}});
    out.append("<section class=\"panel\"><h2>Owner</h2>");
    if (s.owner() == null) {
      out.append("<p class=\"muted\">Nobody holds the lock.</p>");
    } else {
      out.append("<p>Owner token <code>").append(Html.esc(s.owner())).append("</code></p>");
    }
    out.append("</section>");
  }
}
