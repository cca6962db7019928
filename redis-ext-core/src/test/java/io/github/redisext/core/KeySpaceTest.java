package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeySpaceTest {

  @Test
  void taggedKeysShareTheNameAsHashTag() {
    KeySpace k = KeySpace.tagged("orders");
    assertThat(k.key("queue")).isEqualTo("{orders}:queue");
    assertThat(k.key("a", "b")).isEqualTo("{orders}:a:b");
    assertThat(KeySpace.slot(k.key("queue"))).isEqualTo(KeySpace.slot(k.key("dead")))
        .isEqualTo(KeySpace.slot("orders"));
    assertThat(k.prefix()).isEqualTo("{orders}");
    assertThat(k.toString()).contains("{orders}");
  }

  @Test
  void namesThatWouldBreakTheTagAreRejectedWithTheFix() {
    assertThatThrownBy(() -> KeySpace.tagged("a}b")).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("must not contain").hasMessageContaining("KeySpace.verbatim");
    assertThatThrownBy(() -> KeySpace.tagged("{x}")).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> KeySpace.tagged(" ")).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("name is required");
    assertThatThrownBy(() -> KeySpace.verbatim(null)).isInstanceOf(KeyNameException.class);
  }

  @Test
  void verbatimKeysKeepThePythonLayout() {
    KeySpace k = KeySpace.verbatim("myset");
    assertThat(k.key("value")).isEqualTo("myset:value");
    assertThat(KeySpace.verbatim("{users}").key("version")).isEqualTo("{users}:version");
  }

  @Test
  void hashTagFollowsRedisRules() {
    assertThat(KeySpace.hashTag("{a}:x")).isEqualTo("a");
    assertThat(KeySpace.hashTag("x{a}y{b}")).isEqualTo("a");
    assertThat(KeySpace.hashTag("{}x")).isNull();
    assertThat(KeySpace.hashTag("plain")).isNull();
    assertThat(KeySpace.hashTag("{open")).isNull();
  }
}
