package io.github.redisext.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.EmbeddedRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tour README tells newcomers to run: every scene passes and it exits 0 by itself. */
class DemoTest {

  @Test
  void theTourRunsEverySceneOnTheEmbeddedRealRedisAndExitsZero() {
    try (ChildJvm demo = ChildJvm.start(Demo.class)) {
      int exit = demo.waitFor(Duration.ofMinutes(5));
      String out = String.join("\n", demo.output());
      assertThat(exit).as(out).isZero();
      assertThat(out).contains("All scenes passed.").doesNotContain("FAILED");
      assertThat(out).contains("Metrics: MicrometerMetrics.bind")
          .containsPattern("redisext\\.worker\\.handled +\\{demo-jobs-[0-9a-f]+\\} +10,000");
      if (EmbeddedRedis.isAvailable()) {
        assertThat(out).contains("tour on an embedded real Redis 6.2.");
      } else {
        assertThat(out).contains("has no Redis binary for");
      }
      for (int scene = 1; scene <= 9; scene++) {
        assertThat(out).contains("\n" + scene + ". ");
      }
    }
  }
}
