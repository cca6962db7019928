package io.github.redisext.micrometer;

import io.github.redisext.core.metrics.ClientMetrics;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.micrometer.internal.LevelReader;
import io.github.redisext.micrometer.internal.Naming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * Publishes what redis-ext primitives do to a Micrometer {@link MeterRegistry}: counters,
 * timers with percentile histograms, and gauges read from Redis at most once per {@link
 * MicrometerOptions#gaugeRefresh() refresh interval} without ever holding a scrape longer than
 * {@link MicrometerOptions#gaugeTimeout()}. Meters are named {@code redisext.<primitive>.<what>}
 * with the tag {@code name} (the primitive's name) and, where they apply, {@code topic}, {@code
 * group} and the like; streams also report under the seed processor's names. The module README
 * has the table.
 *
 * <p>Bind every primitive built on a client in one call, or pass it to one primitive's options:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;                       // Spring Boot's, a PrometheusMeterRegistry ...
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * MicrometerMetrics metrics = MicrometerMetrics.bind(redis, registry);   // all primitives on redis
 *
 * RedisWork<Job> work = RedisWork.create(redis, "jobs", Job.class, job -> send(job));
 * work.startInBackground();                           // redisext.worker.handled{name="jobs"} ...
 *
 * // or for one primitive only:
 * WorkerOptions options = WorkerOptions.builder().metrics(MicrometerMetrics.of(registry)).build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} unbinds it from the client and removes the gauges it
 * registered (counters and timers stay in the registry).
 */
public final class MicrometerMetrics implements MetricsListener, AutoCloseable {
  private static final int METRICS = Metric.values().length;

  private final MeterRegistry registry;
  private final MicrometerOptions options;
  private final ThreadPoolExecutor readers;
  private volatile IdentityHashMap<MetricSource, Meters> bySource = new IdentityHashMap<>();
  private final Map<MetricSource, Meters> byEqualSource = new HashMap<>();
  private final Map<MetricSource, Levels> levels = new HashMap<>();
  private volatile ClientMetrics.Binding binding;
  private volatile boolean closed;

  private MicrometerMetrics(MeterRegistry registry, MicrometerOptions options) {
    this.registry = Args.notNull(registry, "registry");
    this.options = Args.notNull(options, "options");
    this.readers = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        NamedThreads.factory("redis-ext-micrometer-gauge", true));
  }

  /** A listener publishing to {@code registry}; set it in a primitive's {@code metrics(...)}. */
  public static MicrometerMetrics of(MeterRegistry registry) {
    return of(registry, MicrometerOptions.defaults());
  }

  /** A listener publishing to {@code registry} as {@code options} say. */
  public static MicrometerMetrics of(MeterRegistry registry, MicrometerOptions options) {
    return new MicrometerMetrics(registry, options);
  }

  /**
   * Publishes every primitive built on {@code client}, those created before this call and after
   * it, to {@code registry}.
   */
  public static MicrometerMetrics bind(UnifiedJedis client, MeterRegistry registry) {
    return bind(client, registry, MicrometerOptions.defaults());
  }

  /** Like {@link #bind(UnifiedJedis, MeterRegistry)}, as {@code options} say. */
  public static MicrometerMetrics bind(UnifiedJedis client, MeterRegistry registry,
      MicrometerOptions options) {
    Args.notNull(client, "client");
    MicrometerMetrics m = new MicrometerMetrics(registry, options);
    m.binding = ClientMetrics.bind(client, m);
    return m;
  }

  /** The registry published to. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The options. */
  public MicrometerOptions options() {
    return options;
  }

  @Override
  public void count(MetricSource source, Metric metric, long amount) {
    if (metric.kind() == Metric.Kind.COUNT) {
      meters(source).count(metric, amount);
    }
  }

  @Override
  public void time(MetricSource source, Metric metric, long nanos) {
    if (metric.kind() == Metric.Kind.TIME) {
      meters(source).time(metric, nanos);
    }
  }

  @Override
  public void gauge(MetricSource source, Metric metric, long value) {
    if (metric.kind() == Metric.Kind.GAUGE) {
      meters(source).gauge(metric, value);
    }
  }

  /** Registers the gauges of {@code primitive}'s levels (once per source). */
  @Override
  public void attached(Instrumented primitive) {
    MetricSource source = primitive.metricSource();
    synchronized (levels) {
      if (closed) {
        return;
      }
      Levels l = levels.computeIfAbsent(source, s -> new Levels(s, primitive));
      l.reader.add(primitive);
    }
  }

  /** Removes those gauges once no live object of the source is left. */
  @Override
  public void detached(Instrumented primitive) {
    MetricSource source = primitive.metricSource();
    synchronized (levels) {
      Levels l = levels.get(source);
      if (l != null && l.reader.remove(primitive)) {
        levels.remove(source);
        l.gauges.forEach(registry::remove);
      }
    }
  }

  /** Unbinds from the client (if bound) and removes the level gauges. Idempotent. */
  @Override
  public void close() {
    ClientMetrics.Binding b = binding;
    if (b != null) {
      b.close();
    }
    synchronized (levels) {
      closed = true;
      for (Levels l : levels.values()) {
        l.gauges.forEach(registry::remove);
      }
      levels.clear();
    }
    readers.shutdownNow();
  }

  @Override
  public String toString() {
    return "MicrometerMetrics[" + registry.getClass().getSimpleName() + ", " + options + "]";
  }

  private Meters meters(MetricSource source) {
    Meters m = bySource.get(source);
    if (m != null) {
      return m;
    }
    synchronized (byEqualSource) {
      m = byEqualSource.computeIfAbsent(source, Meters::new);
      IdentityHashMap<MetricSource, Meters> copy = new IdentityHashMap<>(bySource);
      copy.put(source, m);
      bySource = copy;
      return m;
    }
  }

  /** The meters of one source, created on first use; indexed by the metric's ordinal. */
  private final class Meters {
    private final MetricSource source;
    private final Tags tags;
    private final Meter[] meters = new Meter[METRICS];
    private final AtomicLong[] gauges = new AtomicLong[METRICS];
    private final boolean stream;
    private volatile Counter seedSuccess;
    private volatile Counter seedError;
    private volatile Timer seedDuration;

    Meters(MetricSource source) {
      this.source = source;
      this.tags = Naming.tags(source);
      this.stream = options.streamSeedNames() && Naming.isStream(source);
    }

    void count(Metric metric, long amount) {
      Meter c = meters[metric.ordinal()];
      if (c == null) {
        c = Counter.builder(Naming.name(options.prefix(), source, metric)).tags(tags)
            .description(Naming.description(metric)).register(registry);
        meters[metric.ordinal()] = c; // racy but benign: the registry returns the same counter
      }
      ((Counter) c).increment(amount);
      if (stream && (metric == Metric.HANDLED || metric == Metric.FAILED)) {
        seedCounter(metric == Metric.HANDLED).increment(amount);
      }
    }

    void time(Metric metric, long nanos) {
      Meter t = meters[metric.ordinal()];
      if (t == null) {
        t = timer(Naming.name(options.prefix(), source, metric), tags,
            Naming.description(metric));
        meters[metric.ordinal()] = t;
      }
      ((Timer) t).record(nanos, TimeUnit.NANOSECONDS);
      if (stream && metric == Metric.HANDLER_TIME) {
        Timer d = seedDuration;
        if (d == null) {
          d = timer(Naming.SEED_DURATION, Naming.seedTags(source),
              "Time to process a message (seed 002 name)");
          seedDuration = d;
        }
        d.record(nanos, TimeUnit.NANOSECONDS);
      }
    }

    void gauge(Metric metric, long value) {
      AtomicLong g = gauges[metric.ordinal()];
      if (g == null) {
        synchronized (this) {
          g = gauges[metric.ordinal()];
          if (g == null) {
            AtomicLong created = new AtomicLong();
            Gauge.builder(Naming.name(options.prefix(), source, metric), created,
                AtomicLong::doubleValue).tags(tags).description(Naming.description(metric))
                .strongReference(true).register(registry);
            g = created;
            gauges[metric.ordinal()] = g;
          }
        }
      }
      g.set(value);
    }

    private Counter seedCounter(boolean success) {
      Counter c = success ? seedSuccess : seedError;
      if (c == null) {
        c = Counter.builder(Naming.SEED_PROCESSED)
            .tags(Naming.seedTags(source).and("status", success ? "success" : "error"))
            .description("Messages processed (seed 002 name)").register(registry);
        if (success) {
          seedSuccess = c;
        } else {
          seedError = c;
        }
      }
      return c;
    }
  }

  private Timer timer(String name, Tags tags, String description) {
    return Timer.builder(name).tags(tags).description(description)
        .publishPercentileHistogram(options.percentileHistograms())
        .publishPercentiles(options.percentiles()).register(registry);
  }

  /** The gauges of one source's levels and the reader behind them. */
  private final class Levels {
    final LevelReader reader;
    final List<Meter> gauges = new ArrayList<>();

    Levels(MetricSource source, Instrumented first) {
      this.reader = new LevelReader(source.toString(), readers,
          options.gaugeRefresh().toNanos(), options.gaugeTimeout().toNanos());
      Tags tags = Naming.tags(source);
      for (Metric m : first.levels()) {
        gauges.add(Gauge.builder(Naming.name(options.prefix(), source, m), reader,
            r -> r.value(m)).tags(tags).description(Naming.description(m))
            .strongReference(true).register(registry));
        if (m == Metric.PENDING && options.streamSeedNames() && Naming.isStream(source)) {
          gauges.add(Gauge.builder(Naming.SEED_PENDING, reader, r -> r.value(m))
              .tags(Naming.seedTags(source)).description("Pending messages (seed 002 name)")
              .strongReference(true).register(registry));
        }
      }
    }
  }
}
