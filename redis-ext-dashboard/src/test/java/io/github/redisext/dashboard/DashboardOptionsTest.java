package io.github.redisext.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

class DashboardOptionsTest {
  @Test
  void theDefaultsAreLoopbackReadOnlyAndRecordNothing() {
    DashboardOptions o = DashboardOptions.defaults();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(DashboardOptions.DEFAULT_PORT);
    assertThat(o.writeToken()).isEmpty();
    assertThat(o.recordRates()).isFalse();
    assertThat(o.refresh()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    DashboardOptions.Builder b = DashboardOptions.builder();
    assertThatThrownBy(() -> b.port(70_000)).hasMessageContaining("port");
    assertThatThrownBy(() -> b.allowWrites("short")).hasMessageContaining("write token");
    assertThatThrownBy(() -> b.refresh(Duration.ofMillis(10))).hasMessageContaining("refresh");
    assertThatThrownBy(() -> b.listLimit(0)).hasMessageContaining("listLimit");
    assertThatThrownBy(() -> b.previewChars(5)).hasMessageContaining("previewChars");
    assertThatThrownBy(() -> b.names(List.of("emails"))).hasMessageContaining("kind:name");
    assertThatThrownBy(() -> b.host(" ")).hasMessageContaining("host");
  }

  @Test
  void theTokenNeverAppearsInToStringAndNamesKeepTheirColons() {
    DashboardOptions o = DashboardOptions.builder().allowWrites("s3cret-token")
        .names(List.of("worker:jobs:{eu}")).build();
    assertThat(o.toString()).doesNotContain("s3cret").contains("token ***");
    assertThat(o.names()).containsExactly("worker:jobs:{eu}");
    assertThat(o.writeToken()).contains("s3cret-token");
  }

  @Test
  void theRedisLabelOfTheCommandLineDropsUserPasswordAndQuery() {
    assertThat(Dashboard.label("redis://admin:hunter2@db.example:6380/2"))
        .isEqualTo("redis://db.example:6380/2");
    assertThat(Dashboard.label("redis://:hunter2@db"))
        .isEqualTo("redis://db");
    assertThat(Dashboard.label("redis-sentinel://s1:26379/m?sentinelPassword=hunter2"))
        .isEqualTo("redis-sentinel://s1:26379/m");
  }

  @Test
  void aClosedDashboardRefusesItsOperations() {
    try (UnifiedJedis client = io.github.redisext.core.RedisClients.create("redis://127.0.0.1:1")) {
      Dashboard d = Dashboard.start(client, DashboardOptions.builder().port(0).build());
      assertThat(d.port()).isPositive();
      assertThat(d.uri().toString()).startsWith("http://127.0.0.1:");
      d.close();
      d.close(); // idempotent
      assertThatThrownBy(d::port).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(d::uri).isInstanceOf(IllegalStateException.class);
    }
  }
}
