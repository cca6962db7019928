package io.github.redisext.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** core_lib.lua's helpers on every backend (jedis-mock's luaj included). */
@RedisBackends
class CoreLibIT {
  /** Checks KEYS[1] is a list and KEYS[2] a hash, then writes both. */
  private static final LuaScript GUARDED = LuaScript.of("guarded.lua", LuaScript.fromResources(
      CoreLibIT.class, LuaScript.CORE_LIB).source()
      + "local bad = rx_wrong_type(KEYS[1], 'list', KEYS[2], 'hash')\n"
      + "if bad then return redis.error_reply(bad) end\n"
      + "redis.call('RPUSH', KEYS[1], ARGV[1])\n"
      + "redis.call('HSET', KEYS[2], ARGV[1], '1')\n"
      + "return 1\n");
  /** Pushes every ARGV to KEYS[1] and deletes them all from the hash KEYS[2], chunked. */
  private static final LuaScript CHUNKED = LuaScript.of("chunked.lua", LuaScript.fromResources(
      CoreLibIT.class, LuaScript.CORE_LIB).source()
      + "local pairs_ = {}\n"
      + "for i = 1, #ARGV do pairs_[#pairs_ + 1] = ARGV[i]; pairs_[#pairs_ + 1] = 'v' end\n"
      + "local h = rx_chunked_pairs('HSET', KEYS[2], pairs_)\n"
      + "local _, n = rx_chunked('RPUSH', KEYS[1], ARGV)\n"
      + "local d = rx_chunked('HDEL', KEYS[2], ARGV, 2, #ARGV)\n"
      + "return {n, h, d}\n");

  private final RedisBackend redis;

  CoreLibIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void aGuardedScriptWritesNothingAndNamesTheKeyWhenOneHoldsAnotherType() {
    var c = redis.client();
    c.set("{g}:h", "oops");
    assertThatThrownBy(() -> GUARDED.eval(c, List.of("{g}:l", "{g}:h"), List.of("a")))
        .isInstanceOfSatisfying(WrongTypeException.class, e -> {
          assertThat(e.key()).isEqualTo("{g}:h");
          assertThat(e.expectedType()).isEqualTo("hash");
          assertThat(e.actualType()).isEqualTo("string");
          assertThat(e.getMessage()).contains("{g}:h").contains("nothing was changed");
        });
    assertThat(c.exists("{g}:l")).isFalse();
    c.del("{g}:h");
    assertThat(Replies.toLong(GUARDED.eval(c, List.of("{g}:l", "{g}:h"), List.of("a")))).isEqualTo(1);
    assertThat(c.lrange("{g}:l", 0, -1)).containsExactly("a");
  }

  @Test
  void missingKeysAndKeysOfTheExpectedTypePass() {
    var c = redis.client();
    c.rpush("{g}:l", "x");
    GUARDED.eval(c, List.of("{g}:l", "{g}:h"), List.of("a"));
    GUARDED.eval(c, List.of("{g}:l", "{g}:h"), List.of("b"));
    assertThat(c.lrange("{g}:l", 0, -1)).containsExactly("x", "a", "b");
  }

  @Test
  void chunkedCallsTakeMoreArgumentsThanOneLuaCallCan() {
    int n = redis.kind() == io.github.redisext.testing.BackendKind.MOCK ? 20_000 : 100_000;
    List<String> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add("i" + i);
    }
    List<Long> r = Replies.toList(CHUNKED.eval(redis.client(), List.of("{g}:l", "{g}:h"), items))
        .stream().map(Replies::toLong).toList();
    assertThat(r).containsExactly((long) n, (long) n, (long) n - 1);
    assertThat(redis.client().llen("{g}:l")).isEqualTo(n);
    assertThat(redis.client().lindex("{g}:l", n - 1)).isEqualTo("i" + (n - 1));
    assertThat(redis.client().hkeys("{g}:h")).containsExactly("i0");
  }

  @Test
  void plainCommandsGetTheSameTypedErrorThroughKeyTypes() {
    var c = redis.client();
    c.set("{g}:l", "oops");
    assertThatThrownBy(() -> KeyTypes.call(c, () -> c.llen("{g}:l"), "{g}:h", "hash", "{g}:l", "list"))
        .isInstanceOfSatisfying(WrongTypeException.class, e -> {
          assertThat(e.key()).isEqualTo("{g}:l");
          assertThat(e.actualType()).isEqualTo("string");
        });
    c.del("{g}:l");
    assertThat(KeyTypes.call(c, () -> c.llen("{g}:l"), "{g}:l", "list")).isZero();
  }
}
