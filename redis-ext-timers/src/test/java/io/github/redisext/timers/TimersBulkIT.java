package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.internal.KeyLayout;
import io.github.redisext.timers.internal.TimersRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The largest bulk sizes (issue 11, item 1): no script passes an unbounded number of arguments to
 * one command (Lua's unpack fails at about 8,000 values, after the script's earlier writes).
 */
@RedisBackends
class TimersBulkIT {
  private final RedisBackend redis;
  private final List<Timers<?>> opened = new ArrayList<>();

  TimersBulkIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeTimers() {
    opened.forEach(Timers::close);
  }

  /**
   * 100,000 timers; 20,000 on jedis-mock, whose Lua (luaj) runs the claim and completion scripts
   * about 10 times slower than Redis.
   */
  private int bulkSize() {
    return redis.kind() == BackendKind.MOCK ? 20_000 : 100_000;
  }

  private TimersOptions.Builder options() {
    TimersOptions.Builder b = TimersOptions.builder();
    return redis.isCluster() ? b.sharded("bulk", 3) : b;
  }

  private Timers<Void> timers(TimersOptions o, Map<Integer, AtomicInteger> calls) {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("test_handler", TestPayload.class, (p, ctx) ->
            calls.computeIfAbsent(p.count(), k -> new AtomicInteger()).incrementAndGet()))
        .options(o).build();
    opened.add(t);
    return t;
  }

  @Test
  void setTimersStoresAHundredThousandTimersAndFiresEachExactlyOnce() {
    int n = bulkSize();
    Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
    Timers<Void> timers = timers(options().concurrency(64).build(), calls);
    List<TimerRequest> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(new TimerRequest("test_handler", "b" + i, new TestPayload("b", i), Duration.ZERO));
    }
    timers.setTimers(batch);
    assertThat(timers.pendingCount()).isEqualTo(n);
    assertThat(timers.pendingTimers()).hasSize(n);

    timers.start();
    await().atMost(Duration.ofMinutes(4)).until(() -> timers.stats().fired() == n);
    assertThat(calls).hasSize(n);
    assertThat(calls.values()).allSatisfy(c -> assertThat(c).hasValue(1));
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.deadLetters(100)).isEmpty();
  }

  @Test
  void removeTimersRemovesAHundredThousandAtOnce() {
    int n = bulkSize();
    Timers<Void> timers = timers(options().build(), new ConcurrentHashMap<>());
    List<TimerRequest> batch = new ArrayList<>(n);
    List<String> ids = new ArrayList<>(n + 1);
    for (int i = 0; i < n; i++) {
      batch.add(new TimerRequest("test_handler", "r" + i, new TestPayload("r", i),
          Duration.ofHours(1)));
      ids.add("r" + i);
    }
    timers.setTimers(batch);
    assertThat(timers.pendingCount()).isEqualTo(n);
    ids.add("missing");

    assertThat(timers.removeTimers("test_handler", ids)).isEqualTo(n);

    assertThat(timers.pendingCount()).isZero();
    KeyLayout keys = KeyLayout.of(timers.options());
    for (int s = 0; s < keys.shards(); s++) {
      assertThat(redis.client().exists(keys.payloads(s))).isFalse();
    }
  }

  /**
   * The scripts themselves take any number of timers in one call (the Java side sends 1,000 per
   * call, but a script must not depend on its caller for correctness): 10,000 timers in one
   * set_timers.lua call and in one remove_timers.lua call, 30,001 arguments, far over Lua's
   * unpack limit.
   */
  @Test
  void oneScriptCallTakesTenThousandTimers() {
    // jedis-mock's Lua (luaj) has no unpack limit and needs over 15 s for 10,000 timers in one
    // call: 3,000 there
    int count = redis.kind() == BackendKind.MOCK ? 3_000 : 10_000;
    TimersOptions o = options().build();
    KeyLayout keys = KeyLayout.of(o);
    TimersRedis store = new TimersRedis(redis.client(), keys, false);
    List<String> entries = new ArrayList<>();
    List<String> members = new ArrayList<>();
    int n = 0;
    for (int i = 0; n < count; i++) {
      String member = "test_handler--x" + i;
      if (keys.shardOf(member) != 0) {
        continue;
      }
      entries.add(member);
      entries.add("60000");
      entries.add("{\"message\":\"x\",\"count\":" + i + "}");
      members.add(member);
      n++;
    }
    // attempts and dead records exist, so the script also clears them in bulk
    redis.client().hset(keys.attempts(0), members.get(0), "1");
    redis.client().hset(keys.dead(0), members.get(1), "{}");
    store.set(0, List.of(entries));
    assertThat(redis.client().zcard(keys.timeline(0))).isEqualTo(count);
    assertThat(redis.client().hlen(keys.payloads(0))).isEqualTo(count);
    assertThat(redis.client().exists(keys.attempts(0))).isFalse();
    assertThat(redis.client().exists(keys.dead(0))).isFalse();

    assertThat(store.remove(0, members)).isEqualTo(count);
    assertThat(redis.client().exists(keys.timeline(0))).isFalse();
    assertThat(redis.client().exists(keys.payloads(0))).isFalse();
  }
}
