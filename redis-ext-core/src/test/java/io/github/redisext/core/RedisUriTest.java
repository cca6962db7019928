package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.HostAndPort;

class RedisUriTest {

  @Test
  void plainHostGetsTheDefaultPortAndDatabaseZero() {
    RedisUri u = RedisUri.parse("redis://cache.local");
    assertThat(u.kind()).isEqualTo(RedisUri.Kind.STANDALONE);
    assertThat(u.ssl()).isFalse();
    assertThat(u.nodes()).containsExactly(new HostAndPort("cache.local", 6379));
    assertThat(u.database()).isZero();
    assertThat(u.user()).isNull();
    assertThat(u.password()).isNull();
  }

  @Test
  void userPasswordPortAndDatabaseAreRead() {
    RedisUri u = RedisUri.parse("redis://alice:p%40ss@10.1.2.3:7000/5");
    assertThat(u.user()).isEqualTo("alice");
    assertThat(u.password()).isEqualTo("p@ss");
    assertThat(u.nodes()).containsExactly(new HostAndPort("10.1.2.3", 7000));
    assertThat(u.database()).isEqualTo(5);
  }

  @Test
  void passwordWithoutUserIsTheClassicRequirepassForm() {
    assertThat(RedisUri.parse("redis://:secret@h:1").password()).isEqualTo("secret");
    assertThat(RedisUri.parse("redis://:secret@h:1").user()).isNull();
    assertThat(RedisUri.parse("redis://secret@h:1").password()).isEqualTo("secret");
  }

  @Test
  void passwordMayContainPlusAndColon() {
    RedisUri u = RedisUri.parse("redis://bob:a+b:c@h");
    assertThat(u.user()).isEqualTo("bob");
    assertThat(u.password()).isEqualTo("a+b:c");
  }

  @Test
  void redissMeansTls() {
    assertThat(RedisUri.parse("rediss://h:6380").ssl()).isTrue();
    assertThat(RedisUri.parse("rediss-cluster://h:1,h:2").ssl()).isTrue();
    assertThat(RedisUri.parse("rediss-sentinel://h/m").ssl()).isTrue();
  }

  @Test
  void ipv6HostsAreBracketed() {
    assertThat(RedisUri.parse("redis://[::1]:6390").nodes()).containsExactly(new HostAndPort("::1", 6390));
    assertThat(RedisUri.parse("redis://[::1]").nodes()).containsExactly(new HostAndPort("::1", 6379));
  }

  @Test
  void clusterUriIsASeedList() {
    RedisUri u = RedisUri.parse("redis-cluster://u:p@a:7000,b:7001,c");
    assertThat(u.kind()).isEqualTo(RedisUri.Kind.CLUSTER);
    assertThat(u.nodes()).containsExactly(new HostAndPort("a", 7000), new HostAndPort("b", 7001),
        new HostAndPort("c", 6379));
    assertThat(u.user()).isEqualTo("u");
    assertThat(u.password()).isEqualTo("p");
  }

  @Test
  void sentinelUriNamesTheMasterAndOptionallyADatabase() {
    RedisUri u = RedisUri.parse("redis-sentinel://:pw@s1:26380,s2/mymaster/3?sentinelPassword=sp");
    assertThat(u.kind()).isEqualTo(RedisUri.Kind.SENTINEL);
    assertThat(u.nodes()).containsExactly(new HostAndPort("s1", 26380), new HostAndPort("s2", 26379));
    assertThat(u.masterName()).isEqualTo("mymaster");
    assertThat(u.database()).isEqualTo(3);
    assertThat(u.password()).isEqualTo("pw");
    assertThat(u.options()).containsEntry("sentinelPassword", "sp");
  }

  @Test
  void queryOptionsAreAppliedOverTheGivenOptions() {
    RedisUri u = RedisUri.parse("redis://h?timeout=1500&connectTimeout=2s&blockingTimeout=750ms"
        + "&poolSize=3&clientName=app&protocol=resp3");
    ClientOptions o = ClientOptions.defaults().withUriOptions("redis://h", u.options());
    assertThat(o.socketTimeout()).hasMillis(1500);
    assertThat(o.connectTimeout()).hasSeconds(2);
    assertThat(o.blockingSocketTimeout()).hasMillis(750);
    assertThat(o.poolSize()).isEqualTo(3);
    assertThat(o.clientName()).isEqualTo("app");
    assertThat(o.protocol()).isEqualTo(ClientOptions.Protocol.RESP3);
    assertThat(u.options()).isEqualTo(Map.of("timeout", "1500", "connectTimeout", "2s",
        "blockingTimeout", "750ms", "poolSize", "3", "clientName", "app", "protocol", "resp3"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''                                   | empty",
      "localhost:6379                       | no scheme",
      "http://h                             | unknown scheme 'http'",
      "redis://                             | no host",
      "redis://h:port                       | port 'port'",
      "redis://h:0                          | port '0'",
      "redis://h:70000                      | port '70000'",
      "redis://h/x                          | database 'x'",
      "redis://h/-1                         | database '-1'",
      "redis://a:1,b:2                      | use redis-cluster://",
      "redis-cluster://a:1,b:2/3            | cannot select database '3'",
      "redis-sentinel://s1:26379            | needs the master name",
      "redis-sentinel://s1:26379/           | needs the master name",
      "redis://h?bogus=1                    | unknown option 'bogus'",
      "redis://[::1                         | unclosed '['",
      "redis://:6379                        | empty host",
      "redis://u:p%zz@h                     | percent-encoding in the password"})
  void malformedUrisNameTheWrongPart(String uri, String expected) {
    assertThatThrownBy(() -> RedisUri.parse(uri)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void badOptionValuesNameTheOption() {
    assertThatThrownBy(() -> RedisClients.create("redis://h?poolSize=zero"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option 'poolSize'");
    assertThatThrownBy(() -> RedisClients.create("redis://h?protocol=resp9"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option 'protocol'");
    assertThatThrownBy(() -> RedisClients.create("redis://h?timeout=-5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socketTimeout");
  }

  @Test
  void passwordsNeverAppearInMessagesOrToString() {
    assertThatThrownBy(() -> RedisUri.parse("redis://u:topsecret@h:bad"))
        .hasMessageNotContaining("topsecret").hasMessageContaining("***");
    assertThat(RedisUri.parse("redis://u:topsecret@h").toString()).doesNotContain("topsecret");
  }

  @Test
  void clientConfigCarriesTlsCredentialsDatabaseAndTimeouts() {
    RedisUri u = RedisUri.parse("rediss://bob:pw@h:6380/2");
    var cfg = RedisClients.clientConfig(u, ClientOptions.builder().clientName("n").build());
    assertThat(cfg.getSslOptions()).as("TLS through SslOptions").isNotNull();
    assertThat(cfg.getUser()).isEqualTo("bob");
    assertThat(cfg.getPassword()).isEqualTo("pw");
    assertThat(cfg.getDatabase()).isEqualTo(2);
    assertThat(cfg.getClientName()).isEqualTo("n");
    assertThat(cfg.getBlockingSocketTimeoutMillis()).isEqualTo(30_000);
    assertThat(cfg.getRedisProtocol()).isNull();
  }

  @Test
  void optionsBuilderRejectsBadValuesByName() {
    assertThatThrownBy(() -> ClientOptions.builder().poolSize(0)).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> ClientOptions.builder().blockingSocketTimeout(java.time.Duration.ZERO))
        .hasMessageContaining("blockingSocketTimeout");
    assertThat(ClientOptions.defaults().toString()).contains("poolSize=16", "RESP2");
    assertThat(List.of(ClientOptions.defaults().protocol())).containsExactly(ClientOptions.Protocol.RESP2);
  }
}
