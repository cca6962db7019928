package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessOptionsTest {
  @Test
  void defaultsAreTheNamedConstants() {
    ProcessOptions o = ProcessOptions.builder("g").build();
    assertThat(o.group()).isEqualTo("g");
    assertThat(o.consumerName()).isNull();
    assertThat(o.startFrom()).isEqualTo(ProcessOptions.DEFAULT_START_FROM);
    assertThat(o.consumer().concurrency()).isEqualTo(ProcessOptions.DEFAULT_CONCURRENCY);
    assertThat(o.consumer().prefetch()).isEqualTo(ProcessOptions.DEFAULT_PREFETCH);
    assertThat(o.consumer().maxAttempts()).isEqualTo(ProcessOptions.DEFAULT_MAX_ATTEMPTS);
    assertThat(o.removeIdleConsumersAfter())
        .isEqualTo(ProcessOptions.DEFAULT_REMOVE_IDLE_CONSUMERS_AFTER);
    assertThat(o.trimInterval()).isEqualTo(Duration.ZERO);
    assertThat(o.batchSize()).isEqualTo(ProcessOptions.DEFAULT_BATCH_SIZE);
    assertThat(o.toString()).contains("group=g", "startFrom=LATEST");
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }

  @Test
  void consumerSettersKeepTheCoreNamesAndRanges() {
    ProcessOptions o = ProcessOptions.builder("g").concurrency(3).prefetch(7)
        .lease(Duration.ofSeconds(5)).maxAttempts(4)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(9)).retryJitter(false)
        .shutdownGrace(Duration.ofSeconds(2)).idleWait(Duration.ofMillis(300)).build();
    assertThat(o.consumer().concurrency()).isEqualTo(3);
    assertThat(o.consumer().prefetch()).isEqualTo(7);
    assertThat(o.consumer().lease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.consumer().maxAttempts()).isEqualTo(4);
    assertThat(o.consumer().retryMax()).isEqualTo(Duration.ofMillis(9));
    assertThat(o.consumer().retryJitter()).isFalse();
    assertThat(ProcessOptions.builder("g").retryForever().build().consumer().maxAttempts())
        .isEqualTo(ProcessOptions.FOREVER);
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> ProcessOptions.builder(" ")).hasMessageContaining("group");
    assertThatThrownBy(() -> ProcessOptions.builder("g").concurrency(0))
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> ProcessOptions.builder("g").consumerName(""))
        .hasMessageContaining("consumerName");
    assertThatThrownBy(() -> ProcessOptions.builder("g").batchSize(0))
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> ProcessOptions.builder("g").trimInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("trimInterval");
    assertThatThrownBy(() -> ProcessOptions.builder("g").startFrom(null))
        .hasMessageContaining("startFrom");
    assertThatThrownBy(() -> StreamOptions.builder().maxLength(-1))
        .hasMessageContaining("maxLength");
    assertThatThrownBy(() -> StreamOptions.builder().maxAge(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxAge");
  }

  @Test
  void streamOptionDefaultsAreTheNamedConstants() {
    StreamOptions s = StreamOptions.defaults();
    assertThat(s.produceEvents()).isEqualTo(StreamOptions.DEFAULT_PRODUCE_EVENTS);
    assertThat(s.maxLength()).isEqualTo(StreamOptions.DEFAULT_MAX_LENGTH);
    assertThat(s.deadLetterMaxLength()).isEqualTo(StreamOptions.DEFAULT_DEAD_LETTER_MAX_LENGTH);
    assertThat(s.eventsMaxLength()).isEqualTo(StreamOptions.DEFAULT_EVENTS_MAX_LENGTH);
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThat(s.toString()).contains("produceEvents=false");
  }
}
