package io.github.redisext.bench.dashboard;

import io.github.redisext.bench.harness.BenchContext;
import io.github.redisext.bench.harness.BenchScenario;
import io.github.redisext.bench.harness.Ceilings;
import io.github.redisext.bench.harness.Stats;
import io.github.redisext.bench.worker.WorkerBenchmark;
import io.github.redisext.core.metrics.ClientMetrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.dashboard.Dashboard;
import io.github.redisext.dashboard.DashboardOptions;
import io.github.redisext.dashboard.RateRecorder;
import io.github.redisext.timers.RedisLock;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the dashboard costs the applications it watches, and how fast it answers: the worker's
 * end-to-end rate without and with a {@link RateRecorder} bound to the client (alternating
 * rounds); creating a primitive with and without its registry announcement (a new name, then the
 * same name again); and the time to render the overview and a queue page over 50 primitives.
 */
public final class DashboardBenchmark implements BenchScenario {
  /** For the benchmark runner. */
  public DashboardBenchmark() {}

  @Override
  public String name() {
    return "dashboard";
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    rates(ctx);
    registry(ctx);
    pages(ctx);
  }

  private static void rates(BenchContext ctx) throws Exception {
    int n = ctx.size(200_000);
    int pairs = ctx.quick() ? 3 : 9; // a multiple of 3: each variant runs first, second, third alike
    WorkerOptions o = WorkerOptions.builder().concurrency(8).prefetch(2000)
        .idleWait(Duration.ofMillis(500)).build();
    double[] plain = new double[pairs];
    double[] empty = new double[pairs];
    double[] recorded = new double[pairs];
    // this JVM's CPU time per task (producer, worker, listener; the server's is not in it): less
    // sensitive than the rate to what else runs on the machine
    double[] plainCpu = new double[pairs];
    double[] emptyCpu = new double[pairs];
    double[] recordedCpu = new double[pairs];
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (UnifiedJedis c = ctx.newClient()) {
      for (int i = 0; i < pairs; i++) {
        for (int k = 0; k < 3; k++) { // each variant goes first, second and third in turn
          long cpu0 = os.getProcessCpuTime();
          switch ((i + k) % 3) {
            case 0 -> plain[i] = WorkerBenchmark.endToEnd(c, "{bench-dash-plain}", n, 1, o);
            case 1 -> {
              try (ClientMetrics.Binding b = ClientMetrics.bind(c, new MetricsListener() { })) {
                empty[i] = WorkerBenchmark.endToEnd(c, "{bench-dash-empty}", n, 1, o);
              }
            }
            default -> {
              try (RateRecorder r = RateRecorder.start(c)) {
                recorded[i] = WorkerBenchmark.endToEnd(c, "{bench-dash-rates}", n, 1, o);
              }
            }
          }
          double perTask = (os.getProcessCpuTime() - cpu0) / 1000.0 / (n + Math.min(n, 20_000));
          switch ((i + k) % 3) {
            case 0 -> plainCpu[i] = perTask;
            case 1 -> emptyCpu[i] = perTask;
            default -> recordedCpu[i] = perTask;
          }
        }
      }
    }
    double[] emptyCpuCost = new double[pairs];
    double[] recordedCpuCost = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      emptyCpuCost[i] = 100.0 * (emptyCpu[i] - plainCpu[i]) / plainCpu[i];
      recordedCpuCost[i] = 100.0 * (recordedCpu[i] - plainCpu[i]) / plainCpu[i];
    }
    ctx.report("client CPU per task, nothing bound (median)", Stats.median(plainCpu), "us/task",
        null, null);
    ctx.report("client CPU per task, an empty listener bound (median)", Stats.median(emptyCpu),
        "us/task", null, null);
    ctx.report("client CPU per task, RateRecorder bound (median)", Stats.median(recordedCpu),
        "us/task", null, null);
    ctx.report("client CPU cost of an empty listener (median of per-round costs)",
        Stats.median(emptyCpuCost), "%", null, null);
    ctx.report("client CPU cost of recording rates (median of per-round costs)",
        Stats.median(recordedCpuCost), "%", null, null);
    double p = Stats.median(plain);
    double e = Stats.median(empty);
    double r = Stats.median(recorded);
    // the cost within each round (the three variants back to back), then the median of those:
    // the machine's drift between rounds (other builds, GC, JIT) cancels out of each ratio
    double[] emptyCost = new double[pairs];
    double[] recordedCost = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      emptyCost[i] = 100.0 * (plain[i] - empty[i]) / plain[i];
      recordedCost[i] = 100.0 * (plain[i] - recorded[i]) / plain[i];
    }
    ctx.report("worker end-to-end, no rates recorded (median of " + pairs + ")", p, "tasks/s",
        Ceilings.RPUSH_LPOP, null);
    ctx.report("worker end-to-end, an empty listener bound (median of " + pairs + ")", e,
        "tasks/s", Ceilings.RPUSH_LPOP, null);
    ctx.report("worker end-to-end, RateRecorder bound (median of " + pairs + ")", r, "tasks/s",
        Ceilings.RPUSH_LPOP, null);
    ctx.report("throughput cost of an empty listener (median of per-round costs)",
        Stats.median(emptyCost), "%", null, null);
    ctx.report("throughput cost of recording rates (median of per-round costs)",
        Stats.median(recordedCost), "%", null, "<= 5 %");
    ctx.report("throughput cost of recording rates (ratio of the medians)", 100.0 * (p - r) / p,
        "%", null, "<= 5 %");
  }

  private static void registry(BenchContext ctx) {
    int n = Math.min(ctx.size(20_000), 5_000); // below what a client remembers (10,000 names)
    try (UnifiedJedis c = ctx.newClient()) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        RedisLock.create(c, "{bench-reg}:" + i); // a new name: one announcement each
      }
      double fresh = (System.nanoTime() - t0) / 1000.0 / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        RedisLock.create(c, "{bench-reg}:" + i); // announced within the hour: nothing sent
      }
      double again = (System.nanoTime() - t0) / 1000.0 / n;
      ctx.report("create a lock with a new name (one registry write)", fresh, "us/create", null,
          null);
      ctx.report("create a lock again (registry write skipped)", again, "us/create", null, null);
      c.del("redis-ext:registry");
    }
  }

  private static void pages(BenchContext ctx) throws Exception {
    int requests = ctx.quick() ? 100 : 500;
    try (UnifiedJedis c = ctx.newClient();
        Dashboard d = Dashboard.start(c, DashboardOptions.builder().port(0).build())) {
      for (int i = 0; i < 50; i++) {
        WorkQueue<String> q = WorkQueue.create(c, "{bench-page-" + i + "}", String.class);
        q.pushAll(List.of("a", "b", "c"));
      }
      HttpClient http = HttpClient.newHttpClient();
      ctx.report("overview page, 50 queues", perRequest(http, d.uri().resolve("/"), requests),
          "ms/request", null, null);
      ctx.report("queue page", perRequest(http, d.uri().resolve("/k/worker?name=%7Bbench-page-0%7D"),
          requests), "ms/request", null, null);
      for (int i = 0; i < 50; i++) {
        c.del("{bench-page-" + i + "}");
      }
      c.del("redis-ext:registry");
    }
  }

  private static double perRequest(HttpClient http, URI uri, int n) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri).build();
    for (int i = 0; i < n / 10; i++) {
      http.send(req, HttpResponse.BodyHandlers.discarding());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(uri + " answered " + r.statusCode());
      }
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }
}
