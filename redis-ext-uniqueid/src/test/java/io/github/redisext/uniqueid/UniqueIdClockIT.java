package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.MutableClock;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expiry driven by the server's clock: jedis-mock's injected clock, so no waiting. */
@RedisBackends(BackendKind.MOCK)
class UniqueIdClockIT {
  private final RedisBackend redis;
  private final MutableClock clock;

  UniqueIdClockIT(RedisBackend redis) {
    this.redis = redis;
    this.clock = redis.clock().orElseThrow();
  }

  @Test
  void aMappingExpiresAfterTheDefaultHourOfServerTimeAndTheNameGetsANewLargerId() {
    UniqueId ids = UniqueId.create(redis.client(), "{users}");
    assertThat(ids.getOrCreate("alice")).isEqualTo(1);
    assertThat(ids.getOrCreate("bob")).isEqualTo(2);
    clock.advance(Duration.ofMinutes(59));
    assertThat(ids.getOrCreate("alice")).isEqualTo(1);
    assertThat(ids.find("bob")).hasValue(2);
    clock.advance(Duration.ofMinutes(2));
    assertThat(ids.find("alice")).isEmpty();
    assertThat(ids.getOrCreateAll(List.of("bob", "alice"))).containsExactly(Map.entry("bob", 3L),
        Map.entry("alice", 4L));
    // the counter never expires
    assertThat(redis.client().get("{users}:auto")).isEqualTo("4");
  }

  @Test
  void readsDoNotPostponeExpiryByDefault() {
    UniqueId ids = UniqueId.create(redis.client(), "{users}",
        UniqueIdOptions.builder().timeout(Duration.ofSeconds(10)).build());
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(3));
      assertThat(ids.getOrCreate("a")).isEqualTo(1);
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(ids.getOrCreate("a")).isEqualTo(2);
  }

  @Test
  void withRefreshOnReadANameInUseNeverExpires() {
    UniqueId ids = UniqueId.create(redis.client(), "{users}",
        UniqueIdOptions.builder().timeout(Duration.ofSeconds(10)).refreshOnRead(true).build());
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(ids.getOrCreate("b")).isEqualTo(2);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(6));
      assertThat(ids.getOrCreate("a")).isEqualTo(1);
      assertThat(ids.findAll(List.of("b"))).containsEntry("b", 2L);
    }
    clock.advance(Duration.ofSeconds(11));
    assertThat(ids.find("a")).isEmpty();
    assertThat(ids.getOrCreate("a")).isEqualTo(3);
  }
}
