package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A worker process killed with SIGKILL in the middle of {@code handle}: nothing is lost. */
@RedisBackends(BackendKind.STANDALONE)
class CrashRecoveryIT {
  private static final String KEY = "{crash}";

  private final RedisBackend redis;

  CrashRecoveryIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void aTaskWhoseWorkerWasKilledMidHandleIsFinishedByAnotherWorker() {
    WorkQueue<Job> q = WorkQueue.create(redis.client(), KEY, Job.class);
    q.pushAll(List.of(new Job(1), new Job(2), new Job(3), new Job(4)));
    String dead;
    try (ChildJvm child = ChildJvm.start(CrashingWorkerMain.class, redis.uri(), KEY, "1000")) {
      String line = child.awaitLine(l -> l.startsWith("HANDLING "), Duration.ofSeconds(30));
      assertThat(line).startsWith("HANDLING 1 ");
      dead = line.split(" ")[2];
      // job 1 is being handled, jobs 2 and 3 are prefetched: all three are in the child's hash
      await().atMost(Duration.ofSeconds(10))
          .until(() -> redis.client().hlen(KEY + ":inflight:" + dead) == 3);
      child.kill();
    }
    assertThat(q.length()).isEqualTo(1);
    assertThat(redis.client().hlen(KEY + ":inflight:" + dead)).isEqualTo(3);

    Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
    try (TestWorker survivor = new TestWorker(redis.client(), KEY, WorkerOptions.builder()
        .idleWait(Duration.ofMillis(200)).lease(Duration.ofSeconds(1)).build(),
        j -> seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet())) {
      survivor.startInBackground();
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 4);
      await().atMost(Duration.ofSeconds(10)).until(() -> survivor.stats().processed() == 4);
      assertThat(seen.values()).allMatch(c -> c.get() == 1);
      assertThat(redis.client().exists(KEY + ":inflight:" + dead)).isFalse();
      assertThat(redis.client().zscore(KEY + ":workers", dead)).isNull();
      assertThat(q.deadLetterCount()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> q.inFlightCount() == 0);
      // nothing is left behind: no attempt counts of settled tasks
      assertThat(redis.client().hlen(KEY + ":attempts")).isZero();
    }
  }
}
