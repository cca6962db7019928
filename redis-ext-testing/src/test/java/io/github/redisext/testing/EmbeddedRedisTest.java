package io.github.redisext.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

class EmbeddedRedisTest {

  @Test
  void theJarHasABinaryForLinuxAndMacOnAmd64AndArm64() {
    String res = EmbeddedRedis.resourceForThisPlatform();
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if ((os.contains("linux") || os.contains("mac"))
        && java.util.Set.of("amd64", "x86_64", "aarch64", "arm64").contains(arch)) {
      assertThat(res).isNotNull();
      assertThat(EmbeddedRedis.class.getResource("/" + res)).as(res).isNotNull();
      assertThat(EmbeddedRedis.isAvailable()).isTrue();
    } else {
      assertThat(EmbeddedRedis.isAvailable()).isFalse();
    }
  }

  @Test
  void startsARealRedis62OnALoopbackPortAndLeavesNothingBehind() throws Exception {
    assumeTrue(EmbeddedRedis.isAvailable(), "SKIPPED: no embedded Redis binary for this platform");
    RedisServerProcess server = EmbeddedRedis.start();
    java.nio.file.Path dir;
    try (Jedis j = server.connect()) {
      assertThat(j.ping()).isEqualTo("PONG");
      String info = new String((byte[]) j.sendCommand(Protocol.Command.INFO, "server"),
          StandardCharsets.UTF_8);
      assertThat(info).contains("redis_version:6.2.");
      String bind = String.join(" ", j.configGet("bind").values());
      assertThat(bind).isEqualTo("127.0.0.1");
      dir = java.nio.file.Path.of(j.configGet("dir").get("dir"));
      assertThat(dir).exists();
    }
    server.close();
    assertThat(server.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  void theDefaultMatrixIsWhatRedisBackendsRunsOn() throws Exception {
    BackendKind[] annotated = (BackendKind[]) RedisBackends.class.getMethod("value").getDefaultValue();
    assertThat(java.util.List.of(annotated)).isEqualTo(Backends.DEFAULT_KINDS);
  }
}
