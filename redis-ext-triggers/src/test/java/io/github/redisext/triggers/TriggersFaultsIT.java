package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Pub/sub trouble: the listeners' subscriptions killed ({@code CLIENT KILL TYPE pubsub}) while
 * 1,000 Java-set and 1,000 Python-written triggers expire: all fire, once (the Java ones never
 * needed pub/sub; the Python ones are adopted by the catch-up sweep after each resubscription).
 * And a user without CONFIG: triggers still fire, the health says events are not available.
 */
@RedisBackends({BackendKind.STANDALONE, BackendKind.CLUSTER})
class TriggersFaultsIT {
  private final RedisBackend redis;

  TriggersFaultsIT(RedisBackend redis) {
    this.redis = redis;
  }

  private void killPubsubClients() {
    for (HostAndPort n : redis.nodes()) {
      try (Jedis j = new Jedis(n)) {
        j.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
      }
    }
  }

  @Test
  void killingThePubsubConnectionsWhileTwoThousandTriggersExpireLosesNoneAndFiresEachOnce() {
    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    TriggersOptions o = TriggersOptions.builder().sweepInterval(Duration.ofMinutes(10))
        .concurrency(8).prefetch(100).build();
    try (ExpiryTriggers a = ExpiryTriggers.create(redis.newClient(), "kill", o);
        ExpiryTriggers b = ExpiryTriggers.create(redis.newClient(), "kill", o)) {
      for (ExpiryTriggers t : List.of(a, b)) {
        t.on("job", x -> fired.computeIfAbsent(x.key(), k -> new AtomicInteger())
            .incrementAndGet()).start();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> a.health().subscribed()
          && b.health().subscribed() && a.health().sweeps() >= 1 && b.health().sweeps() >= 1);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        ids.add("java:" + i);
        redis.client().setex("kill:EXPTRIGGER:job:py_" + i, 2 + i % 2,
            "trigger:2025-06-08T21:03:50");
      }
      a.setAll("job", ids, Duration.ofMillis(1500));
      for (int k = 0; k < 5; k++) {
        killPubsubClients(); // both subscribers resubscribe and sweep to catch up
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(20))
            .until(() -> a.health().subscribed() && b.health().subscribed());
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 2000);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
          .until(() -> fired.size() == 2000);
      assertThat(fired.values()).allMatch(c -> c.get() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> a.pendingCount() == 0);
    }
  }

  @Test
  void aUserWithoutConfigStillFiresEveryTriggerAndTheHealthSaysSo() {
    redis.assumeKind("ACL users are per node; one server shows it", BackendKind.STANDALONE);
    HostAndPort n = redis.nodes().iterator().next();
    try (Jedis admin = new Jedis(n)) {
      admin.sendCommand(Protocol.Command.ACL, "SETUSER", "noconfig", "on",
          ">secret", "~*", "&*", "+@all", "-config");
      admin.configSet("notify-keyspace-events", "");
    }
    AtomicInteger fired = new AtomicInteger();
    try (UnifiedJedis limited = RedisClients.create("redis://noconfig:secret@" + n.getHost() + ":"
        + n.getPort());
        ExpiryTriggers t = ExpiryTriggers.create(limited, "acl")) {
      t.on("job", x -> fired.incrementAndGet()).start();
      await().atMost(Duration.ofSeconds(20)).until(() -> t.health().sweeps() >= 1);
      TriggersHealth h = t.health();
      assertThat(h.keyspaceEvents()).isFalse();
      assertThat(h.problems()).singleElement().asString().contains("refused");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ids.add("id" + i);
      }
      t.setAll("job", ids, Duration.ofMillis(200));
      limited.setex("acl:EXPTRIGGER:job:python", 2, "trigger:2025-06-08T21:03:50");
      assertThat(t.sweep()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> fired.get() == 101);
    } finally {
      try (Jedis admin = new Jedis(n)) {
        admin.sendCommand(Protocol.Command.ACL, "DELUSER", "noconfig");
      }
    }
  }
}
