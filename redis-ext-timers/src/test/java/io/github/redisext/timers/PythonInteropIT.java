package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.core.support.ServerTime;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Java and Python redis-timers on the same keys: the Python side is replayed command by command
 * as WIRE-FORMAT.md §8 describes it (the Python layout cannot run on a cluster).
 */
@RedisBackends({BackendKind.MOCK, BackendKind.STANDALONE})
class PythonInteropIT {
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisBackend redis;
  private final Queue<TestPayload> fired = new ConcurrentLinkedQueue<>();
  private final List<Timers<?>> opened = new ArrayList<>();

  PythonInteropIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void close() {
    opened.forEach(Timers::close);
  }

  private Timers<Void> java(TimersOptions o) {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("test_handler", TestPayload.class,
            (p, c) -> fired.add(p)))
        .options(o).build();
    opened.add(t);
    return t;
  }

  private long serverSeconds() {
    return ServerTime.now(redis.client(), "timers_timeline").getEpochSecond();
  }

  /** redis-timers' set_timer: MULTI, ZADD score "int(now + delay)", HSET json, EXEC. */
  private void pythonSetTimer(String key, String json, long delaySeconds) {
    UnifiedJedis c = redis.client();
    c.zadd("timers_timeline", serverSeconds() + delaySeconds, key);
    c.hset("timers_payloads", key, json);
  }

  /**
   * One pass of redis-timers' consumer; returns the payloads it handled. (ZRANGEBYSCORE is
   * deprecated in Jedis, but it is the command redis-timers sends.)
   */
  @SuppressWarnings("deprecation")
  private List<String> pythonHandleReadyTimers() {
    UnifiedJedis c = redis.client();
    List<String> handled = new ArrayList<>();
    for (String key : c.zrangeByScore("timers_timeline", "-inf",
        Long.toString(serverSeconds()))) {
      String lock = "consume-lock--" + key;
      if (c.get(lock) != null) {
        continue;
      }
      String token = UUID.randomUUID().toString().replace("-", "");
      if (c.set(lock, token, SetParams.setParams().nx().px(30_000)) == null) {
        continue;
      }
      String payload = c.hget("timers_payloads", key);
      if (payload != null) {
        handled.add(payload);
      }
      c.zrem("timers_timeline", key);
      c.hdel("timers_payloads", key);
      c.eval(RELEASE, List.of(lock), List.of(token));
    }
    return handled;
  }

  @Test
  void javaConsumesATimerSetByPython() {
    pythonSetTimer("test_handler--py1", "{\"message\":\"Hello\",\"count\":42}", 0);
    Timers<Void> timers = java(TimersOptions.defaults());
    assertThat(timers.handleReadyTimers()).isEqualTo(1);
    assertThat(fired).containsExactly(new TestPayload("Hello", 42));
    assertThat(redis.client().exists("timers_timeline")).isFalse();
    assertThat(redis.client().exists("timers_payloads")).isFalse();
    assertThat(redis.client().exists("consume-lock--test_handler--py1")).isFalse();
  }

  @Test
  void pythonConsumesATimerSetByJavaWithWholeSecondScores() {
    Timers<Void> timers = java(TimersOptions.builder().wholeSecondScores(true).build());
    timers.setTimer("test_handler", "j1", new TestPayload("from java", 7), Duration.ZERO);
    assertThat(pythonHandleReadyTimers()).containsExactly("{\"message\":\"from java\",\"count\":7}");
    assertThat(timers.pendingCount()).isZero();
  }

  @Test
  void withMillisecondScoresPythonFiresAJavaTimerOnlyAtTheNextWholeSecond() {
    redis.assumeKind("needs a clock that can be stopped half-way through a second (the mock's)",
        BackendKind.MOCK);
    var clock = redis.clock().get();
    clock.freeze();
    Instant now = ServerTime.now(redis.client(), "timers_timeline");
    clock.advance(Duration.ofMillis(500 - now.getNano() / 1_000_000)); // now at x.500 s
    Timers<Void> timers = java(TimersOptions.defaults());
    timers.setTimer("test_handler", "j2", new TestPayload("ms", 1), Duration.ZERO);

    assertThat(pythonHandleReadyTimers()).isEmpty(); // int(now) = x < x.500
    assertThat(timers.pendingCount()).isEqualTo(1);
    clock.advance(Duration.ofMillis(500));
    assertThat(pythonHandleReadyTimers()).containsExactly("{\"message\":\"ms\",\"count\":1}");
  }

  @Test
  void javaSkipsATimerAPythonConsumerHoldsAndPythonSkipsOneJavaHolds() throws Exception {
    // Python holds py2: Java must leave it alone
    pythonSetTimer("test_handler--py2", "{\"message\":\"p\",\"count\":2}", 0);
    redis.client().set("consume-lock--test_handler--py2", "0123456789abcdef0123456789abcdef",
        SetParams.setParams().nx().px(30_000));
    java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Timers<Void> timers = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("test_handler", TestPayload.class, (p, c) -> {
          fired.add(p);
          if (p.count() == 3) {
            inHandler.countDown();
            release.await();
          }
        })).build();
    opened.add(timers);
    assertThat(timers.handleReadyTimers()).isZero();

    // Java holds j3 (handler running): a Python pass must not fire it
    timers.setTimer("test_handler", "j3", new TestPayload("j", 3), Duration.ZERO);
    Thread t = new Thread(timers::handleReadyTimers);
    t.start();
    assertThat(inHandler.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(pythonHandleReadyTimers()).isEmpty();
    release.countDown();
    t.join(10_000);
    assertThat(fired).containsExactly(new TestPayload("j", 3));
    assertThat(timers.pendingTimers()).extracting(PendingTimer::timerId).containsExactly("py2");
  }
}
