package io.github.redisext.bench;

import io.github.redisext.bench.harness.BenchRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the raw-Redis ceilings and every primitive's benchmark scenario against one server, prints
 * the table and, with {@code --markdown FILE}, writes it as Markdown (BENCHMARKS.md's table).
 *
 * <pre>
 * mvn -q install -DskipTests
 * mvn -q -pl redis-ext-bench exec:java -Dexec.args="--markdown bench-table.md"
 * </pre>
 *
 * Options: {@code --quick} (sizes / 10), {@code --only worker,timers}. The server is {@code REDIS_URL}
 * when set, else a redis-server started for the run.
 */
public final class BenchMain {
  /** Every scenario, in report order. */
  static final List<String> SCENARIOS = List.of(
      "io.github.redisext.bench.worker.WorkerBenchmark",
      "io.github.redisext.bench.debounce.DebounceBenchmark",
      "io.github.redisext.bench.fastset.FastSetBenchmark",
      "io.github.redisext.bench.uniqueid.UniqueIdBenchmark",
      "io.github.redisext.bench.timers.TimersBenchmark",
      "io.github.redisext.bench.triggers.TriggersBenchmark",
      "io.github.redisext.bench.events.EventsBenchmark",
      "io.github.redisext.bench.lock.LockBenchmark",
      "io.github.redisext.bench.streams.StreamsBenchmark",
      "io.github.redisext.bench.micrometer.MicrometerBenchmark",
      "io.github.redisext.bench.dashboard.DashboardBenchmark");

  private BenchMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    List<String> pass = new ArrayList<>();
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      if ("--only".equals(args[i])) {
        only = List.of(args[++i].split(","));
      } else {
        pass.add(args[i]);
      }
    }
    for (String s : SCENARIOS) {
      String simple = s.substring(s.lastIndexOf('.') + 1).replace("Benchmark", "").toLowerCase();
      if (only == null || only.contains(simple)) {
        pass.add(s);
      }
    }
    BenchRunner.main(pass.toArray(new String[0]));
  }
}
