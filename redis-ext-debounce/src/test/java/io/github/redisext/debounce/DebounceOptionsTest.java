package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebounceOptionsTest {
  @Test
  void defaultsAreTheNamedConstants() {
    DebounceOptions d = DebounceOptions.defaults();
    assertThat(d.defaultDelay()).isEqualTo(DebounceOptions.DEFAULT_DELAY).isZero();
    assertThat(d.duplicatePolicy()).isEqualTo(DuplicatePolicy.KEEP_FIRST);
    assertThat(d.maxWait()).isEmpty();
    // the consumer options are the shared ones, with the shared defaults
    assertThat(d.consumer()).isEqualTo(ConsumerOptions.defaults());
    assertThat(d.consumer().lease()).isEqualTo(ConsumerOptions.DEFAULT_LEASE);
    assertThat(d.consumer().concurrency()).isEqualTo(ConsumerOptions.DEFAULT_CONCURRENCY);
    assertThat(d.consumer().prefetch()).isEqualTo(ConsumerOptions.DEFAULT_PREFETCH);
    assertThat(d.consumer().retryInitial()).isEqualTo(ConsumerOptions.DEFAULT_RETRY_INITIAL);
    assertThat(d.consumer().retryMax()).isEqualTo(ConsumerOptions.DEFAULT_RETRY_MAX);
    assertThat(d.consumer().retryJitter()).isTrue();
    assertThat(d.consumer().maxAttempts()).isEqualTo(ConsumerOptions.DEFAULT_MAX_ATTEMPTS).isEqualTo(5);
    assertThat(d.consumer().idleWait()).isEqualTo(ConsumerOptions.DEFAULT_IDLE_WAIT);
    assertThat(d.consumer().shutdownGrace()).isEqualTo(ConsumerOptions.DEFAULT_SHUTDOWN_GRACE);
    assertThat(d.wakeUps()).isTrue();
    assertThat(d.consumer().metrics()).isSameAs(MetricsListener.NONE);
    assertThat(d).isEqualTo(DebounceOptions.builder().build());
  }

  @Test
  void theMetricsListenerGoesIntoTheConsumerOptions() {
    MetricsListener l = new MetricsListener() {};
    DebounceOptions o = DebounceOptions.builder().metrics(l).build();
    assertThat(o.consumer().metrics()).isSameAs(l);
    assertThat(o).isNotEqualTo(DebounceOptions.defaults());
    assertThatThrownBy(() -> DebounceOptions.builder().metrics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("metrics");
  }

  @Test
  void builderKeepsWhatWasSetAndPrintsIt() {
    DebounceOptions o = DebounceOptions.builder().defaultDelay(Duration.ofSeconds(2))
        .duplicatePolicy(DuplicatePolicy.DEBOUNCE).maxWait(Duration.ofSeconds(30))
        .lease(Duration.ofSeconds(5)).concurrency(8).prefetch(3)
        .retryBackoff(Duration.ZERO, Duration.ZERO)
        .idleWait(Duration.ofMillis(250)).shutdownGrace(Duration.ofSeconds(1))
        .wakeUps(false).build();
    assertThat(o.maxWait()).contains(Duration.ofSeconds(30));
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.toString()).contains("defaultDelay=PT2S", "DEBOUNCE", "maxWait=PT30S",
        "lease=PT5S", "concurrency=8", "prefetch=3", "idleWait=PT0.25S", "shutdownGrace=PT1S",
        "wakeUps=false");
    assertThat(o.consumer()).isEqualTo(ConsumerOptions.builder().lease(Duration.ofSeconds(5))
        .concurrency(8).prefetch(3).retryBackoff(Duration.ZERO, Duration.ZERO)
        .idleWait(Duration.ofMillis(250)).shutdownGrace(Duration.ofSeconds(1)).build());
    assertThat(DebounceOptions.builder().consumer(o.consumer()).build().consumer())
        .isEqualTo(o.consumer());
    assertThat(o.toBuilder().noMaxWait().build().maxWait()).isEmpty();
  }

  @Test
  void attemptLimitAndRetryCapAreKeptComparedAndPrinted() {
    DebounceOptions o = DebounceOptions.builder().maxAttempts(1)
        .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(7)).build();
    assertThat(o.consumer().maxAttempts()).isEqualTo(1);
    assertThat(o.consumer().retryMax()).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o).isNotEqualTo(o.toBuilder().maxAttempts(2).build())
        .isNotEqualTo(o.toBuilder().retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .build())
        .isNotEqualTo(o.toBuilder().retryJitter(false).build());
    assertThat(o.toString()).contains("maxAttempts=1", "retryBackoff=PT1S..PT7S jittered");
    assertThat(DebounceOptions.builder().maxAttempts(1_000_000).build().consumer().maxAttempts())
        .isEqualTo(1_000_000);
  }

  @Test
  void badAttemptLimitsAndRetryCapsAreRejectedNamingTheOption() {
    DebounceOptions.Builder b = DebounceOptions.builder();
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.maxAttempts(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ZERO, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryBackoff max");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("retryBackoff max");
    assertThat(b.build()).isEqualTo(DebounceOptions.defaults());
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    DebounceOptions.Builder b = DebounceOptions.builder();
    assertThatThrownBy(() -> b.defaultDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultDelay");
    assertThatThrownBy(() -> b.defaultDelay(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("defaultDelay");
    assertThatThrownBy(() -> b.duplicatePolicy(null)).hasMessageContaining("duplicatePolicy");
    assertThatThrownBy(() -> b.maxWait(Duration.ofMillis(-1))).hasMessageContaining("maxWait");
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(10))).hasMessageContaining("lease");
    assertThatThrownBy(() -> b.lease(Duration.ZERO)).hasMessageContaining("lease");
    assertThatThrownBy(() -> b.concurrency(0)).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.prefetch(-1)).hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff initial");
    assertThatThrownBy(() -> b.idleWait(Duration.ZERO)).hasMessageContaining("idleWait");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownGrace");
    assertThatThrownBy(() -> b.consumer(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("consumer");
    assertThatThrownBy(() -> DebounceOptions.builder().maxWait(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DEBOUNCE");
  }
}
