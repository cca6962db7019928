package io.github.redisext.debounce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * claim.lua at the largest count (issue 11, item 1): 10,000 tasks leased in one call (its ZADD
 * and HSET of 10,000 pairs are chunked), and every one of them comes back exactly once after its
 * lease ran out.
 */
@RedisBackends
class ClaimBulkIT {
  private static final String KEY = "{claim-bulk}";

  private final RedisBackend redis;

  ClaimBulkIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void aClaimOfTheLargestCountLeasesEveryTaskAndEachComesBackExactlyOnceAfterItsLease() {
    DebounceOptions options = DebounceOptions.builder().lease(io.github.redisext.core.consumer.ConsumerOptions.MIN_LEASE)
        .maxAttempts(10).build();
    try (Engine<Object> engine = new Engine<>(redis.client(), Keys.of(redis.client(), KEY),
        JsonCodec.of(Object.class), options)) {
      int n = DebounceTask.MAX_COUNT;
      List<String> members = IntStream.range(0, n).mapToObj(i -> "\"t" + i + "\"")
          .collect(Collectors.toList());
      assertThat(engine.add(members, Duration.ZERO)).isEqualTo(n);

      List<String> claimed = engine.claim(n, "consumer-that-dies:1", options.consumer().lease()).reply().members();
      assertThat(claimed).hasSize(n);
      assertThat(new HashSet<>(claimed)).hasSize(n);
      assertThat(redis.client().zcard(KEY + ":processing")).isEqualTo(n);
      assertThat(redis.client().hlen(KEY + ":leases")).isEqualTo(n);
      assertThat(redis.client().zcard(KEY)).isZero();

      // the consumer never acks: after the lease every task is delivered again, exactly once
      List<String> again = new ArrayList<>();
      await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(60)).until(() -> {
        again.addAll(engine.pop(n).members());
        return again.size() >= n;
      });
      assertThat(again).hasSize(n);
      assertThat(new HashSet<>(again)).isEqualTo(new HashSet<>(members));
      assertThat(engine.commands().info().processing()).isZero();
      assertThat(redis.client().exists(KEY + ":leases")).isFalse();
    }
  }
}
