package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebounceOptionsTest {
  @Test
  void defaultsAreTheNamedConstants() {
    DebounceOptions d = DebounceOptions.defaults();
    assertThat(d.defaultDelay()).isEqualTo(DebounceOptions.DEFAULT_DELAY).isZero();
    assertThat(d.duplicatePolicy()).isEqualTo(DuplicatePolicy.KEEP_FIRST);
    assertThat(d.maxWait()).isEmpty();
    assertThat(d.lease()).isEqualTo(DebounceOptions.DEFAULT_LEASE);
    assertThat(d.consumerThreads()).isEqualTo(DebounceOptions.DEFAULT_CONSUMER_THREADS);
    assertThat(d.retryDelay()).isEqualTo(DebounceOptions.DEFAULT_RETRY_DELAY);
    assertThat(d.maxRetryDelay()).isEqualTo(DebounceOptions.DEFAULT_MAX_RETRY_DELAY);
    assertThat(d.maxAttempts()).isEqualTo(DebounceOptions.DEFAULT_MAX_ATTEMPTS).isEqualTo(5);
    assertThat(d.maxIdleWait()).isEqualTo(DebounceOptions.DEFAULT_MAX_IDLE_WAIT);
    assertThat(d.shutdownTimeout()).isEqualTo(DebounceOptions.DEFAULT_SHUTDOWN_TIMEOUT);
    assertThat(d.publishWakeUps()).isTrue();
    assertThat(d).isEqualTo(DebounceOptions.builder().build());
  }

  @Test
  void builderKeepsWhatWasSetAndPrintsIt() {
    DebounceOptions o = DebounceOptions.builder().defaultDelay(Duration.ofSeconds(2))
        .duplicatePolicy(DuplicatePolicy.DEBOUNCE).maxWait(Duration.ofSeconds(30))
        .lease(Duration.ofSeconds(5)).consumerThreads(8).retryDelay(Duration.ZERO)
        .maxIdleWait(Duration.ofMillis(250)).shutdownTimeout(Duration.ofSeconds(1))
        .publishWakeUps(false).build();
    assertThat(o.maxWait()).contains(Duration.ofSeconds(30));
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.toString()).contains("defaultDelay=PT2S", "DEBOUNCE", "maxWait=PT30S",
        "lease=PT5S", "consumerThreads=8", "publishWakeUps=false");
    assertThat(o.toBuilder().noMaxWait().build().maxWait()).isEmpty();
  }

  @Test
  void attemptLimitAndRetryCapAreKeptComparedAndPrinted() {
    DebounceOptions o = DebounceOptions.builder().maxAttempts(1)
        .maxRetryDelay(Duration.ofSeconds(7)).build();
    assertThat(o.maxAttempts()).isEqualTo(1);
    assertThat(o.maxRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o).isNotEqualTo(o.toBuilder().maxAttempts(2).build())
        .isNotEqualTo(o.toBuilder().maxRetryDelay(Duration.ZERO).build());
    assertThat(o.toString()).contains("maxAttempts=1", "maxRetryDelay=PT7S");
    assertThat(DebounceOptions.builder().maxAttempts(Integer.MAX_VALUE).build().maxAttempts())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void badAttemptLimitsAndRetryCapsAreRejectedNamingTheOption() {
    DebounceOptions.Builder b = DebounceOptions.builder();
    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.maxAttempts(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.maxRetryDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryDelay");
    assertThatThrownBy(() -> b.maxRetryDelay(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("maxRetryDelay");
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
    assertThatThrownBy(() -> b.consumerThreads(0)).hasMessageContaining("consumerThreads");
    assertThatThrownBy(() -> b.retryDelay(Duration.ofSeconds(-1))).hasMessageContaining("retryDelay");
    assertThatThrownBy(() -> b.maxIdleWait(Duration.ZERO)).hasMessageContaining("maxIdleWait");
    assertThatThrownBy(() -> b.shutdownTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownTimeout");
    assertThatThrownBy(() -> DebounceOptions.builder().maxWait(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DEBOUNCE");
  }
}
