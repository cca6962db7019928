package io.github.redisext.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Registry;
import io.github.redisext.core.support.ServerTime;
import io.github.redisext.dashboard.internal.RateStore;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The wrong-type sweep of the dashboard's own keys and scripts: the registry ({@code
 * registry_announce.lua} in core) and a primitive's rates hash ({@code rates_add.lua}). With each
 * key holding another type, every operation on it fails with a {@link WrongTypeException} naming
 * the key (an announcement, best effort by design, fails silently) and changes nothing; once the
 * key is fixed, what was held back (an announcement, counts kept by the recorder) arrives whole.
 */
@RedisBackends
class DashboardWrongTypeIT {
  private final RedisBackend redis;

  DashboardWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** A wrong type to put at a key. */
  enum Wrong {
    STRING, LIST, SET, ZSET
  }

  private static void put(UnifiedJedis c, String key, Wrong w) {
    switch (w) {
      case STRING -> c.set(key, "oops");
      case LIST -> c.rpush(key, "oops");
      case SET -> c.sadd(key, "oops");
      case ZSET -> c.zadd(key, 1, "oops");
      default -> throw new IllegalArgumentException(w.name());
    }
  }

  private static void assertNamesKey(Throwable e, String key) {
    assertThat(e).isInstanceOf(WrongTypeException.class);
    assertThat(((WrongTypeException) e).key()).isEqualTo(key);
    assertThat(((WrongTypeException) e).expectedType()).isEqualTo("hash");
    assertThat(e.getMessage()).contains(key);
  }

  @ParameterizedTest
  @EnumSource(Wrong.class)
  void aWrongTypedRegistryFailsEveryOperationNamingItChangesNothingAndAnnouncementsArriveOnceFixed(
      Wrong w) throws Exception {
    try (UnifiedJedis c = redis.newClient()) {
      put(c, Registry.KEY, w);
      String before = KeyDump.of(c, Registry.KEY);

      Registry.announce(c, "worker", "emails", Map.of("queue", "emails")); // best effort: no throw
      assertNamesKey(catchIt(() -> Registry.read(c)), Registry.KEY);
      assertNamesKey(catchIt(() -> Registry.forget(c, "worker", "emails")), Registry.KEY);
      assertThat(KeyDump.of(c, Registry.KEY)).isEqualTo(before);

      // a dashboard over it answers (the error, escaped) instead of failing
      try (Dashboard d = Dashboard.start(c, DashboardOptions.builder().port(0).build())) {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(d.uri().resolve("/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("Could not read Redis").contains(Registry.KEY);
      }

      c.del(Registry.KEY);
      // the failed announcement was not remembered: the next one is sent and lands
      Registry.announce(c, "worker", "emails", Map.of("queue", "emails"));
      assertThat(Registry.read(c)).extracting(Registry.Entry::field).containsExactly("worker:emails");
    }
  }

  @ParameterizedTest
  @EnumSource(Wrong.class)
  void aWrongTypedRatesHashFailsTheFlushAndReadsNamingItChangesNothingAndKeepsTheCounts(
      Wrong w) {
    String key = RateStore.key("worker", "emails");
    try (UnifiedJedis c = redis.newClient();
        RateRecorder recorder = RateRecorder.start(c, Duration.ofMinutes(1))) {
      put(c, key, w);
      String before = KeyDump.of(c, key);
      Metrics m = Metrics.of(c, MetricsListener.NONE, MetricSource.of("worker", "emails"));
      m.count(Metric.HANDLED, 7);
      m.count(Metric.FAILED, 2);

      assertNamesKey(catchIt(recorder::flush), key);
      RateStore store = new RateStore(c);
      assertNamesKey(catchIt(() -> store.add("worker", "emails", 1, 1)), key);
      assertNamesKey(catchIt(() -> store.read("worker", "emails", 5,
          ServerTime.now(c, key))), key);
      assertThat(KeyDump.of(c, key)).isEqualTo(before);

      m.count(Metric.HANDLED, 1); // counted meanwhile
      c.del(key);
      recorder.flush();
      long[][] r = store.read("worker", "emails", 2, ServerTime.now(c, key));
      assertThat(r[0][0] + r[0][1]).isEqualTo(8); // nothing lost, nothing counted twice
      assertThat(r[1][0] + r[1][1]).isEqualTo(2);
      assertThat(List.of(c.type(key))).containsExactly("hash");
    }
  }

  private static Throwable catchIt(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("no exception thrown");
  }
}
