package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.timers.internal.KeyLayout;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimersOptionsTest {
  @Test
  void defaultsMatchRedisTimers() {
    TimersOptions o = TimersOptions.defaults();
    assertThat(o.timelineKey()).isEqualTo("timers_timeline");
    assertThat(o.payloadsKey()).isEqualTo("timers_payloads");
    assertThat(o.separator()).isEqualTo("--");
    assertThat(o.consumer().concurrency()).isEqualTo(5);
    assertThat(o.consumer().lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.jitterMin()).isEqualTo(0.5);
    assertThat(o.jitterMax()).isEqualTo(2.0);
    assertThat(o.isSharded()).isFalse();
    assertThat(o.toString()).contains("timers_timeline").contains("concurrency=5");
  }

  @Test
  void environmentVariablesOfTheOriginalAreHonoured() {
    TimersOptions o = TimersOptions.builder().environment(Map.of(
        "TIMERS_TIMELINE_KEY", "tl", "TIMERS_PAYLOADS_KEY", "pl", "TIMERS_SEPARATOR", "::",
        "TIMERS_HANDLING_SLEEP", "0.05", "TIMERS_HANDLING_JITTER_MIN_VALUE", "0.8",
        "TIMERS_HANDLING_JITTER_MAX_VALUE", "1.2", "TIMERS_CONCURRENT_PROCESSING_LIMIT", "0"))
        .build();
    assertThat(o.timelineKey()).isEqualTo("tl");
    assertThat(o.payloadsKey()).isEqualTo("pl");
    assertThat(o.separator()).isEqualTo("::");
    assertThat(o.consumer().idleWait()).isEqualTo(Duration.ofMillis(50));
    assertThat(o.jitterMin()).isEqualTo(0.8);
    assertThat(o.jitterMax()).isEqualTo(1.2);
    assertThat(o.firesNothing()).isTrue();
    KeyLayout keys = KeyLayout.of(o);
    assertThat(keys.timeline(0)).isEqualTo("tl");
    assertThat(keys.lockPrefix(0) + keys.timerKey("a", "b::c")).isEqualTo("consume-lock::a::b::c");
    assertThat(keys.topicOf("a::b::c")).isEqualTo("a");
    assertThat(keys.idOf("a::b::c")).isEqualTo("b::c");
  }

  @Test
  void badEnvironmentValuesNameTheVariable() {
    assertThatThrownBy(() -> TimersOptions.builder()
        .environment(Map.of("TIMERS_CONCURRENT_PROCESSING_LIMIT", "five")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TIMERS_CONCURRENT_PROCESSING_LIMIT");
    assertThatThrownBy(() -> TimersOptions.builder()
        .environment(Map.of("TIMERS_HANDLING_SLEEP", "soon")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TIMERS_HANDLING_SLEEP");
  }

  @Test
  void buildersRejectBadValuesNamingTheOption() {
    TimersOptions.Builder b = TimersOptions.builder();
    assertThatThrownBy(() -> b.concurrency(-1)).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(10))).hasMessageContaining("lease");
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.idleWait(Duration.ZERO)).hasMessageContaining("idleWait");
    assertThatThrownBy(() -> b.jitter(2, 1)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> b.separator("")).hasMessageContaining("separator");
    assertThatThrownBy(() -> b.timelineKey(" ")).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("timelineKey");
    assertThatThrownBy(() -> b.sharded("a{b}", 2)).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> b.sharded("{a}{b}", 2)).isInstanceOf(KeyNameException.class);
    // core's naming rule: "{x}" names what "x" names
    assertThat(TimersOptions.builder().sharded("{jobs}", 2).build().shardName()).isEqualTo("jobs");
    assertThatThrownBy(() -> b.sharded("a", 0)).hasMessageContaining("shards");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("retryBackoff");
  }

  @Test
  void shardedLayoutKeepsEveryKeyOfAShardUnderOneHashTag() {
    KeyLayout keys = KeyLayout.of(TimersOptions.builder().sharded("t", 4).build());
    assertThat(keys.timeline(2)).isEqualTo("{t:2}:timeline");
    assertThat(keys.payloads(2)).isEqualTo("{t:2}:payloads");
    assertThat(keys.dead(2)).isEqualTo("{t:2}:dead");
    assertThat(keys.lockPrefix(2)).isEqualTo("{t:2}:consume-lock--");
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      counts[keys.shardOf("topic--" + i)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(800, 1200);
    }
  }

  @Test
  void routersRejectBadRegistrations() {
    Router<Void> r = new Router<Void>().handler("a", TestPayload.class, (p, c) -> { });
    assertThatThrownBy(() -> r.handler("a", TestPayload.class, (p, c) -> { }))
        .hasMessageContaining("'a' already has a handler");
    assertThatThrownBy(() -> r.handler(" ", TestPayload.class, (p, c) -> { }))
        .hasMessageContaining("topic");
    assertThatThrownBy(() -> r.handler("b", null, (p, c) -> { }))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
    assertThat(r.topics()).containsExactly("a");
  }

  @Test
  void timerRequestsCheckTheirArguments() {
    assertThatThrownBy(() -> new TimerRequest("t", "id", null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
    assertThatThrownBy(() -> new TimerRequest("t", "id", "x", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
  }

  @Test
  void unknownTopicsDefaultsToDeadLetterAndCanBeLeave() {
    assertThat(TimersOptions.defaults().unknownTopics()).isEqualTo(UnknownTopicPolicy.DEAD_LETTER);
    TimersOptions leave = TimersOptions.builder().unknownTopics(UnknownTopicPolicy.LEAVE).build();
    assertThat(leave.unknownTopics()).isEqualTo(UnknownTopicPolicy.LEAVE);
    assertThat(leave.toBuilder().build().unknownTopics()).isEqualTo(UnknownTopicPolicy.LEAVE);
    assertThat(leave.toString()).contains("unknownTopics=LEAVE");
    assertThatThrownBy(() -> TimersOptions.builder().unknownTopics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("unknownTopics");
  }
}
