package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Atomic or nothing: each key of an event type's family is set to a value of another type; every
 * public operation either does not touch it or fails with a {@link WrongTypeException} naming it
 * and changes nothing (a dump of the family is identical before and after); once the key is fixed,
 * every event is delivered once.
 */
@RedisBackends
class EventsWrongTypeIT {
  private final RedisBackend redis;

  EventsWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  private record Op(String name, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(EventQueue<Order> q, Subscription s, QueueManager m) throws Exception;
  }

  private static DeadLetter dead(String id) {
    return DeadLetter.builder(id, "x".getBytes(StandardCharsets.UTF_8)).error("x").build();
  }

  private static final List<Op> OPS = List.of(
      new Op("publish", (q, s, m) -> q.publish(new Order("new", 1))),
      new Op("publishAll", (q, s, m) -> q.publishAll(List.of(new Order("n1", 1),
          new Order("n2", 2)))),
      new Op("getEvent(1)", (q, s, m) -> q.getEvent(1)),
      new Op("getEvent(next)", (q, s, m) -> q.getEvent(5)),
      new Op("search", (q, s, m) -> q.search(EventQuery.all())),
      new Op("search(status)", (q, s, m) -> q.search(EventQuery.builder()
          .status(EventStatus.ERROR).build())),
      new Op("count", (q, s, m) -> q.count()),
      new Op("count(status)", (q, s, m) -> q.count(EventQuery.builder()
          .status(EventStatus.ERROR).build())),
      new Op("subscribe(dl again)", (q, s, m) -> q.subscribe("dl", e -> { },
          SubscriptionOptions.builder().idleWait(Duration.ofDays(1)).build()).close(
              Duration.ZERO)),
      new Op("searchSubscribers", (q, s, m) -> q.searchSubscribers()),
      new Op("info", (q, s, m) -> s.info()),
      new Op("deadLetters", (q, s, m) -> s.deadLetters(10)),
      new Op("deadLetterCount", (q, s, m) -> s.deadLetterCount()),
      new Op("requeue", (q, s, m) -> s.requeue(List.of(dead("999")))),
      new Op("requeueAllDeadLetters", (q, s, m) -> s.requeueAllDeadLetters()),
      new Op("purge", (q, s, m) -> s.purge(List.of(dead("999")))),
      new Op("purgeAllDeadLetters", (q, s, m) -> s.purgeAllDeadLetters()),
      new Op("register", (q, s, m) -> m.register(Order.class)),
      new Op("queueTypes", (q, s, m) -> m.queueTypes()),
      new Op("getEventQueue", (q, s, m) -> m.getEventQueue(Order.class)));

  @Test
  void everyOperationNamesAWrongTypedKeyChangesNothingAndEverythingIsDeliveredOnceFixed()
      throws Exception {
    UnifiedJedis c = redis.client();
    String p = Prefixes.fresh(redis);
    EventQueueOptions opts = EventQueueOptions.builder().prefix(p).build();
    Map<String, String> family = new LinkedHashMap<>();
    family.put(p + ":counter:Order", "string");
    family.put(p + ":index:Order", "zset");
    family.put(p + ":epoch:Order", "string");
    family.put(p + ":queue_types", "set");
    family.put(p + ":events:Order:1", "hash");
    family.put(p + ":events:Order:5", "hash");
    family.put(p + ":subscriptions:Order", "zset");
    family.put(p + ":subscription:Order:dl", "hash");
    family.put(p + ":leases:Order:dl", "zset");
    family.put(p + ":batches:Order:dl", "hash");
    family.put(p + ":dead:Order:dl", "zset");
    family.put(p + ":dead_data:Order:dl", "hash");
    family.put(p + ":subscribers:Order:dl", "hash");
    CountDownLatch release = new CountDownLatch(1);
    List<Long> dl = new CopyOnWriteArrayList<>();
    try (QueueManager m = QueueManager.create(c, opts)) {
      EventQueue<Order> q = m.register(Order.class);
      q.publishAll(List.of(new Order("a", 1), new Order("b", 2), new Order("c", 3)));
      // a subscription whose handler holds its first batch: it claims nothing more meanwhile
      Subscription s = q.subscribe("dl", e -> {
        release.await();
        dl.add(e.id());
      }, SubscriptionOptions.builder().start(StartPosition.OLDEST).lease(Duration.ofDays(1))
          .idleWait(Duration.ofDays(1)).build());
      await().atMost(Duration.ofSeconds(20)).until(() -> c.exists(p + ":leases:Order:dl"));
      // a second batch fills its window of batches in flight: from now on it claims nothing
      q.publish(new Order("d", 4));
      await().atMost(Duration.ofSeconds(20)).until(() -> c.zcard(p + ":leases:Order:dl") == 2);
      for (Map.Entry<String, String> k : family.entrySet()) {
        String key = k.getKey();
        String backup = p + ":sweep-backup";
        boolean existed = c.exists(key);
        if (existed) {
          c.rename(key, backup);
        }
        if (k.getValue().equals("string")) {
          c.hset(key, "x", "y");
        } else {
          c.set(key, "oops");
        }
        List<String> named = new ArrayList<>();
        for (Op op : OPS) {
          Map<String, String> before = KeyDump.of(c, family.keySet());
          Throwable t = catchThrowable(() -> op.action().run(q, s, m));
          if (t == null) {
            continue;
          }
          assertThat(t).as(op.name() + " with " + key).isInstanceOf(WrongTypeException.class);
          assertThat(((WrongTypeException) t).key()).as(op.name()).isEqualTo(key);
          assertThat(KeyDump.of(c, family.keySet())).as(op.name() + " changed nothing")
              .isEqualTo(before);
          named.add(op.name());
        }
        assertThat(named).as("operations naming " + key).isNotEmpty();
        c.del(key);
        if (existed) {
          c.rename(backup, key);
        }
      }
      release.countDown();
      long last = Long.parseLong(c.get(p + ":counter:Order"));
      List<Long> all = LongStream.rangeClosed(1, last).boxed().collect(Collectors.toList());
      await().atMost(Duration.ofSeconds(30)).until(() -> dl.size() >= all.size());
      assertThat(dl).isEqualTo(all);
      List<Long> fresh = new CopyOnWriteArrayList<>();
      q.subscribe("final", e -> fresh.add(e.id()),
          SubscriptionOptions.builder().start(StartPosition.OLDEST).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> fresh.size() >= all.size());
      assertThat(fresh).isEqualTo(all);
    }
  }
}
