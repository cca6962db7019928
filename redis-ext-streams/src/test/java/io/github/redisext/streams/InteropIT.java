package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * The wire format against Python's (WIRE-FORMAT.md §9): the bytes Java writes, the forms Python
 * and TypeScript producers write, entries without {@code data}; key naming on a cluster; batch
 * mode, metrics and the closed state. Real backends only (jedis-mock has no consumer groups).
 */
@RedisBackends({BackendKind.EMBEDDED, BackendKind.STANDALONE, BackendKind.CLUSTER})
class InteropIT {
  private static final String NAME = "{interop}";
  private static final String KEY = "stream:" + NAME;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RedisBackend redis;

  InteropIT(RedisBackend redis) {
    this.redis = redis;
  }

  record Order(String name, double n, List<Integer> tags) {}

  @Test
  void addWritesOneDataFieldAsPythonsJsonDumps() {
    try (RedisStream<Order> s = RedisStream.create(redis.client(), NAME, Order.class)) {
      String id = s.add(new Order("é", 1.0, List.of(1, 2)));
      Map<String, String> f = redis.client().xrange(KEY, id, id).get(0).getFields();
      // Python: json.dumps({"name": "é", "n": 1.0, "tags": [1, 2]})
      assertThat(f).containsExactly(
          Map.entry("data", "{\"name\": \"\\u00e9\", \"n\": 1.0, \"tags\": [1, 2]}"));
    }
  }

  @Test
  void readsPythonAndCompactJsonAndEntriesWithoutData() {
    try (RedisStream<Object> s = RedisStream.create(redis.client(), NAME, Object.class)) {
      String py = xadd(Map.of("data", "{\"foo\": \"bar\", \"n\": 1.0}"));
      String ts = xadd(Map.of("data", "{\"foo\":\"bar\",\"n\":1.0}"));
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("a", "1");
      fields.put("b", "2");
      String noData = xadd(fields);
      Map<String, Object> got = new ConcurrentHashMap<>();
      s.process(SeedScenariosIT.fast("g").build(), d -> got.put(d.id(), d.value()));
      await().atMost(WAIT).until(() -> got.size() == 3);
      assertThat(got.get(py)).isEqualTo(got.get(ts));
      assertThat(got.get(py)).isEqualTo(Map.of("foo", "bar", "n", 1.0));
      assertThat(got.get(noData)).isEqualTo(Map.of("a", "1", "b", "2"));
    }
  }

  private String xadd(Map<String, String> fields) {
    return redis.client().xadd(KEY, StreamEntryID.NEW_ENTRY, fields).toString();
  }

  @Test
  void anUntaggedNameIsRejectedOnAClusterWithTheFix() {
    if (redis.isCluster()) {
      assertThatThrownBy(() -> RedisStream.create(redis.client(), "orders", String.class))
          .isInstanceOf(KeyNameException.class).hasMessageContaining("'{orders}'");
    } else {
      try (RedisStream<String> s = RedisStream.create(redis.client(), "orders", String.class)) {
        assertThat(s.key()).isEqualTo("stream:orders");
        assertThat(s.deadLetterKey()).isEqualTo("stream:dlq:orders");
        assertThat(s.eventsKey()).isEqualTo("stream:events:orders");
      }
    }
  }

  @Test
  void aBatchHandlerSettlesEachEntryByItsOwnOutcome() {
    try (RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class)) {
      List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
      Map<String, Integer> attempts = new ConcurrentHashMap<>();
      s.addAll(List.of("ok-1", "poison", "flaky", "bad", "ok-2"));
      s.processBatches(SeedScenariosIT.fast("g").batchSize(10).maxAttempts(2).build(), batch -> {
        batches.add(batch.stream().map(Delivery::value).toList());
        List<ItemOutcome> out = new ArrayList<>();
        for (Delivery<String> d : batch) {
          attempts.merge(d.value(), 1, Integer::sum);
          out.add(switch (d.value()) {
            case "poison" -> ItemOutcome.deadLetter("poison pill");
            case "flaky" -> d.attempts() == 0 ? ItemOutcome.failure("try again")
                : ItemOutcome.success();
            case "bad" -> ItemOutcome.failure("always bad");
            default -> ItemOutcome.success();
          });
        }
        return out;
      });
      await().atMost(WAIT).until(() -> s.deadLetterCount() == 2
          && s.groups().get(0).pending() == 0);
      assertThat(attempts).containsEntry("ok-1", 1).containsEntry("poison", 1)
          .containsEntry("flaky", 2).containsEntry("bad", 2).containsEntry("ok-2", 1);
      assertThat(s.deadLetters(10)).extracting(d -> d.error())
          .containsExactlyInAnyOrder("poison pill", "always bad");
      assertThat(batches.get(0)).containsExactly("ok-1", "poison", "flaky", "bad", "ok-2");
    }
  }

  @Test
  void reportsDeliveredHandledFailedRetriedDeadLetteredAndDuplicatesToTheListener() {
    Map<Metric, AtomicLong> counts = new ConcurrentHashMap<>();
    List<Instrumented> attached = Collections.synchronizedList(new ArrayList<>());
    MetricsListener l = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        assertThat(source.primitive()).isEqualTo("streams");
        if (metric == Metric.HANDLED) {
          assertThat(source.tags()).containsEntry("group", "g").containsKey("consumer");
        }
        counts.computeIfAbsent(metric, m -> new AtomicLong()).addAndGet(amount);
      }

      @Override
      public void attached(Instrumented primitive) {
        attached.add(primitive);
      }

      @Override
      public void time(MetricSource source, Metric metric, long nanos) {
        counts.computeIfAbsent(metric, m -> new AtomicLong()).incrementAndGet();
      }
    };
    try (RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class,
        StreamOptions.builder().metrics(l).build())) {
      s.process(SeedScenariosIT.fast("g").maxAttempts(2).metrics(l).build(), d -> {
        if (d.value().equals("bad")) {
          throw new IllegalStateException("bad");
        }
      });
      s.addAll(List.of("a", "bad"));
      await().atMost(WAIT).until(() -> s.deadLetterCount() == 1
          && s.groups().get(0).pending() == 0);
      await().atMost(WAIT).until(() -> counts.containsKey(Metric.DEAD_LETTERED));
      assertThat(counts.get(Metric.PUBLISHED).get()).isEqualTo(2);
      assertThat(counts.get(Metric.DELIVERED).get()).isEqualTo(3);
      assertThat(counts.get(Metric.HANDLED).get()).isEqualTo(1);
      assertThat(counts.get(Metric.FAILED).get()).isEqualTo(2);
      assertThat(counts.get(Metric.RETRIED).get()).isEqualTo(1);
      assertThat(counts.get(Metric.DEAD_LETTERED).get()).isEqualTo(1);
      assertThat(counts.get(Metric.HANDLER_TIME).get()).isEqualTo(3);
      assertThat(counts.get(Metric.DELIVERY_LAG).get()).isGreaterThanOrEqualTo(2);
      // the consumer announces the levels a binding reads from Redis
      assertThat(attached).hasSize(1);
      assertThat(attached.get(0).readLevels()).containsEntry(Metric.PENDING, 0L)
          .containsEntry(Metric.DEAD_LETTERS, 1L);
    }
  }

  @Test
  void everyOperationThrowsAfterClose() {
    RedisStream<String> s = RedisStream.create(redis.client(), NAME, String.class);
    StreamConsumer c = s.process(SeedScenariosIT.fast("g").build(), d -> { });
    s.close();
    assertThat(((io.github.redisext.streams.internal.Consumer) c).isClosed()).isTrue();
    assertThatThrownBy(() -> s.add("a")).isInstanceOf(IllegalStateException.class)
        .hasMessage("stream '" + NAME + "' is closed");
    assertThatThrownBy(s::length).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.deadLetters(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.process(SeedScenariosIT.fast("g").build(), d -> { }))
        .isInstanceOf(IllegalStateException.class);
  }
}
