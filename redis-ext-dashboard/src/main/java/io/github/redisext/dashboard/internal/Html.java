package io.github.redisext.dashboard.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * HTML text helpers: every text that comes from Redis or from a request goes through {@link
 * #esc}; numbers and durations are formatted here.
 */
public final class Html {
  private Html() {}

  /** {@code s} escaped for HTML text and attribute values ({@code & < > " '}); null gives "". */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append('\uFFFD'); // control characters are not valid in HTML text
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** {@code s} for a URL query value. */
  public static String url(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  /**
   * {@code s} cut to {@code max} characters (not splitting a surrogate pair), escaped, with an
   * ellipsis and the full length when cut.
   */
  public static String preview(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return esc(s);
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return esc(s.substring(0, end)) + "<span class=\"cut\">… (" + String.format("%,d", s.length())
        + " characters)</span>";
  }

  /** Whether {@link #preview} would cut {@code s}. */
  public static boolean isCut(String s, int max) {
    return s != null && s.length() > max;
  }

  /** A count with thousands separators. */
  public static String num(long n) {
    return String.format("%,d", n);
  }

  /** {@code at} relative to {@code now}: "in 12 s", "3 min ago". */
  public static String relative(Instant at, Instant now) {
    Duration d = Duration.between(now, at);
    boolean future = !d.isNegative();
    String span = span(d.abs());
    return future ? "in " + span : span + " ago";
  }

  /** A short human duration: "850 ms", "12 s", "4 min", "3 h", "2 d". */
  public static String span(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 100_000) {
      return (ms / 100) / 10.0 + " s";
    }
    if (ms < 120 * 60_000L) {
      return ms / 60_000 + " min";
    }
    if (ms < 48 * 3_600_000L) {
      return ms / 3_600_000 + " h";
    }
    return ms / 86_400_000L + " d";
  }

  /** An instant shown relative to now with the exact UTC time as a tooltip. */
  public static String time(Instant at, Instant now) {
    if (at == null) {
      return "";
    }
    return "<time datetime=\"" + esc(at.toString()) + "\" title=\"" + esc(at.toString()) + "\">"
        + esc(relative(at, now)) + "</time>";
  }
}
