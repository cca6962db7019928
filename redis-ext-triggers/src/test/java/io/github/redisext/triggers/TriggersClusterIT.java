package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeySpace;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;

/**
 * On the 3-master cluster: 10,000 triggers whose TTL keys cover every slot fire once each across
 * two instances, sharded over 8 hash-tagged sorted sets spread over the masters; and Python-style
 * SETEX triggers on every master are adopted by the per-master sweep and fire once.
 */
@RedisBackends(BackendKind.CLUSTER)
class TriggersClusterIT {
  private final RedisBackend redis;

  TriggersClusterIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void tenThousandTriggersOverAllSlotsFireExactlyOnceAcrossTwoInstances() {
    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    TriggersOptions o = TriggersOptions.builder().shards(8).concurrency(8).prefetch(500).build();
    try (ExpiryTriggers a = ExpiryTriggers.create(redis.newClient(), "cl", o);
        ExpiryTriggers b = ExpiryTriggers.create(redis.newClient(), "cl", o)) {
      for (ExpiryTriggers t : List.of(a, b)) {
        t.on("job", x -> fired.computeIfAbsent(x.identifier(), k -> new AtomicInteger())
            .incrementAndGet()).start();
      }
      List<String> ids = new ArrayList<>();
      Set<Integer> slots = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        ids.add("id" + i);
        slots.add(KeySpace.slot(a.key("job", "id" + i)));
      }
      assertThat(slots.size()).isGreaterThan(7_000);
      Set<Integer> shardSlots = new HashSet<>();
      for (int s = 0; s < 8; s++) {
        shardSlots.add(KeySpace.slot("{cl:rx-triggers:" + s + "}:due"));
      }
      assertThat(shardSlots).hasSize(8);
      a.setAll("job", ids.subList(0, 5_000), Duration.ofMillis(500));
      b.setAll("job", ids.subList(5_000, 10_000), Duration.ofMillis(800));
      // the TTL key is written too (in its own slot, after the shard's script)
      a.set("job", "probe", Duration.ofMinutes(5));
      assertThat(redis.client().get(a.key("job", "probe"))).startsWith("trigger:");
      assertThat(a.cancel("job", "probe")).isTrue();
      assertThat(redis.client().exists(a.key("job", "probe"))).isFalse();
      await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 10_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> a.pendingCount() == 0);
      assertThat(fired.values()).allMatch(c -> c.get() == 1);
    }
  }

  @Test
  void aTtlKeyLeftUnwrittenByAProcessThatStoppedBetweenItsScriptAndItsSetsIsWrittenByTheSweep() {
    String owed = "{clo:rx-triggers:0}:ttl-owed";
    TriggersOptions o = TriggersOptions.builder().shards(1).listen(false)
        .sweepInterval(Duration.ofHours(1)).build();
    try (ExpiryTriggers t = ExpiryTriggers.create(redis.newClient(), "clo", o)) {
      t.on("job", x -> { }).start();
      t.setAll("job", List.of("u1", "u2", "u3"), Duration.ofMinutes(5));
      t.set("job", "u4", Duration.ofMinutes(5));
      // a set that completes leaves no note
      assertThat(redis.client().zcard(owed)).isZero();

      // what a process that stopped after its script leaves: due entries, notes, no TTL keys
      // (u3 was cancelled since: nothing to write for it)
      long armedLongAgo = System.currentTimeMillis() - 60_000;
      for (String id : List.of("u1", "u2", "u3")) {
        redis.client().del(t.key("job", id));
        redis.client().zadd(owed, armedLongAgo, t.key("job", id));
      }
      assertThat(t.cancel("job", "u3")).isTrue();
      // a note younger than the grace belongs to a set still writing: left alone this time
      redis.client().del(t.key("job", "u4"));
      redis.client().zadd(owed, System.currentTimeMillis(), t.key("job", "u4"));

      t.sweep();
      for (String id : List.of("u1", "u2")) {
        assertThat(redis.client().get(t.key("job", id))).startsWith("trigger:20");
        assertThat(redis.client().pttl(t.key("job", id))).isBetween(1L, 300_000L);
      }
      assertThat(redis.client().exists(t.key("job", "u3"))).isFalse();
      assertThat(redis.client().exists(t.key("job", "u4"))).isFalse();
      assertThat(redis.client().zrange(owed, 0, -1)).containsExactly(t.key("job", "u4"));
      assertThat(t.pendingCount()).isEqualTo(3);
      assertThat(t.health().adopted()).isZero();
    }
  }

  @Test
  void pythonStyleTriggersOnEveryMasterAreAdoptedAndFireOnce() {
    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    try (AbstractPipeline p = redis.client().pipelined()) {
      for (int i = 0; i < 300; i++) {
        p.setex("clpy:EXPTRIGGER:job:py" + i, 2, "trigger:2025-06-08T21:03:50");
      }
      p.sync();
    }
    TriggersOptions o = TriggersOptions.builder().listen(false).build();
    try (ExpiryTriggers a = ExpiryTriggers.create(redis.newClient(), "clpy", o);
        ExpiryTriggers b = ExpiryTriggers.create(redis.newClient(), "clpy", o)) {
      for (ExpiryTriggers t : List.of(a, b)) {
        t.on("job", x -> fired.computeIfAbsent(x.identifier(), k -> new AtomicInteger())
            .incrementAndGet()).start();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 300);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(() -> fired.size() == 300);
      assertThat(fired.values()).allMatch(c -> c.get() == 1);
      assertThat(a.health().adopted() + b.health().adopted()).isEqualTo(300);
    }
  }
}
