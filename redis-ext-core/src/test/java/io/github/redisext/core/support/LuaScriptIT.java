package io.github.redisext.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.HostAndPort;

@RedisBackends
class LuaScriptIT {
  private static final LuaScript INCR_BY = LuaScript.fromResource(LuaScriptIT.class, "incr_by.lua");

  private final RedisBackend redis;

  LuaScriptIT(RedisBackend redis) {
    this.redis = redis;
  }

  private void flushScriptsEverywhere() {
    for (HostAndPort hp : redis.nodes()) {
      try (Jedis j = new Jedis(hp, io.github.redisext.testing.Backends.clientConfig(redis.kind()))) {
        j.scriptFlush();
      }
    }
  }

  @Test
  void runsAScriptFromAResourceWithATypedReply() {
    long v = INCR_BY.eval(redis.client(), List.of("{c}:n"), List.of("5"), Replies::toLong);
    assertThat(v).isEqualTo(5);
    assertThat(INCR_BY.eval(redis.client(), List.of("{c}:n"), List.of("2"), Replies::toLong)).isEqualTo(7);
  }

  @Test
  void aScriptComposedOfALibraryAndAnOperationRunsAsOne() {
    LuaScript s = LuaScript.fromResources(LuaScriptIT.class, "counter_lib.lua", "bump_twice.lua");
    assertThat(s.name()).isEqualTo("bump_twice.lua");
    assertThat(s.source()).contains("local function bump").contains("return bump(");
    assertThat(s.eval(redis.client(), List.of("{c}:n"), List.of("3"), Replies::toLong)).isEqualTo(6);
    flushScriptsEverywhere();
    assertThat(s.eval(redis.client(), List.of("{c}:n"), List.of("1"), Replies::toLong)).isEqualTo(8);
  }

  @Test
  void aPipelineOfCallsRunsEachOnceAlsoWhenTheScriptWasNotCached() {
    flushScriptsEverywhere(); // every pipelined EVALSHA answers NOSCRIPT: each is run again
    List<Object> r = INCR_BY.evalPipelined(redis.client(), List.of("{c}:p"),
        List.of(List.of("1"), List.of("10"), List.of("100")));
    assertThat(r).extracting(Replies::toLong).containsExactly(1L, 11L, 111L);
    r = INCR_BY.evalPipelined(redis.client(), List.of("{c}:p"), List.of(List.of("1"), List.of("1")));
    assertThat(r).extracting(Replies::toLong).containsExactly(112L, 113L);
    assertThat(redis.client().get("{c}:p")).isEqualTo("113");
    // an error reply of one call is thrown after every reply was read
    redis.client().del("{c}:p");
    redis.client().hset("{c}:p", "f", "v");
    assertThatThrownBy(() -> INCR_BY.evalPipelined(redis.client(), List.of("{c}:p"),
        List.of(List.of("1"), List.of("2")))).isInstanceOf(RuntimeException.class);
  }

  @Test
  void reloadsTransparentlyAfterScriptFlush() {
    INCR_BY.eval(redis.client(), List.of("{c}:n"), List.of("1"));
    flushScriptsEverywhere();
    long v = INCR_BY.eval(redis.client(), List.of("{c}:n"), List.of("1"), Replies::toLong);
    assertThat(v).isEqualTo(2);
    // after the reload EVALSHA works again directly
    assertThat(Replies.toLong(redis.client().evalsha(INCR_BY.sha(), List.of("{c}:n"), List.of("1"))))
        .isEqualTo(3);
  }

  @Test
  void routesByKeySlotOnEveryNodeOfACluster() {
    // keys in many different slots: each call must reach the node that owns its key
    for (int i = 0; i < 50; i++) {
      String key = "{k" + i + "}:n";
      assertThat(INCR_BY.eval(redis.client(), List.of(key), List.of("3"), Replies::toLong)).isEqualTo(3);
    }
    if (redis.isCluster()) {
      long slots = java.util.stream.IntStream.range(0, 50).map(i -> KeySpace.slot("{k" + i + "}:n"))
          .distinct().count();
      assertThat(slots).isGreaterThan(10);
    }
  }

  @Test
  void aTypedReplyThatDoesNotFitIsAClearError() {
    LuaScript s = LuaScript.of("str.lua", "return 'not a number'");
    assertThatThrownBy(() -> s.eval(redis.client(), List.of("{c}:x"), List.of(), Replies::toLong))
        .isInstanceOf(RedisExtException.class).hasMessageContaining("str.lua");
  }

  @Test
  void serverTimeIsTheServersClock() {
    Instant t = ServerTime.now(redis.client(), "{c}:t");
    assertThat(Duration.between(t, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
    redis.clock().ifPresent(c -> {
      c.advance(Duration.ofHours(1));
      Instant later = ServerTime.now(redis.client(), "{c}:t");
      assertThat(Duration.between(t, later)).isGreaterThanOrEqualTo(Duration.ofMinutes(59));
    });
  }
}
