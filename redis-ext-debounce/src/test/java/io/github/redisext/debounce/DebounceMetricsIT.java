package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a metrics listener receives equals what happened, on real Redis. */
@RedisBackends
class DebounceMetricsIT {
  private static final String KEY = "{metered}";

  private final RedisBackend redis;

  DebounceMetricsIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** Sums counts per metric; remembers the sources and the timed metrics seen. */
  static final class Recorder implements MetricsListener {
    final Map<Metric, LongAdder> counts = new ConcurrentHashMap<>();
    final Map<Metric, LongAdder> timings = new ConcurrentHashMap<>();
    final Set<MetricSource> sources = ConcurrentHashMap.newKeySet();

    @Override
    public void count(MetricSource source, Metric metric, long amount) {
      sources.add(source);
      counts.computeIfAbsent(metric, m -> new LongAdder()).add(amount);
    }

    @Override
    public void time(MetricSource source, Metric metric, long nanos) {
      sources.add(source);
      timings.computeIfAbsent(metric, m -> new LongAdder()).increment();
    }

    long count(Metric m) {
      LongAdder a = counts.get(m);
      return a == null ? 0 : a.sum();
    }
  }

  @Test
  void publishedHandledFailedRetriedAndDeadLetteredAreReportedAsTheyHappen() {
    Recorder rec = new Recorder();
    DebounceOptions opts = DebounceOptions.builder().metrics(rec).maxAttempts(2)
        .retryBackoff(Duration.ZERO, Duration.ZERO).build();
    try (DebounceTask<Long> tasks = DebounceTask.create(redis.client(), KEY, Long.class, opts)) {
      List<Long> all = LongStream.range(0, 100).boxed().toList();
      assertThat(tasks.addAll(all, Duration.ZERO)).isEqualTo(100);
      assertThat(tasks.addAll(all.subList(0, 10), Duration.ZERO)).isZero(); // duplicates
      redis.client().zadd(KEY, 0, "not a number");
      assertThat(rec.count(Metric.PUBLISHED)).isEqualTo(100);
      try (DebounceConsumer c = tasks.consume(t -> {
        if (t % 10 == 0) {
          throw new IllegalStateException("fails: " + t);
        }
      })) {
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.deadLetterCount() == 11);
        await().atMost(Duration.ofSeconds(30)).until(() -> c.handled() == 90);
      }
      assertThat(rec.count(Metric.HANDLED)).isEqualTo(90);
      assertThat(rec.count(Metric.FAILED)).isEqualTo(20); // 10 tasks x 2 attempts
      assertThat(rec.count(Metric.RETRIED)).isEqualTo(10);
      // 10 out of attempts (by the kernel) + 1 undecodable (set aside by the store)
      assertThat(rec.count(Metric.DEAD_LETTERED)).isEqualTo(11);
      // 100 tasks + 10 retries, and the undecodable member, claimed before it is set aside
      assertThat(rec.count(Metric.DELIVERED)).isEqualTo(111);
      assertThat(rec.timings.get(Metric.HANDLER_TIME).sum()).isEqualTo(110);
      // every delivery's lag from its due time (the claim reply carries each task's score)
      assertThat(rec.timings.get(Metric.DELIVERY_LAG).sum()).isEqualTo(110);
      assertThat(rec.sources).containsExactly(MetricSource.of("debounce", KEY));
      assertThat(tasks.stats().handled()).isEqualTo(90);
    }
  }

  @Test
  void withoutAListenerNothingIsReportedAndNothingBreaks() {
    try (DebounceTask<Long> tasks = DebounceTask.create(redis.client(), KEY, Long.class)) {
      assertThat(tasks.options().consumer().metrics()).isSameAs(MetricsListener.NONE);
      tasks.add(1L, Duration.ZERO);
      assertThat(tasks.pop(1)).containsExactly(1L);
    }
  }
}
