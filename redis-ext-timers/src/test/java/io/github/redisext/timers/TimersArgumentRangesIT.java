package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.support.ServerTime;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.internal.KeyLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Extreme arguments (issue 11, item 6): every public method and every option of the timers and the
 * lock rejects an out-of-range value at once with an {@link IllegalArgumentException} naming the
 * parameter and the allowed range, and writes nothing; the largest allowed values work.
 */
@RedisBackends
class TimersArgumentRangesIT {
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

  private final RedisBackend redis;
  private final List<AutoCloseable> opened = new ArrayList<>();

  TimersArgumentRangesIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private TimersOptions.Builder options() {
    TimersOptions.Builder b = TimersOptions.builder();
    return redis.isCluster() ? b.sharded("timers", 3) : b;
  }

  private Timers<Void> timers() {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("test_handler", TestPayload.class, (p, ctx) -> { }))
        .options(options().build()).build();
    opened.add(t);
    return t;
  }

  private RedisLock lock() {
    RedisLock l = RedisLock.create(redis.client(), "ranges");
    opened.add(l);
    return l;
  }

  /** Each case: the call and the parameter name its message must contain. */
  private Map<String, ThrowingCallable> outOfRange(Timers<Void> timers, RedisLock lock) {
    TestPayload p = new TestPayload("x", 1);
    Map<String, ThrowingCallable> cases = new LinkedHashMap<>();
    cases.put("delay|setTimer huge", () -> timers.setTimer("test_handler", "t", p, HUGE));
    cases.put("delay|setTimer just over", () -> timers.setTimer("test_handler", "t", p,
        TimerRequest.MAX_DELAY.plusMillis(1)));
    cases.put("delay|setTimer negative", () -> timers.setTimer("test_handler", "t", p,
        Duration.ofMillis(-1)));
    cases.put("delay|setTimers", () -> timers.setTimers(List.of(
        new TimerRequest("test_handler", "a", p, Duration.ZERO),
        new TimerRequest("test_handler", "b", p, HUGE))));
    cases.put("delay|requeue", () -> timers.requeue(List.of(), HUGE));
    cases.put("lease|tryLock huge lease", () -> lock.tryLock(Duration.ZERO, HUGE));
    cases.put("lease|tryLock lease just over", () -> lock.tryLock(Duration.ZERO,
        RedisLock.MAX_LEASE.plusMillis(1)));
    cases.put("lease|tryLock short lease", () -> lock.tryLock(Duration.ZERO,
        Duration.ofMillis(29)));
    cases.put("wait|tryLock huge wait", () -> lock.tryLock(HUGE, Duration.ofSeconds(10)));
    cases.put("wait|tryLock negative wait", () -> lock.tryLock(Duration.ofMillis(-1),
        Duration.ofSeconds(10)));
    cases.put("idleWait|huge", () -> TimersOptions.builder().idleWait(HUGE));
    cases.put("idleWait|zero", () -> TimersOptions.builder().idleWait(Duration.ZERO));
    cases.put("jitter|NaN", () -> TimersOptions.builder().jitter(Double.NaN, 1));
    cases.put("jitter|zero", () -> TimersOptions.builder().jitter(0, 1));
    cases.put("jitter|max too big", () -> TimersOptions.builder().jitter(1, 101));
    cases.put("jitter|infinite", () -> TimersOptions.builder().jitter(1,
        Double.POSITIVE_INFINITY));
    cases.put("concurrency|negative", () -> TimersOptions.builder().concurrency(-1));
    cases.put("concurrency|huge", () -> TimersOptions.builder()
        .concurrency(Integer.MAX_VALUE));
    cases.put("lease|options huge", () -> TimersOptions.builder().lease(HUGE));
    cases.put("lease|options over a day", () -> TimersOptions.builder()
        .lease(TimersOptions.MAX_LEASE.plusMillis(1)));
    cases.put("lease|options short", () -> TimersOptions.builder().lease(Duration.ofMillis(99)));
    cases.put("maxAttempts|zero", () -> TimersOptions.builder().maxAttempts(0));
    cases.put("retryBackoff|huge initial", () -> TimersOptions.builder().retryBackoff(HUGE,
        HUGE));
    cases.put("retryBackoff|huge max", () -> TimersOptions.builder()
        .retryBackoff(Duration.ofSeconds(1), HUGE));
    cases.put("retryBackoff|negative", () -> TimersOptions.builder()
        .retryBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    cases.put("retryBackoff|max below initial", () -> TimersOptions.builder()
        .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    cases.put("shutdownGrace|huge", () -> TimersOptions.builder().shutdownGrace(HUGE));
    cases.put("shutdownGrace|negative", () -> TimersOptions.builder()
        .shutdownGrace(Duration.ofMillis(-1)));
    cases.put("shards|zero", () -> TimersOptions.builder().sharded("s", 0));
    cases.put("shards|too many", () -> TimersOptions.builder().sharded("s", 1025));
    cases.put("TIMERS_HANDLING_SLEEP|huge", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_HANDLING_SLEEP", "1e300")));
    cases.put("TIMERS_HANDLING_SLEEP|zero", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_HANDLING_SLEEP", "0")));
    cases.put("TIMERS_HANDLING_SLEEP|NaN", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_HANDLING_SLEEP", "NaN")));
    cases.put("TIMERS_HANDLING_JITTER_MAX_VALUE|huge", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_HANDLING_JITTER_MAX_VALUE", "1e300")));
    cases.put("TIMERS_CONCURRENT_PROCESSING_LIMIT|huge", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_CONCURRENT_PROCESSING_LIMIT", "99999999999")));
    cases.put("TIMERS_CONCURRENT_PROCESSING_LIMIT|too many", () -> TimersOptions.builder()
        .environment(Map.of("TIMERS_CONCURRENT_PROCESSING_LIMIT", "20000")));
    return cases;
  }

  @Test
  void everyOutOfRangeArgumentIsRejectedAtOnceNamingTheParameterAndTheRange() {
    Timers<Void> timers = timers();
    RedisLock lock = lock();
    Map<String, ThrowingCallable> cases = outOfRange(timers, lock);
    for (Map.Entry<String, ThrowingCallable> c : cases.entrySet()) {
      String name = c.getKey().substring(0, c.getKey().indexOf('|'));
      assertThatThrownBy(c.getValue()).as(c.getKey())
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name)
          .satisfies(e -> assertThat(e.getMessage()).as(c.getKey())
              .containsAnyOf("between", "..", "<="));
    }
    assertThat(cases).hasSizeGreaterThan(30);
    // nothing was written
    assertThat(timers.pendingCount()).isZero();
    assertThat(redis.client().exists(lock.key())).isFalse();
    assertThat(redis.client().exists("{ranges}:fence")).isFalse();
  }

  @Test
  void theLargestAllowedDelayIsStoredExactly() {
    Timers<Void> timers = timers();
    timers.setTimer("test_handler", "far", new TestPayload("far", 1), TimerRequest.MAX_DELAY);
    KeyLayout keys = KeyLayout.of(timers.options());
    Instant now = ServerTime.now(redis.client(), keys.timeline(0));

    PendingTimer far = timers.pendingTimers().get(0);
    Duration ahead = Duration.between(now, far.due());
    assertThat(ahead).isBetween(TimerRequest.MAX_DELAY.minusSeconds(60),
        TimerRequest.MAX_DELAY.plusSeconds(60));
    // the score keeps whole milliseconds: written and read back without rounding drift
    String member = keys.timerKey("test_handler", "far");
    double score = redis.client().zscore(keys.timeline(keys.shardOf(member)), member);
    assertThat(Math.round(score * 1000)).isEqualTo(far.due().toEpochMilli());
    assertThat(Math.abs(score * 1000 - far.due().toEpochMilli())).isLessThan(0.01);

    assertThat(timers.removeTimer("test_handler", "far")).isTrue();
  }

  @Test
  void theLargestAllowedLeaseAndWaitWork() {
    RedisLock lock = lock();
    assertThat(lock.tryLock(RedisLock.MAX_WAIT, RedisLock.MAX_LEASE)).isTrue();
    long pttl = redis.client().pttl(lock.key());
    assertThat(pttl).isGreaterThan(RedisLock.MAX_LEASE.minusDays(1).toMillis());
    lock.unlock();

    // and every option's bounds are accepted
    TimersOptions o = TimersOptions.builder().idleWait(TimersOptions.MAX_IDLE_WAIT)
        .jitter(TimersOptions.MAX_JITTER, TimersOptions.MAX_JITTER)
        .concurrency(TimersOptions.MAX_CONCURRENCY)
        .lease(TimersOptions.MAX_LEASE)
        .retryBackoff(TimersOptions.MAX_RETRY_BACKOFF, TimersOptions.MAX_RETRY_BACKOFF)
        .shutdownGrace(TimersOptions.MAX_SHUTDOWN_GRACE)
        .sharded("s", TimersOptions.MAX_SHARDS).build();
    assertThat(o.consumer().lease()).isEqualTo(Duration.ofDays(1));
    assertThat(TimersOptions.builder().lease(TimersOptions.MIN_LEASE).build().consumer().lease())
        .isEqualTo(Duration.ofMillis(100));
  }
}
