package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.Backends;
import io.github.redisext.testing.RedisServerProcess;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** A Redis server killed with SIGKILL and restarted (with AOF, so the data survives). */
class UniqueIdRestartIT {
  @Test
  void afterAServerRestartNamesKeepTheirIdsScriptsAreReloadedAndSequencesMoveOn() {
    RedisServerProcess.assumeAvailable();
    try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes",
        "--appendfsync", "always");
        UnifiedJedis client = Backends.newClient(BackendKind.STANDALONE,
            Set.of(server.hostAndPort()))) {
      UniqueId ids = UniqueId.create(client, "{users}");
      UniqueId seq = UniqueId.create(client, "{users}",
          UniqueIdOptions.builder().sequenceBlockSize(100).build());
      assertThat(ids.getOrCreateAll(List.of("a", "b"))).containsExactly(Map.entry("a", 1L),
          Map.entry("b", 2L));
      assertThat(seq.next()).isEqualTo(1);

      server.kill();
      assertThatThrownBy(() -> ids.getOrCreate("c")).isInstanceOf(JedisConnectionException.class);
      server.restart();

      // the restarted server has an empty script cache: EVALSHA answers NOSCRIPT, the script is
      // sent again, and the ids persisted in the AOF are still there
      assertThat(ids.getOrCreate("a")).isEqualTo(1);
      assertThat(ids.getOrCreateAll(List.of("c", "b"))).containsExactly(Map.entry("c", 3L),
          Map.entry("b", 2L));
      assertThat(ids.find("b")).hasValue(2);
      // this process still hands out its reserved block; a new one continues after it
      assertThat(seq.next()).isEqualTo(2);
      UniqueId other = UniqueId.create(client, "{users}",
          UniqueIdOptions.builder().sequenceBlockSize(100).build());
      assertThat(other.next()).isEqualTo(101);
    }
  }
}
