package io.github.redisext.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The names a Prometheus scrape shows are the documented ones. */
class PrometheusOutputTest {
  private static final MetricSource WORKER = MetricSource.of("worker", "{jobs}");
  private static final MetricSource STREAM = MetricSource.of("streams", "orders")
      .withTag("group", "billing").withTag("consumer", "c1");

  @Test
  void countersTimersAndGaugesAppearUnderTheDocumentedPrometheusNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MicrometerMetrics m = MicrometerMetrics.of(registry)) {
      m.count(WORKER, Metric.HANDLED, 7);
      m.count(WORKER, Metric.DEAD_LETTERED, 2);
      m.time(WORKER, Metric.HANDLER_TIME, 3_000_000);
      m.gauge(WORKER, Metric.IN_FLIGHT, 4);
      Map<Metric, LongSupplier> readers = new LinkedHashMap<>();
      readers.put(Metric.WAITING, () -> 12);
      readers.put(Metric.DEAD_LETTERS, () -> 2);
      m.attached(Instrumented.of(WORKER, readers));
      String text = registry.scrape();
      assertThat(text)
          .contains("redisext_worker_handled_total{name=\"{jobs}\"} 7")
          .contains("redisext_worker_dead_lettered_total{name=\"{jobs}\"} 2")
          .contains("redisext_worker_handler_time_seconds_count{name=\"{jobs}\"} 1")
          .contains("redisext_worker_handler_time_seconds_bucket{name=\"{jobs}\",le=")
          .contains("redisext_worker_in_flight{name=\"{jobs}\"} 4")
          .contains("redisext_worker_waiting{name=\"{jobs}\"} 12")
          .contains("redisext_worker_dead_letters{name=\"{jobs}\"} 2");
    }
  }

  @Test
  void streamsAlsoReportUnderTheSeedProcessorsNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MicrometerMetrics m = MicrometerMetrics.of(registry)) {
      m.count(STREAM, Metric.HANDLED, 5);
      m.count(STREAM, Metric.FAILED, 2);
      m.time(STREAM, Metric.HANDLER_TIME, 1_000_000);
      Map<Metric, LongSupplier> readers = new LinkedHashMap<>();
      readers.put(Metric.PENDING, () -> 9);
      m.attached(Instrumented.of(STREAM, readers));
      String text = registry.scrape();
      String seed = "consumer_group=\"billing\",consumer_id=\"c1\"";
      assertThat(text)
          .contains("redis_stream_messages_processed_total{" + seed
              + ",status=\"success\",stream_name=\"orders\"} 5")
          .contains("redis_stream_messages_processed_total{" + seed
              + ",status=\"error\",stream_name=\"orders\"} 2")
          .contains("redis_stream_processing_duration_seconds_count{" + seed
              + ",stream_name=\"orders\"} 1")
          .contains("redis_stream_pending_messages{" + seed + ",stream_name=\"orders\"} 9")
          .contains("redisext_streams_handled_total{consumer=\"c1\",group=\"billing\","
              + "name=\"orders\"} 5");
    }
  }

  @Test
  void theSeedNamesCanBeTurnedOff() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MicrometerMetrics m = MicrometerMetrics.of(registry,
        MicrometerOptions.builder().streamSeedNames(false).prefix("app.redis").build())) {
      m.count(STREAM, Metric.HANDLED, 5);
      assertThat(registry.scrape()).doesNotContain("redis_stream_")
          .contains("app_redis_streams_handled_total");
    }
  }

  @Test
  void aMetricOfAnotherKindThanTheCallIsIgnored() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MicrometerMetrics m = MicrometerMetrics.of(registry)) {
      m.count(WORKER, Metric.HANDLER_TIME, 5);
      m.time(WORKER, Metric.HANDLED, 5);
      assertThat(registry.getMeters()).isEmpty();
    }
  }

  @Test
  void badOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> MicrometerOptions.builder().prefix("Bad Prefix"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> MicrometerOptions.builder().gaugeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gaugeTimeout");
    assertThatThrownBy(() -> MicrometerOptions.builder().gaugeRefresh(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("gaugeRefresh");
    assertThatThrownBy(() -> MicrometerOptions.builder().percentiles(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentiles");
    assertThatThrownBy(() -> MicrometerMetrics.of(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("registry");
  }
}
