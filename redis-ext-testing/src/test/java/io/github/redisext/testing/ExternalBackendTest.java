package io.github.redisext.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The EXTERNAL backend (REDIS_URL) never flushes the server: it works under a per-test prefix. */
class ExternalBackendTest {

  /** Child JVM: two "tests" on the EXTERNAL backend, each writing under its own prefix. */
  public static final class TwoTests {
    public static void main(String[] args) {
      RedisBackend b = Backends.get(BackendKind.EXTERNAL);
      Backends.newTest(b);
      String first = b.keyPrefix();
      b.flushAll();
      b.client().set(b.key("{a}:x"), "1");
      b.client().rpush(b.key("{a}:list"), "x", "y");
      System.out.println("first " + first + " " + b.client().get(b.key("{a}:x")));
      b.flushAll(); // the end of the first test
      Backends.newTest(b);
      System.out.println("second " + b.keyPrefix() + " " + b.client().exists(first + "{a}:x"));
      b.flushAll();
      System.out.println("done");
      Backends.stopAll();
    }
  }

  @Test
  void anExternalServerKeepsItsOwnKeysAndGetsNoneOfTheTests() {
    assumeTrue(EmbeddedRedis.isAvailable(), "SKIPPED: no embedded Redis to stand in for yours");
    try (RedisServerProcess server = EmbeddedRedis.start(); Jedis j = server.connect()) {
      j.set("users:1", "precious");
      j.hset("{app}:config", "a", "b");
      try (ChildJvm child = ChildJvm.start(Map.of("REDIS_URL", server.uri()), TwoTests.class)) {
        assertThat(child.waitFor(Duration.ofSeconds(60))).as(String.join("\n", child.output()))
            .isZero();
        String out = String.join("\n", child.output());
        assertThat(out).containsPattern("first rxt-[0-9a-f-]{12}: 1").contains("done");
        assertThat(out).containsPattern("second rxt-[0-9a-f-]{12}: false");
      }
      assertThat(j.get("users:1")).isEqualTo("precious");
      assertThat(j.hget("{app}:config", "a")).isEqualTo("b");
      assertThat(j.keys("*")).containsExactlyInAnyOrder("users:1", "{app}:config");
    }
  }

  @Test
  void withoutRedisUrlTheExternalBackendIsUnavailable() {
    assertThat(RedisBackendExtension.isAvailable(BackendKind.EXTERNAL))
        .isEqualTo(System.getenv("REDIS_URL") != null && !System.getenv("REDIS_URL").isBlank());
  }
}
