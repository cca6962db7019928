package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a metrics listener hears from a UniqueId on real Redis. */
@RedisBackends
class UniqueIdMetricsIT {
  private final RedisBackend redis;

  UniqueIdMetricsIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** Counts what it is told, per metric, and remembers the sources. */
  static final class CountingListener implements MetricsListener {
    final Map<Metric, AtomicLong> counts = new ConcurrentHashMap<>();
    final Set<MetricSource> sources = ConcurrentHashMap.newKeySet();

    @Override
    public void count(MetricSource source, Metric metric, long amount) {
      sources.add(source);
      counts.computeIfAbsent(metric, k -> new AtomicLong()).addAndGet(amount);
    }

    long get(Metric m) {
      AtomicLong v = counts.get(m);
      return v == null ? 0 : v.get();
    }
  }

  @Test
  void aMetricsListenerCountsEveryIdCreatedAndNothingElse() throws Exception {
    CountingListener metrics = new CountingListener();
    UniqueId ids = UniqueId.create(redis.client(), "{met}", UniqueIdOptions.builder()
        .sequenceBlockSize(10).metrics(metrics).build());
    ids.getOrCreate("alice");
    ids.getOrCreate("alice");
    ids.getOrCreateAll(List.of("alice", "bob", "carol", "bob"));
    ids.find("dave");
    ids.findAll(List.of("alice", "bob"));
    ids.next();
    ids.next(25);
    assertThat(metrics.get(Metric.CREATED)).isEqualTo(3);

    ids.remove("bob");
    assertThat(ids.getOrCreate("bob")).isEqualTo(4); // a new, larger id: created again
    assertThat(metrics.get(Metric.CREATED)).isEqualTo(4);

    // racing threads, their calls combined into shared script calls: each new name counted once
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = IntStream.range(0, 8).mapToObj(t -> pool.submit(() -> {
        for (int i = 0; i < 50; i++) {
          ids.getOrCreate("n" + i); // the same 50 names from every thread
          ids.getOrCreate("t" + t + "-" + i); // 50 names of this thread's own
        }
      })).<Future<?>>map(f -> f).toList();
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(metrics.get(Metric.CREATED)).isEqualTo(4 + 50 + 8 * 50)
        .isEqualTo(ids.stats().created());
    assertThat(metrics.counts.keySet()).containsExactly(Metric.CREATED);
    assertThat(metrics.sources).containsExactly(MetricSource.of("uniqueid", "{met}"));
  }
}
