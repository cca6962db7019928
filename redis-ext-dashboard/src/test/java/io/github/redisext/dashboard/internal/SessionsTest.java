package io.github.redisext.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionsTest {
  @Test
  void aSessionIsOpenedOnlyByTheTokenAndItsCsrfTokenIsItsOwn() {
    Sessions s = new Sessions("the-write-token");
    assertThat(s.writesEnabled()).isTrue();
    assertThat(s.isToken("the-write-token")).isTrue();
    assertThat(s.isToken("the-write-toke")).isFalse();
    assertThat(s.isToken(null)).isFalse();
    String a = s.open();
    String b = s.open();
    assertThat(s.csrf(a)).isNotNull().isNotEqualTo(s.csrf(b));
    assertThat(s.checkCsrf(a, s.csrf(a))).isTrue();
    assertThat(s.checkCsrf(a, s.csrf(b))).isFalse();
    assertThat(s.checkCsrf("forged", s.csrf(a))).isFalse();
    s.close(a);
    assertThat(s.csrf(a)).isNull();
  }

  @Test
  void withoutATokenNothingOpensWrites() {
    Sessions s = new Sessions(null);
    assertThat(s.writesEnabled()).isFalse();
    assertThat(s.isToken("")).isFalse();
    assertThat(s.csrf(null)).isNull();
  }

  @Test
  void theLoginRedirectStaysOnThisServer() {
    assertThat(Server.localPath("/k/worker?name=%7Bjobs%7D")).isEqualTo("/k/worker?name=%7Bjobs%7D");
    assertThat(Server.localPath("/")).isEqualTo("/");
    assertThat(Server.localPath("//evil.example/")).isEqualTo("/");
    assertThat(Server.localPath("/\\evil.example/")).isEqualTo("/");
    assertThat(Server.localPath("https://evil.example/")).isEqualTo("/");
    assertThat(Server.localPath("/a b")).isEqualTo("/");
  }
}
