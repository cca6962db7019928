package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@RedisBackends
class ConsumerIT {
  private static final String KEY = "{consume}";

  private final RedisBackend redis;

  ConsumerIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void twoConsumersOnTwoClientsHandleEveryTaskExactlyOnce() {
    int n = 5_000;
    ConcurrentHashMap<Long, AtomicInteger> seen = new ConcurrentHashMap<>();
    try (UnifiedJedis other = redis.newClient();
        DebounceTask<Long> a = DebounceTask.create(redis.client(), KEY, Long.class);
        DebounceTask<Long> b = DebounceTask.create(other, KEY, Long.class);
        DebounceConsumer ca = a.consume(t -> seen.computeIfAbsent(t, k -> new AtomicInteger())
            .incrementAndGet());
        DebounceConsumer cb = b.consume(t -> seen.computeIfAbsent(t, k -> new AtomicInteger())
            .incrementAndGet())) {
      List<Long> all = LongStream.range(0, n).boxed().toList();
      a.addAll(all.subList(0, n / 2), Duration.ZERO);
      b.addAll(all.subList(n / 2, n), Duration.ofMillis(20));
      await().atMost(Duration.ofSeconds(45)).until(() -> ca.handled() + cb.handled() == n);
      assertThat(seen).hasSize(n);
      assertThat(seen.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
      assertThat(a.info()).isEqualTo(new DebounceInfo(0, 0, 0, 0));
    }
  }

  @Test
  void aConsumerRunsAtMostItsThreadCountOfHandlersAndDrainsOnClose() throws Exception {
    // prefetch 0: only the running tasks are claimed (prefetch is covered by
    // aConsumerClaimsItsConcurrencyPlusPrefetchAndGivesTheUnstartedBackAtClose)
    DebounceOptions opts = DebounceOptions.builder().concurrency(3).prefetch(0).build();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Object> done = java.util.Collections.synchronizedList(new ArrayList<>());
    try (DebounceTask<Object> tasks = DebounceTask.create(redis.client(), KEY, Object.class, opts)) {
      DebounceConsumer c = tasks.consume(t -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        release.await();
        running.decrementAndGet();
        done.add(t);
      });
      tasks.addAll(List.of("a", "b", "c", "d", "e"), Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.inFlight() == 3);
      DebounceInfo info = tasks.info();
      assertThat(info.processing()).isEqualTo(3);
      assertThat(info.remaining()).isEqualTo(2);
      Thread closer = new Thread(c::close);
      closer.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.isRunning());
      release.countDown();
      closer.join(20_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(maxRunning.get()).isEqualTo(3);
      // the three running handlers finished and were acknowledged; the other two still wait
      assertThat(done).hasSize(3);
      assertThat(c.handled()).isEqualTo(3);
      assertThat(tasks.info()).isEqualTo(new DebounceInfo(2, 2, 0, 0));
    }
  }

  @Test
  void aConsumerClaimsItsConcurrencyPlusPrefetchAndGivesTheUnstartedBackAtClose() throws Exception {
    // issue 12: consume runs on core's kernel: a claim takes what the free handlers and the
    // prefetch can hold, and close gives the claimed-but-unstarted tasks back at once (due now,
    // attempt counts unchanged) instead of leaving them leased until their lease runs out
    DebounceOptions opts = DebounceOptions.builder().concurrency(2).prefetch(3)
        .lease(Duration.ofMinutes(5)).build();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<String> all = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    try (DebounceTask<String> tasks = DebounceTask.create(redis.client(), KEY, String.class, opts)) {
      tasks.addAll(all, Duration.ZERO);
      for (String t : all) { // as if every task had failed once before
        redis.client().hset(KEY + ":attempts", "\"" + t + "\"", "1");
      }
      DebounceConsumer c = tasks.consume(t -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        release.await();
        running.decrementAndGet();
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> c.inFlight() == 2
          && tasks.info().processing() == 5);
      assertThat(tasks.info().remaining()).isEqualTo(5);

      Thread closer = new Thread(c::close);
      closer.start();
      // the three prefetched tasks come back while the two handlers still run
      await().atMost(Duration.ofSeconds(10)).until(() -> tasks.info().processing() == 2);
      assertThat(tasks.info()).isEqualTo(new DebounceInfo(8, 8, 2, 0));
      release.countDown();
      closer.join(20_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(maxRunning.get()).isEqualTo(2);
      assertThat(c.handled()).isEqualTo(2);
      assertThat(tasks.info()).isEqualTo(new DebounceInfo(8, 8, 0, 0));
      // the two handled ones lost their count; the eight others still count one failure
      assertThat(redis.client().hgetAll(KEY + ":attempts")).hasSize(8)
          .allSatisfy((member, n) -> assertThat(n).isEqualTo("1"));
    }
  }
}
