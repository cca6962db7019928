package io.github.redisext.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/** What a {@link BenchScenario} gets: clients of the benchmarked server and the ceilings. */
public final class BenchContext {
  private final String uri;
  private final Set<HostAndPort> nodes;
  private final Supplier<UnifiedJedis> clients;
  private final Map<String, Double> ceilings;
  private final boolean quick;
  private final List<BenchResult> results = Collections.synchronizedList(new ArrayList<>());
  private String scenario = "ceiling";

  BenchContext(String uri, Set<HostAndPort> nodes, Supplier<UnifiedJedis> clients,
      Map<String, Double> ceilings, boolean quick) {
    this.uri = uri;
    this.nodes = nodes;
    this.clients = clients;
    this.ceilings = ceilings;
    this.quick = quick;
  }

  /** The server's URI ({@code redis://host:port}). */
  public String uri() {
    return uri;
  }

  /** The server's address(es). */
  public Set<HostAndPort> nodes() {
    return nodes;
  }

  /** A new client (the caller closes it); pool of 64 connections. */
  public UnifiedJedis newClient() {
    return clients.get();
  }

  /** Whether this is a quick smoke run (scale sizes down, e.g. by 10). */
  public boolean quick() {
    return quick;
  }

  /** {@code full} normally, {@code full / 10} (at least 1) in a quick run. */
  public int size(int full) {
    return quick ? Math.max(1, full / 10) : full;
  }

  /**
   * Lets the JVM settle before a latency phase: collects the garbage the phases before it left
   * and waits two seconds, so a latency figure does not include the clean-up of a preceding
   * throughput phase (measured without it, a stream's pickup p99 after its 200,000-entry drain
   * was 4 to 9 ms, against 1.2 to 1.7 ms with it).
   */
  public void quiesce() throws InterruptedException {
    System.gc();
    Thread.sleep(2000);
  }

  /** A ceiling measured in this run (ops/s), or NaN when unknown. */
  public double ceiling(String name) {
    return ceilings.getOrDefault(name, Double.NaN);
  }

  void scenario(String name) {
    this.scenario = name;
  }

  /**
   * Reports a figure.
   *
   * @param metric what it is
   * @param value the figure
   * @param unit its unit
   * @param ceiling name of a ceiling in {@link Ceilings} to compare with, or null
   * @param target the target, e.g. {@code ">= 100000 ops/s"}, or null
   */
  public void report(String metric, double value, String unit, String ceiling, String target) {
    double c = ceiling == null ? Double.NaN : ceiling(ceiling);
    results.add(new BenchResult(scenario, metric, value, unit, ceiling, value / c,
        target == null ? "" : target));
    System.out.printf("  %-10s %-48s %,14.1f %-8s%s%n", scenario, metric, value, unit,
        ceiling == null ? "" : String.format("  (%.2f x %s)", value / c, ceiling));
  }

  List<BenchResult> results() {
    return results;
  }
}
