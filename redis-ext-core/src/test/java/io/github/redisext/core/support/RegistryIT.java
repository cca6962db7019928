package io.github.redisext.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@RedisBackends
class RegistryIT {
  private final RedisBackend redis;

  RegistryIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void anAnnouncedPrimitiveIsReadBackWithItsKeysAndServerTimes() {
    UnifiedJedis c = redis.client();
    Registry.announce(c, "worker", "emails", Map.of("dead", "emails:dead", "queue", "emails"));
    List<Registry.Entry> entries = Registry.read(c);
    assertThat(entries).hasSize(1);
    Registry.Entry e = entries.get(0);
    assertThat(e.kind()).isEqualTo("worker");
    assertThat(e.name()).isEqualTo("emails");
    assertThat(e.field()).isEqualTo("worker:emails");
    assertThat(e.keys()).containsExactly(Map.entry("dead", "emails:dead"),
        Map.entry("queue", "emails"));
    assertThat(e.firstSeen()).isEqualTo(e.lastSeen());
    assertThat(e.firstSeen().toEpochMilli())
        .isCloseTo(ServerTime.now(c, Registry.KEY).toEpochMilli(), org.assertj.core.data.Offset.offset(60_000L));
  }

  @Test
  void aRepeatedAnnouncementOnTheSameClientSendsNothingButAnotherClientMovesLastSeenOnly() {
    UnifiedJedis c = redis.client();
    Registry.announce(c, "lock", "orders", Map.of());
    String first = c.hget(Registry.KEY, "lock:orders");
    c.hset(Registry.KEY, "lock:orders",
        first.replaceAll("\"lastSeen\":\\d+", "\"lastSeen\":5").replaceAll("\"firstSeen\":\\d+",
            "\"firstSeen\":4"));
    Registry.announce(c, "lock", "orders", Map.of());
    assertThat(c.hget(Registry.KEY, "lock:orders")).contains("\"firstSeen\":4,\"lastSeen\":5}");
    try (UnifiedJedis other = redis.newClient()) {
      Registry.announce(other, "lock", "orders", Map.of());
    }
    Registry.Entry e = Registry.read(c).get(0);
    assertThat(e.firstSeen().toEpochMilli()).isEqualTo(4);
    assertThat(e.lastSeen().toEpochMilli()).isGreaterThan(5);
  }

  @Test
  void forgetRemovesAnEntryAndANewAnnouncementBringsItBack() {
    UnifiedJedis c = redis.client();
    Registry.announce(c, "fastset", "users", Map.of());
    assertThat(Registry.forget(c, "fastset", "users")).isTrue();
    assertThat(Registry.read(c)).isEmpty();
    Registry.announce(c, "fastset", "users", Map.of());
    assertThat(Registry.read(c)).extracting(Registry.Entry::field).containsExactly("fastset:users");
  }

  @Test
  void anUnparsableEntryIsSkippedAndAWrongTypedRegistryNeverFailsAnAnnouncement() {
    UnifiedJedis c = redis.client();
    c.hset(Registry.KEY, "worker:x", "not json");
    Registry.announce(c, "worker", "y", Map.of());
    assertThat(Registry.read(c)).extracting(Registry.Entry::name).containsExactly("y");
    c.del(Registry.KEY);
    c.set(Registry.KEY, "oops");
    Registry.announce(c, "worker", "z", Map.of()); // logged, not thrown
    assertThat(c.get(Registry.KEY)).isEqualTo("oops");
    assertThatThrownBy(() -> Registry.read(c)).isInstanceOf(WrongTypeException.class)
        .hasMessageContaining(Registry.KEY);
  }

  @Test
  void aFullRegistryTakesNoNewNameAndTheClientStopsAskingForAnHour() {
    UnifiedJedis c = redis.client();
    java.util.Map<String, String> fill = new java.util.HashMap<>();
    for (int i = 0; i < Registry.MAX_ENTRIES; i++) {
      fill.put("lock:filler-" + i, "{}");
    }
    c.hset(Registry.KEY, fill);
    try (UnifiedJedis other = redis.newClient()) {
      Registry.announce(other, "lock", "one-too-many", Map.of());
      assertThat(c.hexists(Registry.KEY, "lock:one-too-many")).isFalse();
      c.hdel(Registry.KEY, "lock:filler-0"); // room again, but this client was told it is full
      Registry.announce(other, "lock", "another", Map.of());
      assertThat(c.hexists(Registry.KEY, "lock:another")).isFalse();
    }
    try (UnifiedJedis fresh = redis.newClient()) {
      Registry.announce(fresh, "lock", "another", Map.of());
      assertThat(c.hexists(Registry.KEY, "lock:another")).isTrue();
    }
  }
}
