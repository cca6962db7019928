package io.github.redisext.debounce;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.UnifiedJedis;

/**
 * A consumer in a child JVM whose handler prints {@code HANDLING <task>} and then blocks forever,
 * so the test can kill the JVM mid-handler. Args: uri, key, lease millis.
 */
public final class BlockingConsumerMain {
  private BlockingConsumerMain() {}

  public static void main(String[] args) throws Exception {
    UnifiedJedis client = RedisClients.create(args[0]);
    DebounceTask<String> tasks = DebounceTask.create(client, args[1], String.class,
        DebounceOptions.builder().lease(Duration.ofMillis(Long.parseLong(args[2])))
            .concurrency(1).build());
    CountDownLatch never = new CountDownLatch(1);
    tasks.consume(task -> {
      System.out.println("HANDLING " + task);
      System.out.flush();
      never.await();
    });
    System.out.println("STARTED");
    System.out.flush();
    never.await();
  }
}
