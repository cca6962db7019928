package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
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

/**
 * Several processes: each trigger fires exactly once across JVMs, and a trigger whose process was
 * killed with SIGKILL mid-handler fires again in another after its lease. The 3 x 10,000 race
 * runs on the real standalone server only (jedis-mock's Lua is too slow for it, and one real
 * backend shows the claim is atomic); the crash test on jedis-mock, Redis 7 and the cluster.
 */
@RedisBackends
class TriggersProcessesIT {
  private final RedisBackend redis;

  TriggersProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void threeJvmsArmingTenThousandTriggersEachFireEveryTriggerExactlyOnce() throws Exception {
    redis.assumeKind("the 30,000-trigger race runs on one real backend", BackendKind.STANDALONE);
    int perJvm = 10_000;
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(ChildJvm.start(TriggersChild.class, redis.uri(), "race", "count",
            Integer.toString(perJvm), "30000"));
      }
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("ARMED"), Duration.ofSeconds(60));
      }
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .until(() -> redis.client().hlen("race-fired") == 3L * perJvm);
      try (ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "race")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> t.pendingCount() == 0);
        assertThat(t.deadLetterCount()).isZero();
      }
      Map<String, String> counts = redis.client().hgetAll("race-fired");
      assertThat(counts).hasSize(3 * perJvm);
      assertThat(counts.values()).allMatch("1"::equals);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void aTriggerWhoseProcessWasKilledMidHandlerFiresAgainInAnotherAfterItsLease() {
    redis.assumeNot("the lease path is the same script on Redis 6.2 and 7 (CI time)",
        BackendKind.EMBEDDED);
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    try (ChildJvm child = ChildJvm.start(TriggersChild.class, redis.uri(), "crash", "block", "0",
        "1500");
        ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "crash",
            TriggersOptions.builder().lease(Duration.ofMillis(1500)).build())) {
      child.awaitLine("STARTED"::equals, Duration.ofSeconds(30));
      t.set("block", "job:1", Duration.ofMillis(100));
      child.awaitLine(l -> l.equals("HANDLING crash:EXPTRIGGER:block:job_1 1"),
          Duration.ofSeconds(30));
      assertThat(t.pendingCount()).isEqualTo(1);
      child.kill();

      t.on("block", fired::add).start();
      await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 1);
      assertThat(fired.peek().attempt()).isEqualTo(2);
      assertThat(fired.peek().key()).isEqualTo("crash:EXPTRIGGER:block:job_1");
      await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
      assertThat(fired).hasSize(1);
    }
  }

  @Test
  void triggersWhoseDeadlinesPassedWhileNoProcessRanFireOnReturnFlaggedLate() {
    redis.assumeNot("the same scripts as on Redis 7 (CI time)", BackendKind.EMBEDDED);
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    try (ExpiryTriggers writer = ExpiryTriggers.create(redis.client(), "down")) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add("id:" + i);
      }
      writer.setAll("job", ids, Duration.ofMillis(100));
    }
    // nobody listens across the deadlines; the TTL keys expire meanwhile
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(20)).until(() ->
        !redis.client().exists("down:EXPTRIGGER:job:id_199"));
    try (ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "down",
        TriggersOptions.builder().lateAfter(Duration.ofMillis(500)).build())) {
      t.on("job", fired::add).start();
      await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 200);
      assertThat(fired).allMatch(Trigger::late);
      assertThat(fired.stream().map(Trigger::key).distinct().count()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
      await().during(Duration.ofMillis(500)).until(() -> fired.size() == 200);
    }
  }
}
