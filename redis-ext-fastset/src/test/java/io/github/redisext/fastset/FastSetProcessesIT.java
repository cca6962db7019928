package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Concurrent writers in several processes never lose an update, and every instance converges. */
@RedisBackends
class FastSetProcessesIT {
  private static final String KEY = "{procs}";
  private static final int PROCESSES = 4;
  private static final int EACH = 10_000;
  private static final int TOTAL = PROCESSES * EACH;

  private final RedisBackend redis;

  FastSetProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void aWriterKilledMidStreamLeavesNoHalfWrittenBatchAndEveryInstanceAgrees() {
    String key = "{crash}";
    try (UnifiedJedis client = redis.newClient();
        FastSet<String> watcher = FastSet.create(client, key, String.class,
            FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build());
        ChildJvm writer = ChildJvm.start(FastSetCrashWriterMain.class, redis.uri(), key)) {
      writer.awaitLine(l -> l.equals("BATCH 30"), Duration.ofSeconds(60));
      writer.kill(); // SIGKILL, most likely in the middle of a batch

      long scard = redis.client().scard(key + ":value");
      long version = Long.parseLong(redis.client().get(key + ":version"));
      // every addAll is one script: all 100 members and one version bump, or nothing
      assertThat(scard).isEqualTo(100 * version).isGreaterThanOrEqualTo(3100);
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.version() == version);
      assertThat(watcher).hasSize((int) scard);
      try (FastSet<String> fresh = FastSet.create(client, key, String.class,
          FastSetOptions.builder().pushInvalidation(false).build())) {
        assertThat(fresh).isEqualTo(watcher);
      }
      // the set stays writable for everyone else
      assertThat(watcher.add("after-crash")).isTrue();
      assertThat(watcher.version()).isEqualTo(version + 1);
    }
  }

  @Test
  void fourProcessesAddingTenThousandEachEndWithExactlyFortyThousandInEveryInstance() {
    List<ChildJvm> children = new ArrayList<>();
    try (UnifiedJedis client = redis.newClient();
        FastSet<String> watcher = FastSet.create(client, KEY, String.class,
            FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build())) {
      for (int p = 0; p < PROCESSES; p++) {
        children.add(ChildJvm.start(FastSetAdderMain.class, redis.uri(), KEY, Integer.toString(p),
            Integer.toString(EACH), Integer.toString(TOTAL)));
      }
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
      }
      redis.client().rpush(KEY + ":go", "go", "go", "go", "go");

      for (int p = 0; p < PROCESSES; p++) {
        String fin = children.get(p).awaitLine(l -> l.startsWith("FINAL"), Duration.ofSeconds(120));
        assertThat(fin).startsWith("FINAL " + p + " size=" + TOTAL + " version=" + TOTAL
            + " equal=true");
        assertThat(children.get(p).output()).noneMatch(l -> l.startsWith("NOT-ADDED"));
      }
      for (ChildJvm c : children) {
        assertThat(c.waitFor(Duration.ofSeconds(30))).as("exit code").isZero();
      }

      assertThat(redis.client().scard(KEY + ":value")).isEqualTo(TOTAL);
      assertThat(redis.client().get(KEY + ":version")).isEqualTo(Integer.toString(TOTAL));
      await().atMost(Duration.ofSeconds(30)).until(() -> watcher.version() == TOTAL);
      assertThat(watcher).hasSize(TOTAL);
      for (int p = 0; p < PROCESSES; p++) {
        assertThat(watcher.contains("p" + p + "-0")).isTrue();
        assertThat(watcher.contains("p" + p + "-" + (EACH - 1))).isTrue();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
  }
}
