package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** A Redis server restarted under a running worker: the worker survives and resumes. */
@RedisBackends(BackendKind.STANDALONE)
class RedisRestartIT {
  @Test
  void aWorkerSurvivesARedisRestartAndResumesByItself() throws Exception {
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch midHandle = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis client = RedisClients.create(server.uri());
        TestWorker w = new TestWorker(client, "{restart}", WorkerOptions.builder()
            .idleWait(Duration.ofMillis(300)).lease(Duration.ofSeconds(2)).build(),
            j -> {
              if (j.n() == 100) {
                midHandle.countDown();
                release.await(); // this handler runs across the whole outage
              }
              seen.add(j.n());
            })) {
      WorkQueue<Job> q = WorkQueue.create(client, "{restart}", Job.class);
      w.startInBackground();
      q.push(new Job(1));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(1));
      q.push(new Job(100));
      assertThat(midHandle.await(20, TimeUnit.SECONDS)).isTrue();

      server.kill();
      // while Redis is down the worker's threads fail, log and back off; they must not die
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(w::isRunning);
      server.restart();
      release.countDown(); // its acknowledgement goes to the restarted (empty) server

      // pushes succeed again once the client reconnects; the worker picks the tasks up by itself
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        q.push(new Job(2));
        return true;
      });
      q.pushAll(java.util.List.of(new Job(3), new Job(4)));
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(Set.of(2, 3, 4, 100)));
      assertThat(w.isRunning()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> w.stats().processed() == 5);
      assertThat(w.stats().failed()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> q.inFlightCount() == 0);
    }
  }
}
