package io.github.redisext.streams;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.UnifiedJedis;

/**
 * A stream consumer in a child JVM, for crash and pause tests. Args: uri, stream name, group,
 * lease millis, mode. Modes: {@code block} (handler prints {@code HANDLING <id>} and blocks
 * forever), {@code slow} (prints {@code HANDLING <id>}, works 3 s, prints {@code DONE <id>}),
 * {@code count} (HINCRBY {@code <name>:done <id> 1} per entry, concurrency 10, prefetch 20). It
 * prints {@code STARTED} once consuming and {@code STATS <leaseLost> <duplicatesRefused>} every
 * 100 ms.
 */
public final class ConsumerMain {
  private ConsumerMain() {}

  public static void main(String[] args) throws Exception {
    UnifiedJedis client = RedisClients.create(args[0]);
    String name = args[1];
    String mode = args[4];
    @SuppressWarnings("unchecked")
    Class<Map<String, Object>> type = (Class<Map<String, Object>>) (Class<?>) Map.class;
    RedisStream<Map<String, Object>> s = RedisStream.create(client, name, type);
    ProcessOptions.Builder b = ProcessOptions.builder(args[2]).startFrom(StartFrom.OLDEST)
        .lease(Duration.ofMillis(Long.parseLong(args[3]))).idleWait(Duration.ofMillis(200));
    CountDownLatch never = new CountDownLatch(1);
    StreamConsumer c = switch (mode) {
      case "block" -> s.process(b.concurrency(1).prefetch(0).build(), d -> {
        System.out.println("HANDLING " + d.id());
        System.out.flush();
        never.await();
      });
      case "slow" -> s.process(b.concurrency(1).prefetch(0).build(), d -> {
        System.out.println("HANDLING " + d.id());
        System.out.flush();
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
          Thread.sleep(10); // the handler's work: wall time that a SIGSTOP stretches
        }
        System.out.println("DONE " + d.id() + " leaseLost=" + d.leaseLost());
        System.out.flush();
      });
      case "count" -> s.process(b.concurrency(10).prefetch(20).build(),
          d -> client.hincrBy(name + ":done", d.id(), 1));
      default -> throw new IllegalArgumentException(mode);
    };
    System.out.println("STARTED");
    System.out.flush();
    while (true) {
      System.out.println("STATS " + c.stats().leaseLost() + " " + c.duplicatesRefused());
      System.out.flush();
      Thread.sleep(100);
    }
  }
}
