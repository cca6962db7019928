package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Several consumer processes: exactly-once racing and crash recovery (kill -9). */
@RedisBackends
class TimersProcessesIT {
  private static final int TIMERS = 10_000;

  private final RedisBackend redis;

  TimersProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  private String layout() {
    return redis.isCluster() ? "race" : "-";
  }

  private TimersOptions.Builder options() {
    TimersOptions.Builder b = TimersOptions.builder();
    return redis.isCluster() ? b.sharded("race", 3) : b;
  }

  @Test
  void threeProcessesRacingOverTenThousandDueTimersRunEachHandlerExactlyOnce() {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(ChildJvm.start(TimersChild.class, redis.uri(), "race", layout(), "30000",
            "16", "child-" + i));
      }
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(30));
      }
      try (Timers<Void> producer = Timers.builder(redis.client(), (Void) null)
          .include(new Router<Void>().handler("race", TestPayload.class, (p, ctx) -> { }))
          .options(options().build()).build()) {
        List<TimerRequest> batch = new ArrayList<>(TIMERS);
        for (int i = 0; i < TIMERS; i++) {
          batch.add(new TimerRequest("race", "t" + i, new TestPayload("t" + i, i), Duration.ZERO));
        }
        producer.setTimers(batch);

        await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(200))
            .until(() -> producer.pendingCount() == 0);
      }
      Map<String, String> runs = redis.client().hgetAll("{race}:runs");
      assertThat(runs).hasSize(TIMERS);
      assertThat(runs.values()).allMatch("1"::equals);
      Map<String, String> by = redis.client().hgetAll("{race}:by");
      assertThat(by.values().stream().mapToLong(Long::parseLong).sum()).isEqualTo(TIMERS);
      assertThat(by).as("consumers that fired timers: %s", by).hasSizeGreaterThanOrEqualTo(2);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void aConsumerKilledMidHandlerLeavesItsTimerToASurvivor() {
    Queue<TestPayload> fired = new ConcurrentLinkedQueue<>();
    try (ChildJvm child = ChildJvm.start(TimersChild.class, redis.uri(), "hang", layout(), "1000",
        "4", "victim");
        Timers<Void> survivor = Timers.builder(redis.client(), (Void) null)
            .include(new Router<Void>().handler("race", TestPayload.class,
                (p, ctx) -> fired.add(p)))
            .options(options().lease(Duration.ofSeconds(1)).build()).build()) {
      child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(30));
      survivor.setTimer("race", "crash", new TestPayload("crash", 1), Duration.ZERO);
      child.awaitLine(l -> l.equals("HANDLING crash"), Duration.ofSeconds(20));
      child.kill();

      survivor.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
      assertThat(fired).containsExactly(new TestPayload("crash", 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> survivor.pendingCount() == 0);
      assertThat(survivor.stats().fired()).isEqualTo(1);
    }
  }
}
