package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 due tasks popped by 8 threads and 2 child JVMs at once: every task must come out exactly
 * once (the Python original returns most of them twice with two poppers).
 */
@RedisBackends
class CompetingPoppersIT {
  private static final String KEY = "{race}";
  private static final String GO = "{race}:go";
  private static final int TASKS = 100_000;
  private static final int THREADS = 8;
  private static final int PROCESSES = 2;
  private static final int BATCH = 100;

  private final RedisBackend redis;

  CompetingPoppersIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void popHandsEachDueTaskToExactlyOneCallerAcrossThreadsAndProcesses(@TempDir Path dir)
      throws Exception {
    try (DebounceTask<Long> tasks = DebounceTask.create(redis.client(), KEY, Long.class)) {
      List<Long> all = LongStream.range(0, TASKS).boxed().toList();
      assertThat(tasks.addAll(all, Duration.ZERO)).isEqualTo(TASKS);

      List<ChildJvm> children = new ArrayList<>();
      List<Path> outs = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        for (int p = 0; p < PROCESSES; p++) {
          Path out = dir.resolve("popper-" + p + ".txt");
          outs.add(out);
          children.add(ChildJvm.start(PopperMain.class, redis.uri(), KEY, GO,
              Integer.toString(BATCH), out.toString()));
        }
        for (ChildJvm c : children) {
          c.awaitLine("READY"::equals, Duration.ofSeconds(30));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          threads.add(pool.submit(() -> {
            List<Long> mine = new ArrayList<>();
            start.await();
            while (true) {
              List<Long> got = tasks.pop(BATCH);
              if (got.isEmpty()) {
                return mine;
              }
              mine.addAll(got);
            }
          }));
        }
        for (int p = 0; p < PROCESSES; p++) {
          redis.client().rpush(GO, "go");
        }
        start.countDown();

        long[] seen = new long[TASKS];
        long total = 0;
        List<Integer> shares = new ArrayList<>();
        for (Future<List<Long>> f : threads) {
          shares.add(f.get().size());
          for (long v : f.get()) {
            seen[(int) v]++;
            total++;
          }
        }
        for (int p = 0; p < PROCESSES; p++) {
          ChildJvm c = children.get(p);
          String done = c.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(60));
          assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
          List<String> lines = Files.readAllLines(outs.get(p), StandardCharsets.UTF_8);
          assertThat(done).isEqualTo("DONE " + lines.size());
          shares.add(lines.size());
          for (String l : lines) {
            seen[Integer.parseInt(l)]++;
            total++;
          }
        }
        System.out.println(redis + ": tasks per popper (8 threads, then 2 processes): " + shares);
        long duplicates = LongStream.of(seen).filter(n -> n > 1).count();
        long lost = LongStream.of(seen).filter(n -> n == 0).count();
        assertThat(duplicates).as("tasks delivered more than once").isZero();
        assertThat(lost).as("tasks never delivered").isZero();
        assertThat(total).isEqualTo(TASKS);
        assertThat(tasks.pendingCount()).isZero();
      } finally {
        pool.shutdownNow();
        children.forEach(ChildJvm::close);
      }
    }
  }
}
