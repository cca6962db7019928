package io.github.redisext.triggers;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Metrics through the core listener: set, fired, cancelled, retried, dead, adopted, late, lag. */
@RedisBackends
class TriggersMetricsIT {
  private final RedisBackend redis;

  TriggersMetricsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void everyOutcomeIsCountedUnderTheTriggersSourceAndFiringLagIsTimed() {
    Map<Metric, LongAdder> counts = new ConcurrentHashMap<>();
    Map<Metric, LongAdder> times = new ConcurrentHashMap<>();
    MetricsListener l = new MetricsListener() {
      @Override
      public void count(MetricSource s, Metric m, long n) {
        assertThat(s.primitive()).isEqualTo("triggers");
        assertThat(s.name()).isEqualTo("met");
        counts.computeIfAbsent(m, k -> new LongAdder()).add(n);
      }

      @Override
      public void time(MetricSource s, Metric m, long nanos) {
        times.computeIfAbsent(m, k -> new LongAdder()).increment();
      }
    };
    AtomicInteger failing = new AtomicInteger();
    redis.client().setex("met:EXPTRIGGER:ok:python", 60, "trigger:2025-06-08T21:03:50");
    try (ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "met", TriggersOptions.builder()
        .metrics(l).maxAttempts(2).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .lateAfter(Duration.ZERO).listen(false).build())) {
      t.on("ok", x -> { }).on("bad", x -> {
        failing.incrementAndGet();
        throw new IllegalStateException("no");
      });
      t.setAll("ok", List.of("a", "b", "c"), Duration.ofMillis(100));
      t.set("bad", "x", Duration.ofMillis(100));
      t.set("ok", "gone", Duration.ofMinutes(5));
      t.cancel("ok", "gone");
      // start after the deadlines: every firing is late
      await().pollDelay(Duration.ofMillis(400)).until(() -> true);
      t.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> count(counts, Metric.FIRED) == 3
          && count(counts, Metric.DEAD_LETTERED) == 1 && count(counts, Metric.ADOPTED) == 1);
      assertThat(count(counts, Metric.PUBLISHED)).isEqualTo(5);
      assertThat(count(counts, Metric.CANCELLED)).isEqualTo(1);
      assertThat(count(counts, Metric.RETRIED)).isEqualTo(1);
      assertThat(count(counts, Metric.LATE)).isGreaterThanOrEqualTo(4); // 3 fired + 2 tries of x
      assertThat(times.get(Metric.DELIVERY_LAG).sum()).isGreaterThanOrEqualTo(4);
    }
  }

  private static long count(Map<Metric, LongAdder> m, Metric k) {
    LongAdder a = m.get(k);
    return a == null ? 0 : a.sum();
  }
}
