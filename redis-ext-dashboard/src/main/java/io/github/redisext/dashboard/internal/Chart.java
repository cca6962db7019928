package io.github.redisext.dashboard.internal;

import java.time.Instant;

/**
 * Small inline SVG charts of per-minute counts: processed as bars, failed as red bars on top.
 * Only numbers go into the SVG; the caption is escaped.
 */
public final class Chart {
  /** Minutes shown on a page (three hours). */
  public static final int PAGE_MINUTES = 180;
  /** Minutes shown in an overview row (one hour). */
  public static final int ROW_MINUTES = 60;

  private Chart() {}

  /**
   * A chart of {@code processed} and {@code failed} (same length, oldest first).
   *
   * @param width the SVG's width in px
   * @param height the SVG's height in px
   */
  public static String bars(long[] processed, long[] failed, int width, int height) {
    int n = processed.length;
    long max = 1;
    long sumP = 0;
    long sumF = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, processed[i] + failed[i]);
      sumP += processed[i];
      sumF += failed[i];
    }
    double w = (double) width / n;
    StringBuilder b = new StringBuilder(256 + n * 80);
    b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" role=\"img\"><title>")
        .append(Html.esc(n + " min: " + Html.num(sumP) + " processed, " + Html.num(sumF)
            + " failed; peak " + Html.num(max) + "/min"))
        .append("</title><rect class=\"chart-bg\" x=\"0\" y=\"0\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\"/>");
    for (int i = 0; i < n; i++) {
      double x = i * w;
      double hp = processed[i] * (height - 1.0) / max;
      double hf = failed[i] * (height - 1.0) / max;
      if (processed[i] > 0) {
        b.append("<rect class=\"ok\" x=\"").append(fmt(x)).append("\" y=\"")
            .append(fmt(height - hp - hf)).append("\" width=\"").append(fmt(Math.max(w - 0.5, 0.5)))
            .append("\" height=\"").append(fmt(Math.max(hp, 1))).append("\"/>");
      }
      if (failed[i] > 0) {
        b.append("<rect class=\"fail\" x=\"").append(fmt(x)).append("\" y=\"")
            .append(fmt(height - Math.max(hf, 2))).append("\" width=\"").append(fmt(Math.max(w - 0.5, 0.5)))
            .append("\" height=\"").append(fmt(Math.max(hf, 2))).append("\"/>");
      }
    }
    return b.append("</svg>").toString();
  }

  /** A chart with its totals as a caption, or a note when nothing was recorded. */
  public static String figure(RateStore rates, Target t, int minutes, Instant now, int width,
      int height) {
    long[][] r = rates.read(t.kind(), t.name(), minutes, now);
    long p = 0;
    long f = 0;
    for (int i = 0; i < minutes; i++) {
      p += r[0][i];
      f += r[1][i];
    }
    StringBuilder b = new StringBuilder();
    b.append("<figure class=\"rates\">").append(bars(r[0], r[1], width, height))
        .append("<figcaption>last ").append(minutes >= 120 ? minutes / 60 + " h" : minutes + " min")
        .append(": <b>").append(Html.num(p)).append("</b> processed, <b")
        .append(f > 0 ? " class=\"bad-text\"" : "").append(">").append(Html.num(f))
        .append("</b> failed</figcaption></figure>");
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
