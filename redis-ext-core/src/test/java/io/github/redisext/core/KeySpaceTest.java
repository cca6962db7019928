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
        .hasMessageContaining("braces that form no hash tag").hasMessageContaining("'{ab}'");
    assertThatThrownBy(() -> KeySpace.tagged("{}")).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> KeySpace.forName("x{", null)).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> KeySpace.tagged(" ")).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("name is required");
    assertThatThrownBy(() -> KeySpace.verbatim(null)).isInstanceOf(KeyNameException.class);
  }

  @Test
  void aNameThatCarriesATagIsUsedAsGivenSoXAndTaggedXNameTheSameKeys() {
    assertThat(KeySpace.tagged("{x}").key("lock")).isEqualTo("{x}:lock");
    assertThat(KeySpace.tagged("x").key("lock")).isEqualTo("{x}:lock");
    assertThat(KeySpace.tagged("jobs:{eu}").key("q")).isEqualTo("jobs:{eu}:q");
  }

  @Test
  void forNameKeepsThePythonLayoutOffACluster() {
    // a null client is not a cluster client: the standalone layout
    assertThat(KeySpace.forName("emails", null).key("dead")).isEqualTo("emails:dead");
    assertThat(KeySpace.forName("emails", null).prefix()).isEqualTo("emails");
    assertThat(KeySpace.forName("{emails}", null).key("dead")).isEqualTo("{emails}:dead");
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
