package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three consumers with a short lease over one backlog: lease renewals (which move a held timer's
 * hidden score) run while settlements are sent, many times. A settlement built with the hidden
 * score from before a renewal used to see "set again meanwhile", release the lock and leave the
 * timer to fire a second time after the lease (seen on jedis-mock, whose slowness makes the
 * window wide); renewals and settlements now run one at a time.
 */
@RedisBackends
class LeaseRaceIT {
  private final RedisBackend redis;
  private final List<Timers<Void>> opened = new ArrayList<>();

  LeaseRaceIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(Timers::close);
  }

  @Test
  void renewalsRacingSettlementsNeverFireATimerTwice() {
    int n = 2_000;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    for (int i = 0; i < 3; i++) {
      TimersOptions.Builder o = TimersOptions.builder().lease(Duration.ofSeconds(3))
          .concurrency(16);
      opened.add(Timers.builder(redis.client(), (Void) null)
          .include(new Router<Void>().handler("race", TestPayload.class, (p, c) ->
              runs.computeIfAbsent(p.message(), k -> new AtomicInteger()).incrementAndGet()))
          .options((redis.isCluster() ? o.sharded("lease-race", 3) : o).build()).build());
    }
    List<TimerRequest> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(new TimerRequest("race", "t" + i, new TestPayload("t" + i, i), Duration.ZERO));
    }
    opened.get(0).setTimers(batch);
    opened.forEach(Timers::start);
    await().atMost(Duration.ofSeconds(120)).until(() -> opened.get(0).pendingCount() == 0);
    // a timer wrongly left on the timeline would fire again once the 3 s lease ran out
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
        .until(() -> opened.get(0).pendingCount() == 0);
    assertThat(runs).hasSize(n);
    assertThat(runs.values()).allSatisfy(c -> assertThat(c).hasValue(1));
    assertThat(opened.stream().mapToLong(t -> t.stats().fired()).sum()).isEqualTo(n);
  }
}
