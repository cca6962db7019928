package io.github.redisext.events;

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

/** Publisher and subscription report through the core metrics listener, per event. */
@RedisBackends
class EventsMetricsIT {
  private final RedisBackend redis;

  EventsMetricsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void publishedDeliveredHandledFailedRetriedDeadLetteredAndLagAreReported() {
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    Map<String, LongAdder> times = new ConcurrentHashMap<>();
    MetricsListener listener = new MetricsListener() {
      @Override
      public void count(MetricSource s, Metric m, long n) {
        counts.computeIfAbsent(s.primitive() + ":" + s.tags().getOrDefault("subscription", "-")
            + ":" + m.metricName(), k -> new LongAdder()).add(n);
      }

      @Override
      public void time(MetricSource s, Metric m, long nanos) {
        times.computeIfAbsent(m.metricName(), k -> new LongAdder()).increment();
      }
    };
    AtomicInteger fails = new AtomicInteger();
    EventQueueOptions opts = Prefixes.options(redis).toBuilder().metrics(listener).build();
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class, opts)) {
      q.subscribe("m", e -> {
        if (e.id() == 2 && fails.getAndIncrement() < 1) {
          throw new IllegalStateException("once");
        }
        if (e.id() == 3) {
          throw new io.github.redisext.core.consumer.DeadLetterException("never");
        }
      }, SubscriptionOptions.builder().metrics(listener)
          .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).build());
      q.publishAll(List.of(new Order("a", 1), new Order("b", 2), new Order("c", 3)));
      await().atMost(Duration.ofSeconds(20)).until(() -> counts.containsKey("events:m:dead_lettered"));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> counts.getOrDefault("events:m:handled", new LongAdder()).sum() == 2);
      assertThat(counts.get("events:-:published").sum()).isEqualTo(3);
      assertThat(counts.get("events:m:failed").sum()).isEqualTo(2);
      assertThat(counts.get("events:m:retried").sum()).isEqualTo(1);
      assertThat(counts.get("events:m:dead_lettered").sum()).isEqualTo(1);
      assertThat(counts.get("events:m:delivered").sum()).isGreaterThanOrEqualTo(4);
      assertThat(times).containsKeys("delivery_lag", "handler_time");
    }
  }
}
