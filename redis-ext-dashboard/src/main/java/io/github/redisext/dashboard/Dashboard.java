package io.github.redisext.dashboard;

import io.github.redisext.core.RedisClients;
import io.github.redisext.core.support.Args;
import io.github.redisext.dashboard.internal.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A web dashboard over every redis-ext primitive using one Redis: an overview (each primitive's
 * depth, in-flight and dead-letter counts, sorted by what needs attention), one page per kind
 * (worker queues, debounce, timers, locks, fastsets, uniqueid), dead letters with requeue and
 * purge, per-minute rates, all refreshing by themselves. Primitives are found through the
 * registry they write when created ({@link io.github.redisext.core.support.Registry}) plus the
 * names in {@link DashboardOptions#names()}.
 *
 * <p>Served by the JDK's own HTTP server: no web framework, no front-end build, nothing fetched
 * from the internet; pages are rendered on the server with every text from Redis escaped.
 * Binds 127.0.0.1 and is read-only by default; {@link DashboardOptions.Builder#allowWrites}
 * enables requeue and purge behind a token, with CSRF protection.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * Dashboard dashboard = Dashboard.start(redis, DashboardOptions.defaults());
 * System.out.println("dashboard at " + dashboard.uri());     // http://127.0.0.1:8379/
 * ...
 * dashboard.close();   // stops the server; the client stays open
 * }</pre>
 *
 * <p>Or from the command line: {@code java -jar redis-ext-dashboard-<version>-all.jar --redis
 * redis://localhost:6379} (see {@link #main}).
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  private final DashboardOptions options;
  private final Server server;
  private final RateRecorder rates;
  private volatile boolean closed;

  private Dashboard(Server server, DashboardOptions options, RateRecorder rates) {
    this.server = server;
    this.options = options;
    this.rates = rates;
  }

  /**
   * Starts a dashboard with the defaults (127.0.0.1:{@value DashboardOptions#DEFAULT_PORT},
   * read-only).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static Dashboard start(UnifiedJedis client) {
    return start(client, DashboardOptions.defaults());
  }

  /**
   * Starts a dashboard reading through {@code client} (not closed by the dashboard).
   *
   * @throws NullPointerException if an argument is null
   * @throws UncheckedIOException if the address cannot be bound (port in use)
   */
  public static Dashboard start(UnifiedJedis client, DashboardOptions options) {
    Args.notNull(client, "client");
    Args.notNull(options, "options");
    Server server;
    try {
      server = new Server(client, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on " + options.host() + ":"
          + options.port() + ": " + e.getMessage(), e);
    }
    RateRecorder rates = options.recordRates() ? RateRecorder.start(client) : null;
    Dashboard d = new Dashboard(server, options, rates);
    log.info("redis-ext dashboard at {} ({})", d.uri(),
        options.writeToken().isPresent() ? "writes with token" : "read-only");
    return d;
  }

  /**
   * The dashboard's address, e.g. {@code http://127.0.0.1:8379/}.
   *
   * @throws IllegalStateException if closed
   */
  public URI uri() {
    int port = port();
    String host = options.host();
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      host = "127.0.0.1"; // bound everywhere: this machine reaches it on loopback
    } else if (host.contains(":")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    return URI.create("http://" + host + ":" + port + "/");
  }

  /**
   * The port bound (the chosen one when the options said 0).
   *
   * @throws IllegalStateException if closed
   */
  public int port() {
    requireOpen();
    return server.port();
  }

  /** The options. */
  public DashboardOptions options() {
    return options;
  }

  /** Stops the server (and the rate recorder it started); the client stays open. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    if (rates != null) {
      rates.close();
    }
    log.info("redis-ext dashboard stopped");
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("dashboard is closed");
    }
  }

  @Override
  public String toString() {
    return "Dashboard[" + (closed ? "closed" : "port " + server.port()) + ", " + options + "]";
  }

  /**
   * Runs the dashboard until the JVM is stopped (Ctrl-C). Arguments:
   * <pre>
   * --redis URI        Redis to read (default $REDIS_URL, else redis://localhost:6379);
   *                    redis://, rediss://, redis-cluster://, redis-sentinel:// (core's URIs)
   * --host ADDRESS     address to bind (default 127.0.0.1)
   * --port N           port (default 8379; 0 for any free one)
   * --token TOKEN      enable requeue/purge for whoever logs in with TOKEN
   *                    (default $REDIS_EXT_DASHBOARD_TOKEN; none: read-only)
   * --name KIND:NAME   also show this primitive (repeatable), e.g. worker:emails,
   *                    streams:orders (key stream:orders), events:OrderPlaced or
   *                    events:PREFIX:Type, triggers:TENANT or triggers:TENANT:SHARDS
   * --refresh DURATION live refresh interval, e.g. 2s or 500ms (default 2s)
   * --record-rates     record rates of primitives on this process's client (rarely useful here)
   * </pre>
   */
  public static void main(String[] args) throws InterruptedException {
    String redis = System.getenv().getOrDefault("REDIS_URL", "redis://localhost:6379");
    DashboardOptions.Builder b = DashboardOptions.builder();
    String token = System.getenv("REDIS_EXT_DASHBOARD_TOKEN");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ("--help".equals(a) || "-h".equals(a)) {
        System.out.println("usage: java -jar redis-ext-dashboard-all.jar [--redis URI] [--host H]"
            + " [--port N] [--token T] [--name kind:name]... [--refresh 2s] [--record-rates]");
        return;
      }
      if ("--record-rates".equals(a)) {
        b.recordRates(true);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value (see --help)");
      }
      String v = args[++i];
      switch (a) {
        case "--redis" -> redis = v;
        case "--host" -> b.host(v);
        case "--port" -> b.port(Integer.parseInt(v));
        case "--token" -> token = v;
        case "--name" -> names.add(v);
        case "--refresh" -> b.refresh(duration(v));
        default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
      }
    }
    if (token != null && !token.isBlank()) {
      b.allowWrites(token);
    }
    b.names(names).redisLabel(label(redis));
    UnifiedJedis client = RedisClients.create(redis);
    Dashboard d = start(client, b.build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      d.close();
      client.close();
      stopped.countDown();
    }, "redis-ext-dashboard-shutdown"));
    System.out.println("redis-ext dashboard at " + d.uri() + " on " + label(redis)
        + (token == null || token.isBlank() ? " (read-only)" : " (writes after login)"));
    stopped.await();
  }

  /** The URI without user, password and query (which may carry sentinel credentials). */
  static String label(String uri) {
    return uri.replaceFirst("://[^/@]*@", "://").replaceFirst("\\?.*$", "");
  }

  private static Duration duration(String v) {
    String s = v.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1))
          * 1000));
    }
    return Duration.ofMillis(Long.parseLong(s));
  }
}
