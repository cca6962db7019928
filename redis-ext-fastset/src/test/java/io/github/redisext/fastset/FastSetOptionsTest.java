package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.metrics.MetricsListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Extreme arguments (issue 11, item 6): every option rejects an out-of-range value at once with an
 * IllegalArgumentException naming the option and the allowed range, and accepts both ends of it.
 */
class FastSetOptionsTest {
  private record Case(String option, String range, Consumer<FastSetOptions.Builder> bad) {}

  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

  @Test
  void everyOptionRejectsOutOfRangeValuesNamingTheOptionAndTheRange() {
    List<Case> cases = List.of(
        new Case("refreshInterval", "between PT0S and PT8760H", b -> b.refreshInterval(HUGE)),
        new Case("refreshInterval", "between PT0S and PT8760H",
            b -> b.refreshInterval(Duration.ofMillis(-1))),
        new Case("refreshInterval", "between PT0S and PT8760H",
            b -> b.refreshInterval(Duration.ofDays(365).plusNanos(1))),
        new Case("subscribeTimeout", "between PT0S and PT1H", b -> b.subscribeTimeout(HUGE)),
        new Case("subscribeTimeout", "between PT0S and PT1H",
            b -> b.subscribeTimeout(Duration.ofNanos(-1))),
        new Case("scanBatch", "between 1 and 100000", b -> b.scanBatch(0)),
        new Case("scanBatch", "between 1 and 100000", b -> b.scanBatch(Integer.MAX_VALUE)),
        new Case("scanBatch", "between 1 and 100000", b -> b.scanBatch(Integer.MIN_VALUE)),
        new Case("changeLogLength", "between 0 and 100000", b -> b.changeLogLength(-1)),
        new Case("changeLogLength", "between 0 and 100000",
            b -> b.changeLogLength(Integer.MAX_VALUE)),
        new Case("maxDeltaMembers", "between 1 and 100000", b -> b.maxDeltaMembers(0)),
        new Case("maxDeltaMembers", "between 1 and 100000",
            b -> b.maxDeltaMembers(Integer.MAX_VALUE)),
        new Case("maxConflictRetries", "between 0 and 10000", b -> b.maxConflictRetries(-1)),
        new Case("maxConflictRetries", "between 0 and 10000",
            b -> b.maxConflictRetries(Integer.MAX_VALUE)));
    for (Case c : cases) {
      assertThatThrownBy(() -> c.bad().accept(FastSetOptions.builder()))
          .as(c.option()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.option()).hasMessageContaining(c.range());
    }
    assertThatThrownBy(() -> FastSetOptions.builder().refreshInterval(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("refreshInterval");
    assertThatThrownBy(() -> FastSetOptions.builder().subscribeTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("subscribeTimeout");
    assertThatThrownBy(() -> FastSetOptions.builder().metrics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("metrics");
  }

  @Test
  void metricsDefaultToNoneAndSurviveToBuilder() {
    assertThat(FastSetOptions.defaults().metrics()).isSameAs(MetricsListener.NONE);
    MetricsListener l = new MetricsListener() {};
    FastSetOptions o = FastSetOptions.builder().metrics(l).build();
    assertThat(o.toBuilder().build().metrics()).isSameAs(l);
  }

  @Test
  void bothEndsOfEveryRangeAreAccepted() {
    FastSetOptions low = FastSetOptions.builder().refreshInterval(Duration.ZERO)
        .subscribeTimeout(Duration.ZERO).scanBatch(1).changeLogLength(0).maxDeltaMembers(1)
        .maxConflictRetries(0).build();
    assertThat(low.scanBatch()).isEqualTo(1);
    FastSetOptions high = FastSetOptions.builder()
        .refreshInterval(FastSetOptions.MAX_REFRESH_INTERVAL)
        .subscribeTimeout(FastSetOptions.MAX_SUBSCRIBE_TIMEOUT)
        .scanBatch(FastSetOptions.MAX_SCAN_BATCH)
        .changeLogLength(FastSetOptions.MAX_CHANGE_LOG_LENGTH)
        .maxDeltaMembers(FastSetOptions.MAX_DELTA_MEMBERS)
        .maxConflictRetries(FastSetOptions.MAX_CONFLICT_RETRIES).build();
    assertThat(high.toString()).contains("refreshInterval=PT8760H", "scanBatch=100000",
        "changeLogLength=100000", "maxDeltaMembers=100000", "maxConflictRetries=10000",
        "subscribeTimeout=PT1H");
  }
}
