package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UniqueIdOptionsTest {
  @Test
  void defaultsMatchThePythonOriginal() {
    UniqueIdOptions o = UniqueIdOptions.defaults();
    assertThat(o.timeout()).isEqualTo(Duration.ofHours(1)).isEqualTo(UniqueIdOptions.DEFAULT_TIMEOUT);
    assertThat(o.refreshOnRead()).isFalse();
    assertThat(o.sequenceBlockSize()).isEqualTo(1);
    assertThat(o).hasToString(
        "UniqueIdOptions[timeout=PT1H, refreshOnRead=false, sequenceBlockSize=1]");
  }

  @Test
  void builderSetsAndCopiesEveryOption() {
    UniqueIdOptions o = UniqueIdOptions.builder().timeout(Duration.ofMillis(1500))
        .refreshOnRead(true).sequenceBlockSize(1000).build();
    assertThat(o.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.refreshOnRead()).isTrue();
    assertThat(o.sequenceBlockSize()).isEqualTo(1000);
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o.toBuilder().sequenceBlockSize(2).build()).isNotEqualTo(o);
  }

  @Test
  void badValuesAreRejectedAtOnceNamingTheOption() {
    UniqueIdOptions.Builder b = UniqueIdOptions.builder();
    assertThatThrownBy(() -> b.timeout(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.timeout(Duration.ofNanos(1500_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
    assertThatThrownBy(() -> b.sequenceBlockSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequenceBlockSize");
    assertThatThrownBy(() -> b.sequenceBlockSize(UniqueIdOptions.MAX_SEQUENCE_BLOCK_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequenceBlockSize");
    assertThatThrownBy(() -> b.metrics(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("metrics");
    assertThat(b.build()).isEqualTo(UniqueIdOptions.defaults());
  }

  @Test
  void metricsDefaultToNoneAndAreCopiedByToBuilder() {
    assertThat(UniqueIdOptions.defaults().metrics()).isSameAs(MetricsListener.NONE);
    MetricsListener l = new MetricsListener() {};
    UniqueIdOptions o = UniqueIdOptions.builder().metrics(l).build();
    assertThat(o.toBuilder().build().metrics()).isSameAs(l);
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o).isNotEqualTo(UniqueIdOptions.defaults());
  }
}
