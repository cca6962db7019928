package io.github.redisext.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.core.RedisClients;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.testing.RedisServerProcess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A scrape never waits on a slow or stopped Redis longer than the gauge timeout: the gauge keeps
 * its last value. The stalls here (a SIGSTOPped server, which would hold a read forever, then a
 * killed one) are unbounded, so the generous comparison below is about the bound, not about
 * machine speed.
 */
class SlowRedisGaugeIT {
  @Test
  void gaugesAnswerWithTheirLastValueWithinTheTimeoutWhileRedisStallsOrIsGone() throws Exception {
    RedisServerProcess.assumeAvailable();
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis client = RedisClients.create(server.uri());
        MicrometerMetrics metrics = MicrometerMetrics.bind(client, new SimpleMeterRegistry(),
            MicrometerOptions.builder().gaugeRefresh(Duration.ZERO)
                .gaugeTimeout(Duration.ofMillis(200)).build());
        DebounceTask<String> tasks = DebounceTask.create(client, "{slow}", String.class,
            DebounceOptions.builder().defaultDelay(Duration.ofHours(1)).build())) {
      tasks.addAll(List.of("a", "b", "c", "d"));
      Gauge pending = metrics.registry().find("redisext.debounce.pending").gauge();
      assertThat(pending.value()).isEqualTo(4);

      server.suspend(); // the server now answers nothing
      try {
        long t0 = System.nanoTime();
        double value = pending.value();
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(value).isEqualTo(4); // the last value read
        assertThat(waitedMs).isLessThan(2_000);
      } finally {
        server.resume();
      }
      server.kill();
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(pending.value()).isEqualTo(4);
      }
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5 * 2_000);
    }
  }
}
