package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A redis-server restarted under running consumers: they survive with backoff, re-create a lost
 * group (NOGROUP) and resume by themselves; with AOF nothing acknowledged or pending is lost.
 */
class RedisRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static void restartUnderAConsumer(String... serverArgs) {
    RedisServerProcess.assumeAvailable();
    try (RedisServerProcess server = RedisServerProcess.start(serverArgs);
        UnifiedJedis client = RedisClients.create(server.uri());
        RedisStream<String> s = RedisStream.create(client, "{restart}", String.class)) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      StreamConsumer c = s.process(ProcessOptions.builder("g").startFrom(StartFrom.OLDEST)
          .lease(Duration.ofSeconds(2)).idleWait(Duration.ofMillis(200)).build(),
          d -> got.add(d.value()));
      s.addAll(List.of("a", "b"));
      await().atMost(WAIT).until(() -> got.containsAll(List.of("a", "b")));
      server.kill();
      server.restart();
      // the consumer threads lived through the outage; a group lost with the data is re-created
      await().atMost(WAIT).ignoreExceptions().until(() -> {
        s.add("after-" + got.size());
        return got.stream().anyMatch(v -> v.startsWith("after-"));
      });
      await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
      assertThat(c.stats().handled()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void consumersResumeByThemselvesAfterARestartWithoutPersistence() {
    restartUnderAConsumer();
  }

  @Test
  void consumersResumeAfterARestartWithAofAndTheGroupSurvives() {
    RedisServerProcess.assumeAvailable();
    try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes",
        "--appendfsync", "always");
        UnifiedJedis client = RedisClients.create(server.uri());
        RedisStream<String> s = RedisStream.create(client, "{restart}", String.class)) {
      Set<String> got = ConcurrentHashMap.newKeySet();
      try (StreamConsumer c = s.process(ProcessOptions.builder("g").startFrom(StartFrom.OLDEST)
          .idleWait(Duration.ofMillis(200)).build(), d -> got.add(d.value()))) {
        s.addAll(List.of("a", "b"));
        await().atMost(WAIT).until(() -> got.size() == 2
            && s.groups().get(0).pending() == 0);
      }
      s.addAll(List.of("c", "d")); // accepted while no consumer runs
      server.kill();
      server.restart();
      // the pool's old connections fail once after the restart
      await().atMost(WAIT).ignoreExceptions().until(() -> s.length() == 4);
      assertThat(s.groups()).extracting(GroupInfo::name).containsExactly("g");
      got.clear();
      try (StreamConsumer c = s.process(ProcessOptions.builder("g")
          .idleWait(Duration.ofMillis(200)).build(), d -> got.add(d.value()))) {
        await().atMost(WAIT).until(() -> got.containsAll(List.of("c", "d")));
        // acknowledged before the restart: not delivered again
        assertThat(got).containsExactlyInAnyOrder("c", "d");
      }
    }
  }
}
