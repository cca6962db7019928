package io.github.redisext.bench.micrometer;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.bench.worker.WorkerBenchmark;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.micrometer.MicrometerMetrics;
import io.github.redisext.worker.WorkerOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the Micrometer binding costs: the worker's end-to-end scenario with nothing bound and with
 * a {@code PrometheusMeterRegistry} bound to the client (percentile histograms on, scraped once a
 * second), in alternating rounds so both see the same machine (each variant first in every other
 * pair; the cost is the median of the per-pair costs); and the cost of one report call
 * with and without a binding.
 */
public final class MicrometerBenchmark implements BenchScenario {
  /** For the benchmark runner. */
  public MicrometerBenchmark() {}

  @Override
  public String name() {
    return "micrometer";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    callCost(ctx);
    int n = ctx.size(200_000);
    int pairs = ctx.quick() ? 2 : 6;
    WorkerOptions o = WorkerOptions.builder().concurrency(8).prefetch(2000)
        .idleWait(Duration.ofMillis(500)).build();
    double[] plain = new double[pairs];
    double[] bound = new double[pairs];
    try (UnifiedJedis c = ctx.newClient()) {
      for (int i = 0; i < pairs; i++) {
        for (int k = 0; k < 2; k++) { // each variant goes first in every other pair
          if ((i + k) % 2 == 0) {
            plain[i] = WorkerBenchmark.endToEnd(c, "{bench-mm-plain}", n, 1, o);
            continue;
          }
          PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
          try (MicrometerMetrics m = MicrometerMetrics.bind(c, registry);
              Scraper s = new Scraper(registry)) {
            bound[i] = WorkerBenchmark.endToEnd(c, "{bench-mm-bound}", n, 1, o);
          }
        }
      }
    }
    // the cost within each pair (back to back), then the median of those: the machine's drift
    // between pairs (GC, JIT, anything else running) cancels out of each ratio
    double[] cost = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      cost[i] = 100.0 * (plain[i] - bound[i]) / plain[i];
    }
    double p = Stats.median(plain);
    double b = Stats.median(bound);
    ctx.report("worker end-to-end, nothing bound (median of " + pairs + ")", p, "tasks/s",
        Ceilings.RPUSH_LPOP, null);
    ctx.report("worker end-to-end, Prometheus registry bound (median of " + pairs + ")", b,
        "tasks/s", Ceilings.RPUSH_LPOP, null);
    ctx.report("throughput cost of the binding (median of per-pair costs)", Stats.median(cost),
        "%", null, "<= 5 %");
    ctx.report("throughput cost of the binding (ratio of the medians)", 100.0 * (p - b) / p, "%",
        null, null);
  }

  /** Nanoseconds per report call: nothing bound, and a Prometheus registry bound. */
  private void callCost(BenchContext ctx) {
    int calls = ctx.quick() ? 2_000_000 : 10_000_000;
    MetricSource source = MetricSource.of("worker", "{bench-call}");
    try (UnifiedJedis c = ctx.newClient()) {
      Metrics none = Metrics.of(c, MetricsListener.NONE, source);
      double nothing = perCall(none, calls);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      try (MicrometerMetrics m = MicrometerMetrics.bind(c, registry)) {
        double counted = perCall(none, calls);
        double timed = perTimerCall(none, calls);
        ctx.report("one counter report, nothing bound", nothing, "ns/call", null, null);
        ctx.report("one counter report, Prometheus registry bound", counted, "ns/call", null,
            null);
        ctx.report("one timer report (histogram), Prometheus registry bound", timed, "ns/call",
            null, null);
      }
    }
  }

  private static double perCall(Metrics metrics, int calls) {
    for (int i = 0; i < calls / 10; i++) { // warm-up
      metrics.count(Metric.HANDLED, 1);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      metrics.count(Metric.HANDLED, 1);
    }
    return (System.nanoTime() - t0) / (double) calls;
  }

  private static double perTimerCall(Metrics metrics, int calls) {
    for (int i = 0; i < calls / 10; i++) { // warm-up
      metrics.time(Metric.HANDLER_TIME, 1000 + i % 1_000_000);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      metrics.time(Metric.HANDLER_TIME, 1000 + i % 1_000_000);
    }
    return (System.nanoTime() - t0) / (double) calls;
  }

  /** Scrapes the registry once a second, as Prometheus would, while a round runs. */
  private static final class Scraper implements AutoCloseable {
    private final Thread thread;

    Scraper(PrometheusMeterRegistry registry) {
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          registry.scrape();
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-scraper");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join();
    }
  }
}
