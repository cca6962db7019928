package io.github.redisext.bench.harness;

import io.github.redisext.testing.Backends;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * Runs the raw-Redis ceilings and then the given scenarios against one server, and prints a table
 * (and optionally writes it as Markdown).
 *
 * <p>Arguments: scenario class names; {@code --quick} for a smoke run with smaller sizes; {@code
 * --markdown FILE} to write the table. The server is {@code REDIS_URL} when set (a {@code redis://}
 * URL of a standalone server), else a {@code redis-server} started on a free port for the run.
 */
public final class BenchRunner {
  private BenchRunner() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    List<String> classes = new ArrayList<>();
    boolean quick = false;
    Path markdown = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--markdown" -> markdown = Path.of(args[++i]);
        default -> classes.add(args[i]);
      }
    }
    List<BenchResult> results = run(classes, quick);
    if (markdown != null) {
      Files.writeString(markdown, toMarkdown(results), StandardCharsets.UTF_8);
      System.out.println("wrote " + markdown);
    }
    System.exit(0);
  }

  /** Runs ceilings and scenarios; returns every figure. */
  public static List<BenchResult> run(List<String> scenarioClasses, boolean quick) throws Exception {
    String env = System.getenv("REDIS_URL");
    RedisServerProcess server = null;
    String uri;
    HostAndPort hp;
    if (env != null && !env.isBlank()) {
      URI u = URI.create(env);
      hp = new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort());
      uri = env;
    } else {
      server = RedisServerProcess.start();
      hp = server.hostAndPort();
      uri = server.uri();
    }
    try {
      Set<HostAndPort> nodes = Set.of(hp);
      Map<String, Double> ceilings;
      System.out.printf("redis-ext benchmark on %s (%d cores, Java %s)%s%n", uri,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          quick ? " [quick]" : "");
      try (UnifiedJedis c = Backends.newClient(BackendKind.STANDALONE, nodes)) {
        ceilings = Ceilings.measure(c, quick ? 20_000 : 200_000, quick ? 2 : 5);
      }
      BenchContext ctx = new BenchContext(uri, nodes,
          () -> Backends.newClient(BackendKind.STANDALONE, nodes), ceilings, quick);
      ceilings.forEach((k, v) -> ctx.report(k, v, "ops/s", null, null));
      for (String cls : scenarioClasses) {
        BenchScenario s = (BenchScenario) Class.forName(cls).getDeclaredConstructor().newInstance();
        ctx.scenario(s.name());
        try (UnifiedJedis c = ctx.newClient()) {
          c.flushAll();
        }
        s.run(ctx);
      }
      return List.copyOf(ctx.results());
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The results as a Markdown table. */
  public static String toMarkdown(List<BenchResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("Measured ").append(Instant.now()).append(" on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(".\n\n");
    sb.append("| scenario | metric | value | unit | vs ceiling | target |\n");
    sb.append("|---|---|---:|---|---|---|\n");
    for (BenchResult r : results) {
      sb.append("| ").append(r.scenario()).append(" | ").append(r.metric()).append(" | ")
          .append(String.format(Locale.ROOT, "%,.1f", r.value())).append(" | ").append(r.unit())
          .append(" | ")
          .append(r.ceiling() == null ? "" : String.format(Locale.ROOT, "%.2f x %s", r.ratio(), r.ceiling()))
          .append(" | ").append(r.target()).append(" |\n");
    }
    return sb.toString();
  }
}
