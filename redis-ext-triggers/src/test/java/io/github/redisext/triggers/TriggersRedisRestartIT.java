package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Redis restart (kill -9 of redis-server, with AOF or an RDB snapshot): triggers that came due
 * while Redis was down fire after it returns, once, with their lateness reported.
 */
class TriggersRedisRestartIT {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aof", "rdb"})
  void triggersThatCameDueWhileRedisWasDownFireAfterItReturnsFlaggedLate(String persistence) {
    RedisServerProcess.assumeAvailable();
    String[] args = persistence.equals("aof")
        ? new String[] {"--appendonly", "yes", "--appendfsync", "always"}
        : new String[] {"--appendonly", "no"};
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    try (RedisServerProcess server = RedisServerProcess.start(args);
        UnifiedJedis client = RedisClients.create(server.uri());
        ExpiryTriggers t = ExpiryTriggers.create(client, "restart", TriggersOptions.builder()
            .lateAfter(Duration.ofMillis(500)).build())) {
      t.on("job", fired::add).start();
      t.set("job", "before", Duration.ofMillis(100));
      await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 1);

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ids.add("across:" + i);
      }
      t.setAll("job", ids, Duration.ofSeconds(1));
      if (persistence.equals("rdb")) {
        try (var j = server.connect()) {
          j.save();
        }
      }
      server.kill();
      await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // the deadlines pass while down
      server.restart();

      await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 101);
      assertThat(fired.stream().filter(x -> x.identifier().startsWith("across"))).hasSize(100)
          .allMatch(Trigger::late);
      await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
      t.set("job", "after", Duration.ofMillis(100));
      await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 102);
    }
  }
}
