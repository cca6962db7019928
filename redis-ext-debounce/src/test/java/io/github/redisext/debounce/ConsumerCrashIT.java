package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A consumer JVM killed with SIGKILL mid-handler: its task is delivered again, to another one. */
@RedisBackends
class ConsumerCrashIT {
  private static final String KEY = "{crash}";
  private static final Duration LEASE = Duration.ofSeconds(3);

  private final RedisBackend redis;

  ConsumerCrashIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void aTaskWhoseConsumerWasKilledMidHandlerIsDeliveredAgain() {
    DebounceOptions opts = DebounceOptions.builder().lease(LEASE).build();
    try (DebounceTask<String> tasks = DebounceTask.create(redis.client(), KEY, String.class, opts);
        ChildJvm child = ChildJvm.start(BlockingConsumerMain.class, redis.uri(), KEY,
            Long.toString(LEASE.toMillis()))) {
      child.awaitLine("STARTED"::equals, Duration.ofSeconds(30));
      tasks.add("job-1", Duration.ZERO);
      child.awaitLine("HANDLING job-1"::equals, Duration.ofSeconds(30));
      // the child holds it: not waiting any more, but leased
      DebounceInfo during = tasks.info();
      assertThat(during.remaining()).isZero();
      assertThat(during.processing()).isEqualTo(1);
      // the child renews its lease while the handler runs: the deadline moves past the first one
      double firstDeadline = redis.client().zscore(KEY + ":processing", "\"job-1\"");
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        Double d = redis.client().zscore(KEY + ":processing", "\"job-1\"");
        return d != null && d > firstDeadline + 1.0;
      });
      assertThat(tasks.info().processing()).isEqualTo(1);
      assertThat(tasks.pop(10)).isEmpty();

      child.kill();

      List<String> got = Collections.synchronizedList(new ArrayList<>());
      try (DebounceConsumer c = tasks.consume(got::add)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1);
        assertThat(got).containsExactly("job-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> c.handled() == 1);
      }
      assertThat(tasks.stats().recovered()).isEqualTo(1);
      DebounceInfo after = tasks.info();
      assertThat(after.processing()).isZero();
      assertThat(after.remaining()).isZero();
    }
  }
}
