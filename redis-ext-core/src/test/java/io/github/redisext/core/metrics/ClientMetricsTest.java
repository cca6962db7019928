package io.github.redisext.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Listeners bound to a client hear every primitive on it, once, and stop hearing when unbound. */
class ClientMetricsTest {
  private static final MetricSource SOURCE = MetricSource.of("worker", "jobs");

  /** Records calls as text. */
  static final class Log implements MetricsListener {
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void count(MetricSource source, Metric metric, long amount) {
      calls.add(metric.metricName() + "+" + amount);
    }

    @Override
    public synchronized void attached(Instrumented p) {
      calls.add("attached " + p.metricSource().name());
    }

    @Override
    public synchronized void detached(Instrumented p) {
      calls.add("detached " + p.metricSource().name());
    }
  }

  private static UnifiedJedis client() {
    return RedisClient.create(new HostAndPort("127.0.0.1", 1)); // never connects in these tests
  }

  private static Instrumented levels(String name) {
    return Instrumented.of(MetricSource.of("worker", name),
        Map.<Metric, LongSupplier>of(Metric.WAITING, () -> 1));
  }

  @Test
  void aListenerBoundToAClientHearsPrimitivesCreatedBeforeAndAfterTheBinding() {
    try (UnifiedJedis client = client()) {
      Metrics before = Metrics.of(client, MetricsListener.NONE, SOURCE);
      Instrumented early = levels("early");
      before.attach(early);
      assertThat(before.enabled()).isFalse();
      Log log = new Log();
      try (ClientMetrics.Binding b = ClientMetrics.bind(client, log)) {
        assertThat(b.listener()).isSameAs(log);
        assertThat(before.enabled()).isTrue();
        before.count(Metric.HANDLED, 2);
        Metrics after = Metrics.of(client, MetricsListener.NONE, SOURCE);
        after.count(Metric.FAILED, 1);
        after.attach(levels("late"));
        before.detach(early);
      }
      before.count(Metric.HANDLED, 5); // unbound: not heard
      assertThat(before.enabled()).isFalse();
      assertThat(log.calls).containsExactly("attached early", "handled+2", "failed+1",
          "attached late", "detached early", "detached late");
    }
  }

  @Test
  void anotherClientsPrimitivesAreNotHeard() {
    try (UnifiedJedis one = client(); UnifiedJedis two = client()) {
      Log log = new Log();
      try (ClientMetrics.Binding b = ClientMetrics.bind(one, log)) {
        Metrics.of(two, MetricsListener.NONE, SOURCE).count(Metric.HANDLED, 1);
        Metrics.of(MetricsListener.NONE, SOURCE).count(Metric.HANDLED, 1);
      }
      assertThat(log.calls).isEmpty();
    }
  }

  @Test
  void aListenerBothBoundAndInTheOptionsIsToldOnce() {
    try (UnifiedJedis client = client()) {
      Log log = new Log();
      try (ClientMetrics.Binding b = ClientMetrics.bind(client, log)) {
        Metrics m = Metrics.of(client, log, SOURCE);
        m.count(Metric.HANDLED, 3);
      }
      assertThat(log.calls).containsExactly("handled+3");
    }
  }

  @Test
  void aThrowingBoundListenerNeitherBreaksTheCallerNorTheOtherListeners() {
    try (UnifiedJedis client = client()) {
      MetricsListener bad = new MetricsListener() {
        @Override
        public void count(MetricSource source, Metric metric, long amount) {
          throw new IllegalStateException("boom");
        }

        @Override
        public void attached(Instrumented p) {
          throw new IllegalStateException("boom");
        }
      };
      Log log = new Log();
      try (ClientMetrics.Binding b1 = ClientMetrics.bind(client, bad);
          ClientMetrics.Binding b2 = ClientMetrics.bind(client, log)) {
        Metrics m = Metrics.of(client, MetricsListener.NONE, SOURCE);
        m.count(Metric.HANDLED, 1);
        m.attach(levels("x"));
        m.detach(levels("x")); // another object: nothing to detach
      }
      assertThat(log.calls).containsExactly("handled+1", "attached x", "detached x");
    }
  }

  @Test
  void instrumentedOfReadsEachLevelAndRefusesNonGauges() {
    Instrumented i = levels("q");
    assertThat(i.levels()).containsExactly(Metric.WAITING);
    assertThat(i.readLevels()).containsEntry(Metric.WAITING, 1L);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Instrumented.of(SOURCE,
        Map.<Metric, LongSupplier>of(Metric.HANDLED, () -> 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HANDLED");
  }

  @Test
  void primitivesSkipTimingsWhileOnlyCountsOnlyListenersAreBoundButStillCount() {
    MetricsListener countsOnly = new MetricsListener() {
      @Override
      public boolean countsOnly() {
        return true;
      }
    };
    try (UnifiedJedis client = client()) {
      Metrics m = Metrics.of(client, MetricsListener.NONE, SOURCE);
      assertThat(m.timed()).isFalse();
      try (ClientMetrics.Binding b = ClientMetrics.bind(client, countsOnly)) {
        assertThat(m.enabled()).isTrue();
        assertThat(m.timed()).isFalse();
        Log log = new Log();
        try (ClientMetrics.Binding b2 = ClientMetrics.bind(client, log)) {
          assertThat(m.timed()).isTrue();
          m.count(Metric.HANDLED, 3);
          assertThat(log.calls).containsExactly("handled+3");
        }
        assertThat(m.timed()).isFalse();
      }
      assertThat(m.enabled()).isFalse();
      assertThat(Metrics.of(client, countsOnly, SOURCE).timed()).isFalse();
      assertThat(Metrics.of(client, new Log(), SOURCE).timed()).isTrue();
      assertThat(MetricsListener.all(countsOnly, countsOnly).countsOnly()).isTrue();
      assertThat(MetricsListener.all(countsOnly, new Log()).countsOnly()).isFalse();
    }
  }
}
