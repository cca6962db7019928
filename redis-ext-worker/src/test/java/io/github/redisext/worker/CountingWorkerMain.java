package io.github.redisext.worker;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker process for the multi-process test: prints {@code READY <workerId>} once registered and
 * {@code DONE <n>} for every task it handled; runs until killed.
 *
 * <p>Arguments: redis URI (redis:// or redis-cluster://), list key.
 */
public final class CountingWorkerMain {
  private CountingWorkerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    UnifiedJedis client = RedisClients.create(args[0]);
    WorkerOptions o = WorkerOptions.builder().concurrency(4).prefetch(8)
        .idleWait(Duration.ofMillis(500)).lease(Duration.ofSeconds(5)).build();
    AtomicReference<RedisWork<Job>> self = new AtomicReference<>();
    self.set(new RedisWork<>(client, args[1], Job.class, o) {
      @Override
      protected void handle(Job job) {
        System.out.println("DONE " + job.n());
      }
    });
    self.get().startInBackground();
    while (client.zscore(args[1] + ":workers", self.get().workerId()) == null) {
      Thread.sleep(10);
    }
    System.out.println("READY " + self.get().workerId());
    System.out.flush();
    self.get().awaitTermination(Duration.ofMinutes(10));
  }
}
