package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  @Test
  void defaultsAreTheNamedConstants() {
    WorkerOptions o = WorkerOptions.defaults();
    assertThat(o.consumer().concurrency()).isEqualTo(WorkerOptions.DEFAULT_CONCURRENCY).isEqualTo(4);
    assertThat(o.consumer().idleWait()).isEqualTo(WorkerOptions.DEFAULT_IDLE_WAIT)
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(o.consumer().prefetch()).isEqualTo(WorkerOptions.DEFAULT_PREFETCH);
    assertThat(o.consumer().lease()).isEqualTo(WorkerOptions.DEFAULT_LEASE);
    assertThat(o.consumer().maxAttempts()).isEqualTo(WorkerOptions.DEFAULT_MAX_ATTEMPTS);
    assertThat(o.consumer().retryInitial()).isEqualTo(WorkerOptions.DEFAULT_RETRY_INITIAL);
    assertThat(o.consumer().retryMax()).isEqualTo(WorkerOptions.DEFAULT_RETRY_MAX);
    assertThat(o.consumer().retryJitter()).isTrue();
    assertThat(o.consumer().metrics()).isSameAs(MetricsListener.NONE);
    assertThat(o.stopOnFailure()).isFalse();
    assertThat(o.consumer().shutdownGrace()).isEqualTo(WorkerOptions.DEFAULT_SHUTDOWN_GRACE);
    assertThat(o.toString()).contains("concurrency=4", "idleWait=PT5S");
  }

  @Test
  void theShortcutSettersAndAWholeConsumerOptionsSetTheSameThing() {
    MetricsListener listener = new MetricsListener() { };
    WorkerOptions viaShortcuts = WorkerOptions.builder().concurrency(7).prefetch(3)
        .idleWait(Duration.ofMillis(250)).lease(Duration.ofSeconds(3)).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).retryJitter(false)
        .shutdownGrace(Duration.ofSeconds(1)).metrics(listener).build();
    ConsumerOptions c = ConsumerOptions.builder().concurrency(7).prefetch(3)
        .idleWait(Duration.ofMillis(250)).lease(Duration.ofSeconds(3)).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).retryJitter(false)
        .shutdownGrace(Duration.ofSeconds(1)).metrics(listener).build();
    assertThat(viaShortcuts.consumer()).isEqualTo(c);
    assertThat(WorkerOptions.builder().consumer(c).build()).isEqualTo(viaShortcuts);
  }

  @Test
  void aWholeConsumerOptionsIsCheckedAgainstTheWorkersRanges() {
    WorkerOptions.Builder b = WorkerOptions.builder();
    assertThatThrownBy(() -> b.consumer(ConsumerOptions.builder().lease(Duration.ofMillis(100))
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> b.consumer(ConsumerOptions.builder().concurrency(1024).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.consumer(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("consumer");
  }

  @Test
  void badValuesAreRejectedWithTheOptionsName() {
    WorkerOptions.Builder b = WorkerOptions.builder();
    assertThatThrownBy(() -> b.concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.prefetch(-1)).hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.prefetch(WorkerOptions.MAX_PREFETCH + 1))
        .hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.idleWait(Duration.ZERO)).hasMessageContaining("idleWait");
    assertThatThrownBy(() -> b.idleWait(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("idleWait");
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(100)))
        .hasMessageContaining("lease");
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
        .idleWait(Duration.ofMillis(250)).lease(Duration.ofSeconds(3)).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).retryJitter(false)
        .stopOnFailure(true)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }
}
