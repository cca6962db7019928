package io.github.redisext.events;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.UnifiedJedis;

/**
 * A subscriber in a child JVM. Args: uri, prefix, subscription name, mode (broadcast|shared),
 * results list key (each handled event id is RPUSHed there), lease millis, block-on id (0: never):
 * on that id the handler prints {@code HANDLING <id>} and blocks forever (to be killed).
 * Prints {@code STARTED} once subscribed.
 */
public final class SubscriberMain {
  private SubscriberMain() {}

  public static void main(String[] args) throws Exception {
    UnifiedJedis client = RedisClients.create(args[0]);
    String results = args[4];
    long blockOn = Long.parseLong(args[6]);
    CountDownLatch never = new CountDownLatch(1);
    EventQueue<Order> q = EventQueue.create(client, Order.class,
        EventQueueOptions.builder().prefix(args[1]).build());
    SubscriptionOptions.Builder o = SubscriptionOptions.builder()
        .lease(Duration.ofMillis(Long.parseLong(args[5]))).idleWait(Duration.ofMillis(500))
        .batchSize(20);
    if (args[3].equals("shared")) {
      o.shared().concurrency(2);
    }
    q.subscribe(args[2], e -> {
      if (e.id() == blockOn) {
        System.out.println("HANDLING " + e.id());
        System.out.flush();
        never.await();
      }
      client.rpush(results, Long.toString(e.id()));
    }, o.build());
    System.out.println("STARTED");
    System.out.flush();
    never.await();
  }
}
