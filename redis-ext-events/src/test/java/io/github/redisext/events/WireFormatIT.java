package io.github.redisext.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.MutableClock;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The bytes in Redis against WIRE-FORMAT.md section 11 (eventy's RedisEventQueue). */
@RedisBackends
class WireFormatIT {
  private final RedisBackend redis;

  WireFormatIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** Python's datetime.isoformat() of a UTC datetime. */
  static String pythonIso(Instant t) {
    OffsetDateTime d = t.atOffset(ZoneOffset.UTC);
    String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d", d.getYear(), d.getMonthValue(),
        d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond());
    int micros = d.getNano() / 1000;
    return (micros == 0 ? s : s + String.format(".%06d", micros)) + "+00:00";
  }

  @Test
  void keysHashFieldsScoresTtlsAndTheChannelMessageAreEventysBytes() {
    String p = Prefixes.fresh(redis);
    EventQueueOptions opts = EventQueueOptions.builder().prefix(p).workerId("w-1")
        .eventTtl(Duration.ofSeconds(3600)).build();
    List<String> messages = new CopyOnWriteArrayList<>();
    try (RedisSubscriber sub = RedisSubscriber.start(redis.client(),
        NamedThreads.factory("wire-test", true), (ch, m) -> messages.add(ch + " " + m),
        p + ":channel:Order");
        QueueManager manager = QueueManager.create(redis.client(), opts)) {
      await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
      EventQueue<Order> q = manager.register(Order.class);
      Event<Order> e = q.publish(new Order("ORD-é", 9.5));

      assertThat(redis.client().get(p + ":counter:Order")).isEqualTo("1");
      assertThat(redis.client().ttl(p + ":counter:Order")).isEqualTo(-1);
      Map<String, String> hash = redis.client().hgetAll(p + ":events:Order:1");
      assertThat(hash).containsOnlyKeys("id", "payload", "status", "created_at", "worker_id");
      assertThat(hash).containsEntry("id", "1").containsEntry("status", "PROCESSING")
          .containsEntry("worker_id", "w-1");
      // eventy's JsonSerializer output (", " and ": " separators, raw UTF-8); keys sorted
      assertThat(hash.get("payload")).isEqualTo("{\"amount\": 9.5, \"orderId\": \"ORD-é\"}");
      assertThat(hash.get("created_at"))
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00")
          .isEqualTo(pythonIso(e.createdAt())).isEqualTo(e.createdAtText());
      long ttl = redis.client().ttl(p + ":events:Order:1");
      assertThat(ttl).isBetween(3590L, 3600L);
      assertThat(redis.client().ttl(p + ":index:Order")).isBetween(3590L, 3600L);
      Double score = redis.client().zscore(p + ":index:Order", "1");
      double expected = e.createdAt().getEpochSecond() + e.createdAt().getNano() / 1e9;
      assertThat(score).isCloseTo(expected, within(1e-5));
      assertThat(redis.client().type(p + ":index:Order")).isEqualTo("zset");
      assertThat(redis.client().smembers(p + ":queue_types")).containsExactly("Order");
      assertThat(redis.client().ttl(p + ":queue_types")).isBetween(3590L, 3600L);
      await().atMost(Duration.ofSeconds(10)).until(() -> !messages.isEmpty());
      assertThat(messages).containsExactly(p + ":channel:Order "
          + "{\"event_id\": 1, \"status\": \"PROCESSING\", \"worker_id\": \"w-1\"}");

      q.subscribe("audit", ev -> { }).close();
      Map<String, String> subscriber = redis.client().hgetAll(p + ":subscribers:Order:audit");
      assertThat(subscriber).containsKeys("id", "type", "created_at");
      assertThat(subscriber.get("id")).isEqualTo("audit");
      assertThat(redis.client().ttl(p + ":subscribers:Order:audit")).isBetween(3590L, 3600L);
    }
  }

  @Test
  void anEventWrittenByPythonEventyReadsBackInJava() {
    String p = Prefixes.fresh(redis);
    // exactly what eventy (JsonSerializer) writes: HSET of the five fields, ZADD, INCRBY
    redis.client().incrBy(p + ":counter:Order", 1);
    redis.client().hset(p + ":events:Order:1", Map.of("id", "1", "payload",
        "{\"order_id\": \"ORD-123\", \"orderId\": \"ORD-123\", \"amount\": 99.99}", "status",
        "ERROR", "created_at", "2026-12-01T19:33:17.454792+00:00", "worker_id",
        "02786fe1-0000-4000-8000-000000000000"));
    redis.client().zadd(p + ":index:Order", 1796153597.454792, "1");
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        EventQueueOptions.builder().prefix(p).build())) {
      Event<Order> e = q.getEvent(1).orElseThrow();
      assertThat(e.payload()).isEqualTo(new Order("ORD-123", 99.99));
      assertThat(e.status()).isEqualTo(EventStatus.ERROR);
      assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-12-01T19:33:17.454792Z"));
      assertThat(e.workerId()).startsWith("02786fe1");
      // the next Java event continues the counter
      assertThat(q.publish(new Order("J", 1)).id()).isEqualTo(2);
    }
  }

  @Test
  void createdAtDropsTheFractionOnAWholeSecondAndGetsCalendarDatesRight() {
    redis.assumeKind("needs the mock's settable server clock", BackendKind.MOCK);
    MutableClock clock = redis.clock().orElseThrow();
    clock.freeze();
    String p = Prefixes.fresh(redis);
    try (EventQueue<Order> q = EventQueue.create(redis.client(), Order.class,
        EventQueueOptions.builder().prefix(p).eventTtl(Duration.ofDays(36_000)).build())) {
      for (String at : List.of("2028-02-29T23:59:59.001Z", "2030-01-01T00:00:00Z",
          "2100-03-01T12:00:00.5Z", "2026-12-31T23:59:59.999Z")) {
        Instant target = Instant.parse(at);
        clock.advance(Duration.between(clock.instant(), target));
        Event<Order> e = q.publish(new Order(at, 1));
        String stored = redis.client().hget(p + ":events:Order:" + e.id(), "created_at");
        assertThat(stored).isEqualTo(pythonIso(target));
        assertThat(redis.client().zscore(p + ":index:Order", Long.toString(e.id())))
            .isCloseTo(target.getEpochSecond() + target.getNano() / 1e9, within(1e-4));
      }
      assertThat(redis.client().hget(p + ":events:Order:2", "created_at"))
          .isEqualTo("2030-01-01T00:00:00+00:00");
    }
  }
}
