package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import io.github.redisext.triggers.internal.Keys;
import io.github.redisext.triggers.internal.ServerSettings;
import io.github.redisext.triggers.internal.TriggersRedis;
import org.junit.jupiter.api.Test;

/** The seed's key factory round trip, escaping, tenants and the TTL key's value (no server). */
class TriggerKeyTest {
  @Test
  void aKeyMadeFromItsPartsParsesBackToThem() {
    TriggerKey k = TriggerKey.of("mimeia", "process_batch", "wa_123");
    assertThat(k.key()).isEqualTo("mimeia:EXPTRIGGER:process_batch:wa_123");
    assertThat(TriggerKey.parse(k.key())).contains(k);
  }

  @Test
  void colonsInActionAndIdentifierBecomeUnderscoresAsInSectionTen() {
    assertThat(TriggerKey.of("acme", "user:profile:update", "user:123").key())
        .isEqualTo("acme:EXPTRIGGER:user_profile_update:user_123");
    assertThat(TriggerKey.of("acme", "a", "x:1")).isEqualTo(TriggerKey.of("acme", "a", "x_1"));
  }

  @Test
  void aShardKnowsAKeysActionAndIdentifierAndItsShardKeysShareOneTag() {
    Keys keys = new Keys("acme", 4);
    String key = keys.ttlKey("user:profile:update", "user:123");
    assertThat(key).isEqualTo("acme:EXPTRIGGER:user_profile_update:user_123");
    assertThat(keys.actionOf(key)).isEqualTo("user_profile_update");
    assertThat(keys.identifierOf(key)).isEqualTo("user_123");
    assertThat(keys.keyPrefix() + keys.actionOf(key) + ":" + keys.identifierOf(key))
        .isEqualTo(key);
    int s = keys.shardOfKey(key);
    assertThat(s).isEqualTo(keys.shardOf("user_123")).isBetween(0, 3);
    assertThat(keys.familyAndActions(s)).startsWith(keys.family(s).toArray(String[]::new))
        .endsWith("{acme:rx-triggers:" + s + "}:actions").hasSize(7);
    assertThat(keys.actions(s)).isEqualTo("{acme:rx-triggers:" + s + "}:actions");
    assertThat(keys.owed(s)).isEqualTo("{acme:rx-triggers:" + s + "}:ttl-owed");
  }

  @Test
  void keysThatAreNoTriggersDoNotParse() {
    assertThat(TriggerKey.parse("acme:other:a:b")).isEmpty();
    assertThat(TriggerKey.parse(":EXPTRIGGER:a:b")).isEmpty();
    assertThat(TriggerKey.parse("acme:EXPTRIGGER:onlyaction")).isEmpty();
    assertThat(TriggerKey.parse(null)).isEmpty();
  }

  @Test
  void aTenantWithAColonIsRejectedWithTheReason() {
    assertThatThrownBy(() -> TriggerKey.of("a:b", "x", "y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contains ':'");
    assertThatThrownBy(() -> TriggerKey.of(" ", "x", "y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
  }

  @Test
  void theValueIsTriggerAndTheUtcIsoTimeWithMicrosecondsLikePython() {
    assertThat(TriggersRedis.triggerValue(LocalDateTime.of(2025, 6, 8, 21, 3, 50, 123_456_000)))
        .isEqualTo("trigger:2025-06-08T21:03:50.123456");
    assertThat(TriggersRedis.triggerValue(LocalDateTime.of(2025, 6, 8, 21, 3, 50)))
        .isEqualTo("trigger:2025-06-08T21:03:50");
  }

  @Test
  void onlyMissingKeyspaceFlagsAreAdded() {
    assertThat(ServerSettings.missingFlags("", false)).isEqualTo("Ex");
    assertThat(ServerSettings.missingFlags("KA", false)).isEqualTo("E");
    assertThat(ServerSettings.missingFlags("Kg$x", false)).isEqualTo("E");
    assertThat(ServerSettings.missingFlags("xE", false)).isEmpty();
    assertThat(ServerSettings.missingFlags("xE", true)).isEqualTo("g");
    assertThat(ServerSettings.missingFlags("AK", true)).isEqualTo("E");
    assertThat(ServerSettings.missingFlags("", true)).isEqualTo("Exg");
  }
}
