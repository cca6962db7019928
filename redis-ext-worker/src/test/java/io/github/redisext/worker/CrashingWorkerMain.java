package io.github.redisext.worker;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker process for the crash test: it prints {@code HANDLING <n> <workerId>} when a handler
 * starts and then hangs in {@code handle} until it is killed.
 *
 * <p>Arguments: redis URI, list key, lease in ms.
 */
public final class CrashingWorkerMain {
  private CrashingWorkerMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    UnifiedJedis client = RedisClients.create(args[0]);
    WorkerOptions o = WorkerOptions.builder().concurrency(1).prefetch(2)
        .idleWait(Duration.ofMillis(200)).lease(Duration.ofMillis(Long.parseLong(args[2])))
        .build();
    AtomicReference<RedisWork<Job>> self = new AtomicReference<>();
    self.set(new RedisWork<>(client, args[1], Job.class, o) {
      @Override
      protected void handle(Job job) throws Exception {
        System.out.println("HANDLING " + job.n() + " " + self.get().workerId());
        System.out.flush();
        new CountDownLatch(1).await(); // hangs here until the test kills this JVM
      }
    });
    self.get().start();
  }
}
