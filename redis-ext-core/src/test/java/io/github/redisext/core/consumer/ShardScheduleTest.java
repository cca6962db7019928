package io.github.redisext.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShardScheduleTest {
  @Test
  void everyShardIsDueAtFirstThenOnlyThoseWithSomethingDue() {
    ShardSchedule s = new ShardSchedule(3, Duration.ofSeconds(60));
    assertThat(s.due(1_000)).containsExactlyInAnyOrder(0, 1, 2);
    s.claimed(0, 0, 10, null, 1_000);
    s.claimed(1, 2, 10, 5_000L, 1_000);
    s.claimed(2, 10, 10, 1_500L, 1_000);
    assertThat(s.due(1_001)).containsExactly(2); // a full claim: more may wait
    s.claimed(2, 0, 10, 1_500L, 1_001);
    assertThat(s.due(1_200)).isEmpty();
    assertThat(s.untilNext(1_200)).isEqualTo(Duration.ofMillis(300));
    assertThat(s.due(1_500)).containsExactly(2);
    assertThat(s.due(5_000)).containsExactly(1);
  }

  @Test
  void aWakeUpMakesItsShardDueAndASkippedShardStaysDue() {
    ShardSchedule s = new ShardSchedule(2, Duration.ofSeconds(60));
    assertThat(s.due(0)).containsExactly(0, 1);
    s.claimed(0, 0, 10, null, 0);
    s.claimed(1, 0, 10, null, 0);
    assertThat(s.due(10)).isEmpty();
    s.lower(1, 5);
    s.lower(0, 8);
    assertThat(s.due(10)).containsExactlyInAnyOrder(1, 0);
    s.skipped(1);
    assertThat(s.due(10)).containsExactly(1);
  }

  @Test
  void aFailedShardBacksOffAloneAndEveryShardIsLookedAtAgainAfterTheIdleWait() {
    ShardSchedule s = new ShardSchedule(2, Duration.ofMillis(1_000));
    assertThat(s.due(0)).containsExactly(0, 1);
    Duration pause = s.failed(0, 0);
    s.claimed(1, 0, 10, null, 0);
    assertThat(pause).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
    assertThat(s.due(pause.toMillis() - 1)).isEmpty();
    assertThat(s.due(pause.toMillis())).containsExactly(0);
    s.claimed(0, 0, 10, null, pause.toMillis());
    assertThat(s.due(1_000)).containsExactlyInAnyOrder(0, 1); // idle wait ran out
    s.recheckAll();
    assertThat(s.due(1_001)).containsExactlyInAnyOrder(0, 1);
    assertThatThrownBy(() -> new ShardSchedule(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards");
  }
}
