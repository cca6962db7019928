package io.github.redisext.demo;

import io.github.redisext.core.RedisClients;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.EventQueueOptions;
import io.github.redisext.events.Subscription;
import io.github.redisext.events.SubscriptionOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Demo scene for redis-ext-events: a durable subscriber in a child JVM is killed with SIGKILL in
 * the middle of an event; events keep being published; the subscriber restarts under the same name
 * and loses nothing.
 */
public final class EventsScene {
  private static final Duration LEASE = Duration.ofSeconds(1);

  private EventsScene() {}

  /** An order event. */
  public record OrderPlaced(String orderId, double amount) {}

  /** Child-JVM entry: {@code <redis-url> <prefix>}; hangs on event 3 until killed. */
  public static final class Child {
    private Child() {}

    /** Subscribes as "billing" and prints each handled event id. */
    public static void main(String[] args) throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      UnifiedJedis redis = RedisClients.create(args[0]);
      EventQueue<OrderPlaced> q = EventQueue.create(redis, OrderPlaced.class,
          EventQueueOptions.builder().prefix(args[1]).build());
      q.subscribe("billing", e -> {
        if (e.id() == 3) {
          System.out.println("HANDLING 3");
          System.out.flush();
          never.await();
        }
        System.out.println("HANDLED " + e.id());
        System.out.flush();
      }, SubscriptionOptions.builder().lease(LEASE).build());
      System.out.println("STARTED");
      System.out.flush();
      never.await();
    }
  }

  /** Runs the scene; true when every event reached the subscriber. */
  public static boolean run(UnifiedJedis redis, String url) throws Exception {
    String prefix = "{demo-events-" + UUID.randomUUID().toString().substring(0, 8) + "}";
    List<String> out = new CopyOnWriteArrayList<>();
    Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Child.class.getName(), url,
        prefix).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          out.add(l);
        }
      } catch (java.io.IOException e) {
        // killed
      }
    }, "demo-events-child-reader");
    reader.setDaemon(true);
    reader.start();
    try (EventQueue<OrderPlaced> orders = EventQueue.create(redis, OrderPlaced.class,
        EventQueueOptions.builder().prefix(prefix).build())) {
      if (!waitFor(() -> out.contains("STARTED"), Duration.ofSeconds(60))) {
        say("   the child subscriber never started: %s", out);
        return false;
      }
      for (int i = 1; i <= 5; i++) {
        orders.publish(new OrderPlaced("ORD-" + i, 10.0 * i));
      }
      if (!waitFor(() -> out.contains("HANDLING 3"), Duration.ofSeconds(30))) {
        say("   the child never reached event 3: %s", out);
        return false;
      }
      say("   child JVM (pid %d), subscription 'billing', handled %s and is inside event 3 ... "
          + "kill -9", child.pid(), handled(out));
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      for (int i = 6; i <= 10; i++) {
        orders.publish(new OrderPlaced("ORD-" + i, 10.0 * i));
      }
      say("   published events 6..10 while nobody listened; backlog of 'billing': %d",
          orders.searchSubscribers().get(0).backlog());
      List<Long> got = new CopyOnWriteArrayList<>();
      try (Subscription billing = orders.subscribe("billing", e -> got.add(e.id()),
          SubscriptionOptions.builder().lease(LEASE).build())) {
        boolean done = waitFor(() -> got.contains(10L), Duration.ofSeconds(30));
        say("   restarted 'billing' in this JVM: received %s (what the dead child had not "
            + "acknowledged comes again: at least once), position %d", got,
            billing.info().position());
        List<Long> all = new ArrayList<>(handled(out));
        all.addAll(got);
        for (long id = 1; id <= 10; id++) {
          if (!all.contains(id)) {
            say("   event %d was lost", id);
            return false;
          }
        }
        return done && got.contains(3L) && isIncreasing(got);
      }
    } finally {
      child.destroyForcibly();
      for (String k : redis.keys(prefix + "*")) {
        redis.del(k);
      }
    }
  }

  private static List<Long> handled(List<String> lines) {
    List<Long> ids = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("HANDLED ")) {
        ids.add(Long.parseLong(l.substring(8).trim()));
      }
    }
    return ids;
  }

  private static boolean isIncreasing(List<Long> ids) {
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i) <= ids.get(i - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean waitFor(BooleanSupplier c, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
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
