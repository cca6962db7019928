package io.github.redisext.dashboard.internal;

import io.github.redisext.core.consumer.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The dead-letter section every kind with dead letters shares: a table (payload preview, error,
 * attempts, time) with requeue and purge per letter and for all, and the whole-letter page. A
 * letter is named in forms and links by {@link #handle}: a hash of its topic and {@link
 * DeadLetter#ref()}, so the action finds exactly the letter shown (or nothing, when it is gone).
 */
public final class DeadLetterTable {
  private DeadLetterTable() {}

  /** The form and link handle of {@code d}: 16 hex digits of SHA-256 over its topic and ref. */
  public static String handle(DeadLetter d) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(d.topic().orElse("").getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(d.ref().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The letter of {@code handle} among the first {@code scan} letters, or null. */
  public static DeadLetter find(DeadLetterSource source, String handle, int scan) {
    for (DeadLetter d : source.list(scan)) {
      if (handle(d).equals(handle)) {
        return d;
      }
    }
    return null;
  }

  /** Appends the dead-letter section of {@code t}. */
  public static void render(Target t, DeadLetterSource source, Context ctx, StringBuilder out) {
    long count = source.count();
    out.append("<section class=\"panel\" id=\"dead\"><h2>Dead letters <span class=\"badge")
        .append(count > 0 ? " bad" : "").append("\" data-figure=\"dead\">").append(Html.num(count))
        .append("</span></h2>");
    if (count == 0) {
      out.append("<p class=\"muted\">None.</p></section>");
      return;
    }
    if (ctx.canAct()) {
      out.append("<div class=\"actions\">");
      form(t, ctx, "requeue-all", null, "Requeue all " + Html.num(count), "primary",
          "Requeue all " + count + " dead letters?", out);
      form(t, ctx, "purge-all", null, "Purge all", "danger",
          "Delete all " + count + " dead letters? This cannot be undone.", out);
      out.append("</div>");
    }
    List<DeadLetter> letters = source.list(ctx.listLimit());
    boolean topics = letters.stream().anyMatch(d -> d.topic().isPresent());
    out.append("<table class=\"letters\"><thead><tr><th>id</th>");
    if (topics) {
      out.append("<th>topic</th>");
    }
    out.append("<th>payload</th><th>error</th><th class=\"num\">attempts</th><th>failed</th>");
    out.append(ctx.canAct() ? "<th></th>" : "").append("</tr></thead><tbody>");
    for (DeadLetter d : letters) {
      String h = handle(d);
      String letterHref = "/k/" + t.kind() + "/letter?name=" + Html.url(t.name()) + "&amp;ref=" + h;
      out.append("<tr data-ref=\"").append(h).append("\"><td class=\"mono\">")
          .append(Html.esc(d.id())).append("</td>");
      if (topics) {
        out.append("<td>").append(Html.esc(d.topic().orElse(""))).append("</td>");
      }
      String payload = d.hasPayload() ? d.payload() : "(no payload)";
      out.append("<td class=\"payload mono\">").append(Html.preview(payload, ctx.previewChars()));
      if (Html.isCut(payload, ctx.previewChars())) {
        out.append(" <a class=\"whole\" href=\"").append(letterHref).append("\">whole</a>");
      }
      out.append("</td><td class=\"error\">").append(Html.preview(d.error(), ctx.previewChars()));
      if (Html.isCut(d.error(), ctx.previewChars())) {
        out.append(" <a class=\"whole\" href=\"").append(letterHref).append("\">whole</a>");
      }
      out.append("</td><td class=\"num\">").append(d.attempts()).append("</td><td>")
          .append(Html.time(d.failedAt(), ctx.now()));
      d.consumer().ifPresent(c -> out.append("<div class=\"muted small\">by ")
          .append(Html.esc(c)).append("</div>"));
      out.append("</td>");
      if (ctx.canAct()) {
        out.append("<td class=\"row-actions\">");
        form(t, ctx, "requeue", h, "Requeue", "primary small", null, out);
        form(t, ctx, "purge", h, "Purge", "danger small", "Delete this dead letter?", out);
        out.append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</tbody></table>");
    if (count > letters.size()) {
      out.append("<p class=\"muted\">Showing the oldest ").append(letters.size()).append(" of ")
          .append(Html.num(count)).append(".</p>");
    }
    out.append("</section>");
  }

  /** The page body of one whole letter. */
  public static void renderWhole(DeadLetter d, Context ctx, StringBuilder out) {
    out.append("<section class=\"panel\"><h2>Dead letter <span class=\"mono\">")
        .append(Html.esc(d.id())).append("</span></h2><dl class=\"facts\">");
    d.topic().ifPresent(tp -> out.append("<dt>topic</dt><dd>").append(Html.esc(tp)).append("</dd>"));
    out.append("<dt>attempts</dt><dd>").append(d.attempts()).append("</dd><dt>failed</dt><dd>")
        .append(Html.time(d.failedAt(), ctx.now())).append("</dd>");
    d.consumer().ifPresent(c -> out.append("<dt>consumer</dt><dd class=\"mono\">")
        .append(Html.esc(c)).append("</dd>"));
    out.append("<dt>payload size</dt><dd>")
        .append(d.hasPayload() ? Html.num(d.rawPayload().length) + " bytes" : "no payload")
        .append("</dd></dl><h3>Payload</h3><pre class=\"whole-text\">")
        .append(Html.esc(d.payload())).append("</pre><h3>Error</h3><pre class=\"whole-text\">")
        .append(Html.esc(d.error())).append("</pre></section>");
  }

  private static void form(Target t, Context ctx, String action, String ref, String label,
      String css, String confirm, StringBuilder out) {
    out.append("<form method=\"post\" action=\"/k/").append(t.kind()).append("/action\"");
    if (confirm != null) {
      out.append(" data-confirm=\"").append(Html.esc(confirm)).append("\"");
    }
    out.append("><input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(ctx.csrf()))
        .append("\"><input type=\"hidden\" name=\"name\" value=\"").append(Html.esc(t.name()))
        .append("\"><input type=\"hidden\" name=\"action\" value=\"").append(action).append("\">");
    if (ref != null) {
      out.append("<input type=\"hidden\" name=\"ref\" value=\"").append(ref).append("\">");
    }
    out.append("<button type=\"submit\" class=\"").append(css).append("\" data-action=\"")
        .append(action).append("\">").append(Html.esc(label)).append("</button></form>");
  }
}
