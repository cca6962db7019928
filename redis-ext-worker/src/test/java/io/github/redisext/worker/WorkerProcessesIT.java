package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worker processes racing on one queue: every task handled exactly once when nothing crashes. */
@RedisBackends
class WorkerProcessesIT {
  private static final String KEY = "{procs}";

  private final RedisBackend redis;

  WorkerProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void threeWorkerProcessesShareAQueueAndHandleEveryTaskExactlyOnce() {
    int n = 3000;
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(ChildJvm.start(CountingWorkerMain.class, redis.uri(), KEY));
      }
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
      }
      WorkQueue<Job> q = WorkQueue.create(redis.client(), KEY, Job.class);
      List<Job> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        batch.add(new Job(i));
        if (batch.size() == 250) {
          q.pushAll(batch);
          batch.clear();
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> done(children).values().stream()
          .mapToInt(Integer::intValue).sum() >= n);
      await().atMost(Duration.ofSeconds(20)).until(() -> q.inFlightCount() == 0 && q.length() == 0);
      Map<Integer, Integer> done = done(children);
      assertThat(done).hasSize(n);
      assertThat(done.values()).containsOnly(1);
      for (ChildJvm c : children) {
        assertThat(c.output().stream().filter(l -> l.startsWith("DONE ")).count())
            .as("tasks handled by child %d", c.pid()).isPositive();
      }
      assertThat(q.deadLetterCount()).isZero();
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  private static Map<Integer, Integer> done(List<ChildJvm> children) {
    Map<Integer, Integer> out = new HashMap<>();
    for (ChildJvm c : children) {
      for (String l : c.output()) {
        if (l.startsWith("DONE ")) {
          out.merge(Integer.parseInt(l.substring(5).trim()), 1, Integer::sum);
        }
      }
    }
    return out;
  }
}
