package io.github.redisext.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerBuilderTest {
  /** A module's builder as modules write them: defaults of its own, one narrower range. */
  static final class ModuleBuilder extends ConsumerBuilder<ModuleBuilder> {
    String own = "x";

    ModuleBuilder() {
      super(ConsumerOptions.builder().concurrency(2).prefetch(0).build());
    }

    ModuleBuilder own(String s) {
      this.own = s;
      return this;
    }

    @Override
    public ModuleBuilder lease(Duration d) {
      if (d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lease must be at least 1 s, got " + d);
      }
      return super.lease(d);
    }
  }

  @Test
  void startsFromTheModulesDefaultsAndKeepsCoresForTheRest() {
    ConsumerOptions o = new ModuleBuilder().consumerOptions();
    assertThat(o.concurrency()).isEqualTo(2);
    assertThat(o.prefetch()).isZero();
    assertThat(o.lease()).isEqualTo(ConsumerOptions.DEFAULT_LEASE);
    assertThat(o.maxAttempts()).isEqualTo(ConsumerOptions.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void everySetterReturnsTheModulesBuilderSoModuleSettersChainAfterIt() {
    MetricsListener listener = new MetricsListener() { };
    ModuleBuilder b = new ModuleBuilder().concurrency(7).own("a").prefetch(3)
        .lease(Duration.ofSeconds(9)).maxAttempts(2)
        .retryBackoff(Duration.ofMillis(5), Duration.ofSeconds(6)).retryJitter(false)
        .shutdownGrace(Duration.ofSeconds(4)).idleWait(Duration.ofMillis(250)).metrics(listener)
        .own("b");
    ConsumerOptions o = b.consumerOptions();
    assertThat(b.own).isEqualTo("b");
    assertThat(o.concurrency()).isEqualTo(7);
    assertThat(o.prefetch()).isEqualTo(3);
    assertThat(o.lease()).isEqualTo(Duration.ofSeconds(9));
    assertThat(o.maxAttempts()).isEqualTo(2);
    assertThat(o.retryInitial()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.retryMax()).isEqualTo(Duration.ofSeconds(6));
    assertThat(o.retryJitter()).isFalse();
    assertThat(o.shutdownGrace()).isEqualTo(Duration.ofSeconds(4));
    assertThat(o.idleWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.metrics()).isSameAs(listener);
  }

  @Test
  void consumerReplacesEverythingSetBefore() {
    ConsumerOptions given = ConsumerOptions.builder().concurrency(11).build();
    ConsumerOptions o = new ModuleBuilder().prefetch(9).consumer(given).consumerOptions();
    assertThat(o).isEqualTo(given);
  }

  @Test
  void badValuesAreRejectedAtOnceNamingTheOption() {
    ModuleBuilder b = new ModuleBuilder();
    assertThatThrownBy(() -> b.concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.prefetch(-1)).hasMessageContaining("prefetch");
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("shutdownGrace");
    assertThatThrownBy(() -> b.idleWait(Duration.ZERO)).hasMessageContaining("idleWait");
    assertThatThrownBy(() -> b.metrics(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("metrics");
    assertThatThrownBy(() -> b.consumer(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("consumer");
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(500)))
        .hasMessageContaining("at least 1 s");
    assertThat(b.consumerOptions()).isEqualTo(new ModuleBuilder().consumerOptions());
  }
}
