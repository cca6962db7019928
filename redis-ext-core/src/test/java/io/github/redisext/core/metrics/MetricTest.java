package io.github.redisext.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricTest {
  @Test
  void missedIsACountNamedInSnakeCase() {
    assertThat(Metric.MISSED.kind()).isEqualTo(Metric.Kind.COUNT);
    assertThat(Metric.MISSED.metricName()).isEqualTo("missed");
    assertThat(Metric.DEAD_LETTERED.metricName()).isEqualTo("dead_lettered");
  }
}
