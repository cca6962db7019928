package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisException;

@RedisBackends
class KeySpaceIT {
  /** Touches all its keys: only possible when they share a slot on a cluster. */
  private static final LuaScript TOUCH_ALL = LuaScript.of("touch_all.lua",
      "for i, k in ipairs(KEYS) do redis.call('INCR', k) end return #KEYS");

  private final RedisBackend redis;

  KeySpaceIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void oneScriptTouchesEveryKeyOfATaggedSpace() {
    KeySpace k = KeySpace.tagged("orders");
    List<String> keys = List.of(k.key("queue"), k.key("inflight"), k.key("dead"), k.key("meta", "x"));
    assertThat(TOUCH_ALL.eval(redis.client(), keys, List.of(), Replies::toLong)).isEqualTo(4);
    for (String key : keys) {
      assertThat(redis.client().get(key)).isEqualTo("1");
    }
  }

  @Test
  void tagLessVerbatimNameIsRejectedOnAClusterOnly() {
    KeySpace plain = KeySpace.verbatim("myset");
    if (redis.isCluster()) {
      assertThatThrownBy(() -> plain.requireSingleSlot(redis.client()))
          .isInstanceOf(KeyNameException.class).hasMessageContaining("'{myset}'");
      // and the reason is real: the keys do live in different slots on this cluster
      assertThatThrownBy(() -> TOUCH_ALL.eval(redis.client(), List.of(plain.key("value"),
          plain.key("version")), List.of())).isInstanceOf(JedisException.class);
    } else {
      assertThatCode(() -> plain.requireSingleSlot(redis.client())).doesNotThrowAnyException();
    }
    KeySpace tagged = KeySpace.verbatim("{myset}").requireSingleSlot(redis.client());
    assertThat(TOUCH_ALL.eval(redis.client(), List.of(tagged.key("value"), tagged.key("version")),
        List.of(), Replies::toLong)).isEqualTo(2);
  }

  @Test
  void forNameGivesEveryNameOneSlotOnAClusterAndThePythonLayoutElsewhere() {
    for (String name : List.of("plain", "{tagged}", "jobs:{eu}")) {
      KeySpace k = KeySpace.forName(name, redis.client()).requireSingleSlot(redis.client());
      assertThat(TOUCH_ALL.eval(redis.client(), List.of(k.prefix(), k.key("value"),
          k.key("version")), List.of(), Replies::toLong)).isEqualTo(3);
    }
    assertThat(KeySpace.forName("plain", redis.client()).key("q"))
        .isEqualTo(redis.isCluster() ? "{plain}:q" : "plain:q");
    assertThat(KeySpace.forName("{tagged}", redis.client()).key("q")).isEqualTo("{tagged}:q");
  }

  @Test
  void requireSameSlotListsTheKeysAndTheirSlots() {
    if (redis.isCluster()) {
      assertThatThrownBy(() -> KeySpace.requireSameSlot(redis.client(), "queue 'q'", "q", "q:dead"))
          .isInstanceOf(KeyNameException.class).hasMessageContaining("queue 'q'")
          .hasMessageContaining("'q' -> " + KeySpace.slot("q")).hasMessageContaining("{q}");
    } else {
      assertThatCode(() -> KeySpace.requireSameSlot(redis.client(), "q", "q", "q:dead"))
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> KeySpace.requireSameSlot(redis.client(), "q", "{q}", "{q}:dead"))
        .doesNotThrowAnyException();
    assertThat(KeySpace.isCluster(redis.client())).isEqualTo(redis.isCluster());
  }
}
