package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
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
