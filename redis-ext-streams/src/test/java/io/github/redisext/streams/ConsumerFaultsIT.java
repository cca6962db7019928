package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * Consumers in child JVMs killed with SIGKILL or paused with SIGSTOP. On the real backends with
 * streams (redis-server 7.0 and the cluster; the 100,000-entry race on redis-server only).
 */
@RedisBackends({BackendKind.STANDALONE, BackendKind.CLUSTER})
class ConsumerFaultsIT {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final RedisBackend redis;

  ConsumerFaultsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @SuppressWarnings("unchecked")
  private RedisStream<Map<String, Object>> stream(String name) {
    return RedisStream.create(redis.client(), name,
        (Class<Map<String, Object>>) (Class<?>) Map.class);
  }

  private ChildJvm child(String name, String mode) {
    return child(name, mode, LEASE);
  }

  private ChildJvm child(String name, String mode, Duration lease) {
    ChildJvm c = ChildJvm.start(ConsumerMain.class, redis.uri(), name, "g",
        Long.toString(lease.toMillis()), mode);
    c.awaitLine("STARTED"::equals, WAIT);
    return c;
  }

  private static ProcessOptions.Builder survivor() {
    return ProcessOptions.builder("g").startFrom(StartFrom.OLDEST).lease(LEASE)
        .idleWait(Duration.ofMillis(200));
  }

  @Test
  void anEntryWhoseConsumerWasKilledMidHandlerIsProcessedByASurvivor() throws Exception {
    String name = "{crash}";
    try (RedisStream<Map<String, Object>> s = stream(name); ChildJvm child = child(name, "block")) {
      String id = s.add(Map.of("job", 1));
      child.awaitLine(("HANDLING " + id)::equals, WAIT);
      child.kill();
      Set<String> got = ConcurrentHashMap.newKeySet();
      s.process(survivor().build(), d -> got.add(d.id() + "@" + d.attempts()));
      await().atMost(WAIT).until(() -> got.contains(id + "@1"));
      await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
      assertThat(got).containsExactly(id + "@1");
    }
  }

  @Test
  void aPausedConsumerLosesItsEntryToAnotherAndItsLateAckIsRefused() throws Exception {
    redis.assumeKind("the pause test runs on one real backend only (CI time); the fence itself "
        + "runs in settle.lua on every backend (SeedDefectsIT, SeedScenariosIT)",
        BackendKind.STANDALONE);
    String name = "{paused}";
    try (RedisStream<Map<String, Object>> s = stream(name); ChildJvm child = child(name, "slow")) {
      String id = s.add(Map.of("job", 1));
      child.awaitLine(("HANDLING " + id)::equals, WAIT);
      signal("STOP", child.pid());
      CountDownLatch release = new CountDownLatch(1);
      Set<String> got = ConcurrentHashMap.newKeySet();
      StreamConsumer other = s.process(survivor().build(), d -> {
        got.add(d.id());
        release.await(60, TimeUnit.SECONDS);
      });
      try {
        await().atMost(WAIT).until(() -> got.contains(id)); // taken over after the lease
      } finally {
        signal("CONT", child.pid());
      }
      // the resumed child finishes its handler; its settlement is refused (fenced ack) or
      // skipped as a lost lease, and counted either way
      child.awaitLine(l -> l.startsWith("DONE " + id), WAIT);
      child.awaitLine(l -> l.startsWith("STATS ") && !l.equals("STATS 0 0"), WAIT);
      List<StreamPendingEntry> pending = redis.client().xpending(s.key(), "g",
          XPendingParams.xPendingParams().count(10));
      assertThat(pending).hasSize(1);
      assertThat(pending.get(0).getConsumerName()).isEqualTo(other.consumerName());
      release.countDown();
      await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
      assertThat(other.stats().handled()).isEqualTo(1);
    }
  }

  @Test
  void twoJvmsOverOneHundredThousandEntriesWithOneKilledLoseNothing() throws Exception {
    redis.assumeKind("the 100,000-entry race runs on one real backend only (CI time)",
        BackendKind.STANDALONE);
    String name = "{race}";
    int n = 100_000;
    try (RedisStream<Map<String, Object>> s = stream(name)) {
      List<Map<String, Object>> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        entries.add(Map.of("i", i));
      }
      s.addAll(entries);
      // a 3 s lease: renewals (every second) stay inside it on a loaded machine, so duplicates
      // come from the kill only
      Duration lease = Duration.ofSeconds(3);
      try (ChildJvm a = child(name, "count", lease); ChildJvm b = child(name, "count", lease)) {
        await().atMost(WAIT).until(() -> redis.client().hlen(name + ":done") > n / 5);
        a.kill();
        await().atMost(Duration.ofMinutes(3)).until(() -> redis.client().hlen(name + ":done") == n
            && s.groups().get(0).pending() == 0);
        long total = 0;
        for (String v : redis.client().hvals(name + ":done")) {
          total += Long.parseLong(v);
        }
        // duplicates only among the killed JVM's held entries (concurrency 10 + prefetch 20)
        assertThat(total - n).isBetween(0L, 30L);
        assertThat(b.output()).isNotEmpty();
      }
    }
  }

  private static void signal(String sig, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
