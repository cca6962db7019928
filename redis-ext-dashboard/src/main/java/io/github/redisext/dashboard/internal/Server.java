package io.github.redisext.dashboard.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.dashboard.DashboardOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The HTTP side: the JDK's {@link HttpServer} (no dependency), routes, pages, write actions and
 * their protection. Every page is rendered here, on the server, with every text escaped; the only
 * script is {@code /assets/app.js} (live refresh and confirmations), served from the jar under a
 * Content-Security-Policy that allows nothing else.
 */
public final class Server implements AutoCloseable {
  /** The most primitives listed on the overview. */
  public static final int MAX_OVERVIEW = 500;
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
      + "base-uri 'none'";

  private final UnifiedJedis client;
  private final DashboardOptions options;
  private final Sessions sessions;
  private final Catalog catalog;
  private final Handles handles = new Handles();
  private final RateStore rates;
  private final HttpServer http;
  private final ExecutorService pool;
  private final boolean loopback;
  private List<Summary> summaries;
  private long summariesAt;

  /** Binds and starts serving. */
  public Server(UnifiedJedis client, DashboardOptions options) throws IOException {
    this.client = client;
    this.options = options;
    this.sessions = new Sessions(options.writeToken().orElse(null));
    this.catalog = new Catalog(client, options.names());
    this.rates = new RateStore(client);
    InetAddress addr = InetAddress.getByName(options.host());
    this.loopback = addr.isLoopbackAddress();
    this.http = HttpServer.create(new InetSocketAddress(addr, options.port()), 64);
    this.pool = Executors.newFixedThreadPool(4, NamedThreads.factory("redis-ext-dashboard", true));
    http.setExecutor(pool);
    http.createContext("/", this::handle);
    http.start();
  }

  /** The port bound. */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
    handles.close();
  }

  // ------------------------------------------------------------------ dispatch

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Headers h = ex.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Referrer-Policy", "same-origin");
      h.set("Cache-Control", "no-store");
      if (!hostAllowed(ex)) {
        send(ex, 421, "text/plain", "this dashboard answers only to localhost names");
        return;
      }
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        if (path.startsWith("/assets/") && "GET".equals(method)) {
          asset(ex, path.substring("/assets/".length()));
        } else if ("/".equals(path) && "GET".equals(method)) {
          overview(ex);
        } else if ("/api/overview".equals(path) && "GET".equals(method)) {
          overviewJson(ex);
        } else if ("/login".equals(path)) {
          login(ex);
        } else if ("/logout".equals(path) && "POST".equals(method)) {
          logout(ex);
        } else if (path.startsWith("/k/")) {
          kind(ex, path.substring(3), method);
        } else {
          page(ex, 404, "Not found", "<p>No such page.</p>", null);
        }
      } catch (RuntimeException e) {
        log.warn("dashboard request {} {} failed", method, path, e);
        page(ex, 500, "Error", "<p class=\"flash bad\">Could not read Redis: "
            + Html.esc(String.valueOf(e.getMessage())) + "</p>", null);
      }
    }
  }

  /**
   * Against DNS rebinding: a dashboard bound to the loopback interface answers only requests
   * whose Host header is a loopback name, so a web page cannot read it through a domain that
   * resolves to 127.0.0.1.
   */
  private boolean hostAllowed(HttpExchange ex) {
    if (!loopback) {
      return true;
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null) {
      return true;
    }
    String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
        : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")
        || name.startsWith("127.");
  }

  // ------------------------------------------------------------------ pages

  private Context context(HttpExchange ex) {
    String csrf = sessions.writesEnabled() ? sessions.csrf(cookie(ex, Sessions.COOKIE)) : null;
    return new Context(client, handles, rates, options.previewChars(), options.listLimit(),
        Context.serverNow(client), csrf, sessions.writesEnabled());
  }

  private void overview(HttpExchange ex) throws IOException {
    Context ctx = context(ex);
    StringBuilder live = new StringBuilder();
    List<Summary> rows = summaries(ctx);
    long failures = rows.stream().mapToLong(s -> Math.max(0, s.failures())).sum();
    long attention = rows.stream().filter(s -> s.attention() > 0).count();
    Views.figures(live, new String[][] {
        {"primitives", Html.num(rows.size()), ""},
        {"need attention", Html.num(attention), attention > 0 ? "warn" : ""},
        {"dead letters", Html.num(failures), failures > 0 ? "bad" : ""}});
    if (rows.isEmpty()) {
      live.append("<section class=\"panel\"><p>No primitive has registered yet. Primitives "
          + "register in <code>redis-ext:registry</code> when they are created; name others "
          + "with <code>--name kind:name</code>.</p></section>");
    } else {
      live.append("<section class=\"panel\"><table class=\"overview\"><thead><tr><th></th>"
          + "<th>kind</th><th>name</th><th class=\"num\">depth</th><th class=\"num\">in flight"
          + "</th><th class=\"num\">dead</th><th>state</th><th>last hour</th></tr></thead><tbody>");
      for (Summary s : rows) {
        Target t = s.target();
        KindView v = Views.of(t.kind());
        live.append("<tr class=\"att").append(s.attention()).append("\" data-id=\"")
            .append(Html.esc(t.id())).append("\"><td><span class=\"dot att")
            .append(s.attention()).append("\" title=\"")
            .append(s.attention() == 2 ? "failures" : s.attention() == 1 ? "look" : "fine")
            .append("\"></span></td><td>").append(Html.esc(v == null ? t.kind() : v.title()))
            .append("</td><td>");
        if (v != null) {
          live.append("<a href=\"").append(Html.esc(t.href())).append("\">")
              .append(Html.esc(t.name())).append("</a>");
        } else {
          live.append(Html.esc(t.name()));
        }
        live.append("</td><td class=\"num\" data-col=\"depth\">").append(cell(s.depth()))
            .append("</td><td class=\"num\" data-col=\"inflight\">").append(cell(s.inFlight()))
            .append("</td><td class=\"num").append(s.failures() > 0 ? " bad-text" : "")
            .append("\" data-col=\"dead\">").append(cell(s.failures())).append("</td><td>")
            .append(Html.esc(s.note())).append("</td><td>");
        if (s.inFlight() >= 0 && v != null) {
          try {
            long[][] r = rates.read(t.kind(), t.name(), Chart.ROW_MINUTES, ctx.now());
            live.append(Chart.bars(r[0], r[1], 120, 22));
          } catch (RuntimeException e) {
            live.append("<span class=\"muted\">-</span>");
          }
        }
        live.append("</td></tr>");
      }
      live.append("</tbody></table></section>");
    }
    respondPage(ex, ctx, "Overview", live.toString(), "/?fragment=1", null);
  }

  /**
   * The overview's rows, computed at most once per half refresh interval however many pages poll
   * (so open tabs do not multiply the reads; each row costs a few round trips).
   */
  private synchronized List<Summary> summaries(Context ctx) {
    long now = System.nanoTime();
    if (summaries == null || now - summariesAt > options.refresh().toNanos() / 2) {
      summaries = readSummaries(ctx);
      summariesAt = System.nanoTime();
    }
    return summaries;
  }

  private List<Summary> readSummaries(Context ctx) {
    List<Summary> rows = new ArrayList<>();
    for (Target t : catalog.targets()) {
      if (rows.size() >= MAX_OVERVIEW) {
        break;
      }
      KindView v = Views.of(t.kind());
      if (v == null) {
        rows.add(new Summary(t, -1, -1, -1, "no page for this kind in this dashboard", 0));
        continue;
      }
      try {
        rows.add(v.summarize(t, ctx));
      } catch (RuntimeException e) {
        rows.add(Summary.unreadable(t, e));
      }
    }
    rows.sort(Comparator.comparingInt(Summary::attention).reversed()
        .thenComparing(Comparator.comparingLong(Summary::failures).reversed())
        .thenComparing(Comparator.comparingLong(Summary::depth).reversed())
        .thenComparing(s -> s.target().id()));
    return List.copyOf(rows);
  }

  private static String cell(long n) {
    return n < 0 ? "<span class=\"muted\">-</span>" : Html.num(n);
  }

  private void overviewJson(HttpExchange ex) throws IOException {
    Context ctx = context(ex);
    JsonArray arr = new JsonArray();
    for (Summary s : summaries(ctx)) {
      JsonObject o = new JsonObject();
      o.addProperty("kind", s.target().kind());
      o.addProperty("name", s.target().name());
      o.addProperty("depth", s.depth());
      o.addProperty("inFlight", s.inFlight());
      o.addProperty("deadLetters", s.failures());
      o.addProperty("attention", s.attention());
      o.addProperty("note", s.note());
      arr.add(o);
    }
    JsonObject root = new JsonObject();
    root.addProperty("serverTime", ctx.now().toString());
    root.add("primitives", arr);
    send(ex, 200, "application/json", root.toString());
  }

  private void kind(HttpExchange ex, String rest, String method) throws IOException {
    String kind = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    String sub = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
    KindView v = Views.of(kind);
    Map<String, String> q = query(ex);
    if ("POST".equals(method) && "action".equals(sub) && v != null) {
      action(ex, v);
      return;
    }
    String name = q.get("name");
    Target t = v == null || name == null ? null : catalog.find(kind, name);
    if (t == null || !"GET".equals(method)) {
      page(ex, 404, "Not found", "<p>No " + Html.esc(kind) + " named <code>"
          + Html.esc(name) + "</code> is registered or named.</p>", null);
      return;
    }
    Context ctx = context(ex);
    if ("letter".equals(sub)) {
      DeadLetterSource src = v.deadLetters(t, ctx);
      DeadLetter d = src == null ? null : DeadLetterTable.find(src, q.getOrDefault("ref", ""),
          DashboardOptions.MAX_LIST_LIMIT);
      StringBuilder b = new StringBuilder();
      if (d == null) {
        b.append("<p class=\"flash warn\">That dead letter is gone (requeued or purged).</p>");
      } else {
        DeadLetterTable.renderWhole(d, ctx, b);
      }
      b.append("<p><a href=\"").append(Html.esc(t.href())).append("\">Back to ")
          .append(Html.esc(t.name())).append("</a></p>");
      respondPage(ex, ctx, v.title() + " " + t.name(), b.toString(), null, t);
      return;
    }
    StringBuilder live = new StringBuilder();
    v.render(t, ctx, live);
    String flash = flash(q);
    respondPage(ex, ctx, v.title() + " " + t.name(), live.toString(),
        t.href() + "&fragment=1", t, flash);
  }

  private static String flash(Map<String, String> q) {
    String done = q.get("done");
    if (done == null) {
      return null;
    }
    String n = q.getOrDefault("n", "0").replaceAll("[^0-9]", "");
    String what = switch (done) {
      case "requeue", "requeue-all" -> "Requeued " + n + " dead letter" + ("1".equals(n) ? "" : "s");
      case "purge", "purge-all" -> "Purged " + n + " dead letter" + ("1".equals(n) ? "" : "s");
      default -> null;
    };
    return what == null ? null : "<p class=\"flash ok\" id=\"flash\">" + Html.esc(what) + ".</p>";
  }

  // ------------------------------------------------------------------ writes

  private void action(HttpExchange ex, KindView v) throws IOException {
    if (!sessions.writesEnabled()) {
      page(ex, 403, "Read-only", "<p class=\"flash bad\">This dashboard is read-only: start it "
          + "with a write token (<code>--token</code>) to requeue or purge.</p>", null);
      return;
    }
    if (!sameOrigin(ex)) {
      page(ex, 403, "Refused", "<p class=\"flash bad\">Refused: the request came from another "
          + "site.</p>", null);
      return;
    }
    Map<String, String> form = form(ex);
    boolean byHeader = headerAuthorized(ex);
    if (!byHeader) {
      String session = cookie(ex, Sessions.COOKIE);
      if (sessions.csrf(session) == null) {
        ex.getResponseHeaders().set("WWW-Authenticate",
            "Basic realm=\"redis-ext dashboard\", charset=\"UTF-8\"");
        page(ex, 401, "Log in", "<p class=\"flash bad\">Log in with the write token to act.</p>",
            null);
        return;
      }
      if (!sessions.checkCsrf(session, form.get("csrf"))) {
        page(ex, 403, "Refused", "<p class=\"flash bad\">Refused: the form's CSRF token is "
            + "missing or stale; reload the page and try again.</p>", null);
        return;
      }
    }
    String name = form.get("name");
    Target t = name == null ? null : catalog.find(v.kind(), name);
    // the request is authorized: a context that may act (its csrf is not rendered anywhere)
    Context ctx = new Context(client, handles, rates, options.previewChars(), options.listLimit(),
        Context.serverNow(client), "authorized", true);
    DeadLetterSource src = t == null ? null : v.deadLetters(t, ctx);
    if (src == null) {
      page(ex, 404, "Not found", "<p>Nothing to act on.</p>", null);
      return;
    }
    String action = form.getOrDefault("action", "");
    long n;
    switch (action) {
      case "requeue-all" -> n = src.requeueAll();
      case "purge-all" -> n = src.purgeAll();
      case "requeue", "purge" -> {
        DeadLetter d = DeadLetterTable.find(src, form.getOrDefault("ref", ""),
            DashboardOptions.MAX_LIST_LIMIT);
        n = d == null ? 0 : "requeue".equals(action) ? src.requeue(List.of(d))
            : src.purge(List.of(d));
      }
      default -> {
        page(ex, 400, "Bad request", "<p>Unknown action.</p>", null);
        return;
      }
    }
    log.info("dashboard: {} on {} {}: {} dead letter(s)", action, v.kind(), name, n);
    if (byHeader) {
      send(ex, 200, "application/json", "{\"action\":\"" + action + "\",\"count\":" + n + "}");
      return;
    }
    ex.getResponseHeaders().set("Location", t.href() + "&done=" + action + "&n=" + n);
    send(ex, 303, "text/plain", "");
  }

  /** A POST's Origin (or, without it, Referer) must be this server, when the browser sends one. */
  private static boolean sameOrigin(HttpExchange ex) {
    String host = ex.getRequestHeaders().getFirst("Host");
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin == null) {
      String referer = ex.getRequestHeaders().getFirst("Referer");
      if (referer == null) {
        return true; // not a browser, or one that sends neither: the CSRF token still applies
      }
      try {
        URI r = URI.create(referer);
        origin = r.getScheme() + "://" + r.getRawAuthority();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  /** {@code Authorization: Bearer <token>} or basic auth with the token as password. */
  private boolean headerAuthorized(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return false;
    }
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return sessions.isToken(auth.substring(7).strip());
    }
    if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String userPass = new String(Base64.getDecoder().decode(auth.substring(6).strip()),
            StandardCharsets.UTF_8);
        int colon = userPass.indexOf(':');
        return colon >= 0 && sessions.isToken(userPass.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }

  private void login(HttpExchange ex) throws IOException {
    if (!sessions.writesEnabled()) {
      page(ex, 403, "Read-only", "<p>This dashboard is read-only; there is nothing to log in to."
          + "</p>", null);
      return;
    }
    String error = "";
    if ("POST".equals(ex.getRequestMethod())) {
      if (!sameOrigin(ex)) {
        page(ex, 403, "Refused", "<p class=\"flash bad\">Refused: another site.</p>", null);
        return;
      }
      Map<String, String> form = form(ex);
      if (sessions.isToken(form.get("token"))) {
        String id = sessions.open();
        ex.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=" + id
            + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + Sessions.TTL.toSeconds());
        ex.getResponseHeaders().set("Location", localPath(form.getOrDefault("back", "/")));
        send(ex, 303, "text/plain", "");
        return;
      }
      error = "<p class=\"flash bad\">Wrong token.</p>";
    }
    String back = query(ex).getOrDefault("back", "/");
    page(ex, "POST".equals(ex.getRequestMethod()) ? 401 : 200, "Log in", error
        + "<section class=\"panel narrow\"><h2>Log in to requeue and purge</h2>"
        + "<form method=\"post\" action=\"/login\" class=\"login\"><input type=\"hidden\" "
        + "name=\"back\" value=\"" + Html.esc(back) + "\"><label>Write token <input "
        + "type=\"password\" name=\"token\" autocomplete=\"current-password\" autofocus></label>"
        + "<button type=\"submit\" class=\"primary\">Log in</button></form></section>", null);
  }

  /** {@code back} when it is a path of this server (never another site: no open redirect). */
  static String localPath(String back) {
    return back.matches("/(?![/\\\\])[\\x21-\\x7e]*") ? back : "/";
  }

  private void logout(HttpExchange ex) throws IOException {
    String session = cookie(ex, Sessions.COOKIE);
    if (sameOrigin(ex) && sessions.checkCsrf(session, form(ex).get("csrf"))) {
      sessions.close(session);
    }
    ex.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE
        + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    ex.getResponseHeaders().set("Location", "/");
    send(ex, 303, "text/plain", "");
  }

  // ------------------------------------------------------------------ layout

  private void respondPage(HttpExchange ex, Context ctx, String title, String live,
      String liveSrc, Target target) throws IOException {
    respondPage(ex, ctx, title, live, liveSrc, target, null);
  }

  private void respondPage(HttpExchange ex, Context ctx, String title, String live,
      String liveSrc, Target target, String flash) throws IOException {
    if (liveSrc != null && query(ex).containsKey("fragment")) {
      send(ex, 200, "text/html; charset=utf-8", live);
      return;
    }
    StringBuilder b = new StringBuilder();
    if (target != null) {
      b.append("<p class=\"crumbs\"><a href=\"/\">Overview</a> › ")
          .append(Html.esc(Views.of(target.kind()).title())).append("</p><h1 class=\"mono\">")
          .append(Html.esc(target.name())).append("</h1>");
      if (target.lastSeen() != null) {
        b.append("<p class=\"muted small\">registered, last announced ")
            .append(Html.time(target.lastSeen(), ctx.now())).append("</p>");
      } else {
        b.append("<p class=\"muted small\">named on the command line</p>");
      }
    } else {
      b.append("<h1>").append(Html.esc(title)).append("</h1>");
    }
    if (flash != null) {
      b.append(flash);
    }
    if (ctx.writes() && !ctx.canAct()) {
      b.append("<p class=\"note\"><a href=\"/login?back=")
          .append(Html.esc(Html.url(ex.getRequestURI().toString()))).append("\">Log in</a> with "
          + "the write token to requeue and purge.</p>");
    }
    if (liveSrc != null) {
      b.append("<div id=\"live\" data-src=\"").append(Html.esc(liveSrc)).append("\" data-every=\"")
          .append(options.refresh().toMillis()).append("\">").append(live).append("</div>");
    } else {
      b.append(live);
    }
    send(ex, 200, "text/html; charset=utf-8", layout(title, b.toString(), ctx));
  }

  private void page(HttpExchange ex, int status, String title, String body, Context ctx)
      throws IOException {
    send(ex, status, "text/html; charset=utf-8",
        layout(title, "<h1>" + Html.esc(title) + "</h1>" + body, ctx));
  }

  private String layout(String title, String body, Context ctx) {
    StringBuilder b = new StringBuilder(body.length() + 2048);
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport"
        + "\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(Html.esc(title)).append(" · redis-ext dashboard</title><link rel=\"stylesheet\" "
            + "href=\"/assets/app.css\"><script src=\"/assets/app.js\" defer></script></head><body>"
            + "<header class=\"top\"><a class=\"brand\" href=\"/\">redis-ext <span>dashboard"
            + "</span></a><nav>");
    b.append("<a href=\"/\">Overview</a>");
    b.append("</nav><div class=\"where\">");
    if (!options.redisLabel().isEmpty()) {
      b.append("<span class=\"mono\">").append(Html.esc(options.redisLabel())).append("</span>");
    }
    if (!sessions.writesEnabled()) {
      b.append("<span class=\"mode\">read-only</span>");
    } else if (ctx != null && ctx.canAct()) {
      b.append("<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" "
          + "name=\"csrf\" value=\"").append(Html.esc(ctx.csrf())).append("\"><span class=\"mode "
          + "on\">writes on</span> <button type=\"submit\" class=\"link\">log out</button></form>");
    } else {
      b.append("<a class=\"mode\" href=\"/login\">log in</a>");
    }
    b.append("<span id=\"status\" class=\"status\"></span></div></header><main>").append(body)
        .append("</main></body></html>");
    return b.toString();
  }

  // ------------------------------------------------------------------ plumbing

  private static void asset(HttpExchange ex, String name) throws IOException {
    String type = name.endsWith(".css") ? "text/css; charset=utf-8"
        : name.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
    InputStream in = type == null || name.contains("/") ? null
        : Server.class.getResourceAsStream("assets/" + name);
    if (in == null) {
      send(ex, 404, "text/plain", "not found");
      return;
    }
    byte[] body;
    try (in) {
      body = in.readAllBytes();
    }
    ex.getResponseHeaders().set("Cache-Control", "max-age=300");
    sendBytes(ex, 200, type, body);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    sendBytes(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void sendBytes(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Content-Security-Policy", CSP);
    if (status == 303 || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    return decode(ex.getRequestURI().getRawQuery());
  }

  private static Map<String, String> form(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readNBytes(MAX_BODY);
    return decode(new String(body, StandardCharsets.UTF_8));
  }

  private static Map<String, String> decode(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        m.putIfAbsent(k, v);
      } catch (IllegalArgumentException bad) {
        // a malformed escape: ignore the pair
      }
    }
    return m;
  }

  private static String cookie(HttpExchange ex, String name) {
    List<String> all = ex.getRequestHeaders().get("Cookie");
    if (all == null) {
      return null;
    }
    for (String header : all) {
      for (String c : header.split(";")) {
        String s = c.strip();
        if (s.startsWith(name + "=")) {
          return s.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "Server[" + options.host() + ":" + port() + "]";
  }
}
