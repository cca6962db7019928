package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  @Test
  void defaultsAreTheNamedConstants() {
    WorkerOptions o = WorkerOptions.defaults();
    assertThat(o.concurrency()).isEqualTo(WorkerOptions.DEFAULT_CONCURRENCY).isEqualTo(4);
    assertThat(o.fetchTimeout()).isEqualTo(WorkerOptions.DEFAULT_FETCH_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(o.prefetch()).isEqualTo(WorkerOptions.DEFAULT_PREFETCH);
    assertThat(o.leaseTimeout()).isEqualTo(WorkerOptions.DEFAULT_LEASE_TIMEOUT);
    assertThat(o.maxAttempts()).isEqualTo(WorkerOptions.DEFAULT_MAX_ATTEMPTS);
    assertThat(o.retryInitialDelay()).isEqualTo(WorkerOptions.DEFAULT_RETRY_INITIAL_DELAY);
    assertThat(o.retryMaxDelay()).isEqualTo(WorkerOptions.DEFAULT_RETRY_MAX_DELAY);
    assertThat(o.stopOnFailure()).isFalse();
    assertThat(o.shutdownGrace()).isEqualTo(WorkerOptions.DEFAULT_SHUTDOWN_GRACE);
    assertThat(o.toString()).contains("concurrency=4", "fetchTimeout=PT5S");
  }

  @Test
  void badValuesAreRejectedWithTheOptionsName() {
    WorkerOptions.Builder b = WorkerOptions.builder();
    assertThatThrownBy(() -> b.concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.prefetch(-1)).hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.prefetch(WorkerOptions.MAX_PREFETCH + 1))
        .hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.fetchTimeout(Duration.ZERO)).hasMessageContaining("fetchTimeout");
    assertThatThrownBy(() -> b.fetchTimeout(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fetchTimeout");
    assertThatThrownBy(() -> b.leaseTimeout(Duration.ofMillis(100)))
        .hasMessageContaining("leaseTimeout");
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownGrace");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    WorkerOptions o = WorkerOptions.builder().concurrency(7).prefetch(3)
        .fetchTimeout(Duration.ofMillis(250)).leaseTimeout(Duration.ofSeconds(3)).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).stopOnFailure(true)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
  }
}
