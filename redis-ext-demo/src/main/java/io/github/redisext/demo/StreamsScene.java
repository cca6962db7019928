package io.github.redisext.demo;

import io.github.redisext.core.RedisClients;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StartFrom;
import io.github.redisext.streams.StreamConsumer;
import io.github.redisext.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The streams scene of the tour: a consumer JVM is killed with SIGKILL in the middle of an entry
 * and a survivor in this JVM finishes it after the lease; a poison entry fails its attempts and
 * lands in the dead-letter stream with the Python library's {@code _dlqMetadata}.
 */
public final class StreamsScene {
  private static final Duration LEASE = Duration.ofSeconds(2);

  private StreamsScene() {}

  /** An order entry. */
  public record Order(String id, int qty) {}

  /** Child-JVM entry: {@code <redis-url> <stream name>}; hangs in its handler until killed. */
  public static final class Child {
    private Child() {}

    /** Consumes with a handler that prints {@code HANDLING <order>} and hangs. */
    public static void main(String[] args) throws Exception {
      UnifiedJedis redis = RedisClients.create(args[0]);
      RedisStream<Order> orders = RedisStream.create(redis, args[1], Order.class);
      orders.process(options().concurrency(1).prefetch(0).build(), d -> {
        System.out.println("HANDLING " + d.value().id());
        System.out.flush();
        Thread.sleep(60_000);
      });
      Thread.sleep(120_000);
    }
  }

  private static ProcessOptions.Builder options() {
    return ProcessOptions.builder("billing").startFrom(StartFrom.OLDEST).lease(LEASE)
        .idleWait(Duration.ofMillis(200)).retryBackoff(Duration.ofMillis(50),
            Duration.ofMillis(200));
  }

  /** Runs the scene; true if it showed what it claims. */
  public static boolean run(UnifiedJedis redis, String url) throws Exception {
    String name = "{demo-streams-" + UUID.randomUUID().toString().substring(0, 8) + "}";
    try {
      redis.xgroupCreate("stream:" + name, "probe", StreamEntryID.XGROUP_LAST_ENTRY, true);
    } catch (JedisDataException e) {
      say("   skipped: this server has no consumer groups (%s)", e.getMessage());
      return true;
    }
    redis.del("stream:" + name);
    try (RedisStream<Order> orders = RedisStream.create(redis, name, Order.class)) {
      orders.add(new Order("A-1", 3));
      try (ChildJvm child = ChildJvm.start(Child.class, url, name)) {
        child.awaitLine(l -> l.startsWith("HANDLING"), Duration.ofSeconds(60));
        say("   child JVM (pid %d) is handling order A-1 ... kill -9", child.pid());
        child.kill();
        say("   killed; A-1 is pending with the dead consumer: pending %d",
            orders.groups().get(0).pending());
      }
      Set<String> done = ConcurrentHashMap.newKeySet();
      long t0 = System.nanoTime();
      try (StreamConsumer survivor = orders.process(options().maxAttempts(3).build(), d -> {
        if (d.value().qty() < 0) {
          throw new IllegalArgumentException("negative quantity " + d.value().qty());
        }
        done.add(d.value().id() + " (attempts " + d.attempts() + ")");
      })) {
        orders.add(new Order("POISON", -1));
        boolean ok = waitFor(() -> !done.isEmpty() && orders.deadLetterCount() == 1,
            Duration.ofSeconds(30));
        say("   the survivor took A-1 over after the %s lease and finished it %d ms after the "
            + "kill: %s", LEASE, (System.nanoTime() - t0) / 1_000_000, done);
        List<DeadLetter> dead = orders.deadLetters(10);
        if (!dead.isEmpty()) {
          DeadLetter d = dead.get(0);
          say("   POISON failed %d times and went to %s: %s", d.attempts(),
              orders.deadLetterKey(), d.error());
          Map<String, String> raw = redis.xrange(orders.deadLetterKey(), "-", "+", 1).get(0)
              .getFields();
          say("   its data: %s", raw.get("data"));
        }
        return ok && done.equals(Set.of("A-1 (attempts 1)")) && survivor.stats().handled() == 1;
      }
    } finally {
      redis.del("stream:" + name, "stream:dlq:" + name, "stream:events:" + name);
    }
  }

  private static boolean waitFor(java.util.function.BooleanSupplier c, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static void say(String fmt, Object... args) {
    System.out.println(String.format(fmt, args));
  }
}
