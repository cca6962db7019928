package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Extreme arguments (issue 11, item 6): every public method and option of UniqueId refuses an
 * out-of-range value at once with an IllegalArgumentException naming the parameter and the allowed
 * range, before anything reaches Redis; both ends of every range work.
 */
@RedisBackends
class UniqueIdArgumentsIT {
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  private final RedisBackend redis;

  UniqueIdArgumentsIT(RedisBackend redis) {
    this.redis = redis;
  }

  private record Case(String parameter, String range, Runnable call) {}

  @Test
  void outOfRangeArgumentsAreRefusedAtOnceNamingTheParameterAndTheRange() {
    UniqueId ids = UniqueId.create(redis.client(), "{args}",
        UniqueIdOptions.builder().sequenceBlockSize(10).build());
    UniqueIdOptions.Builder b = UniqueIdOptions.builder();
    String counts = "between 1 and 1000000";
    String timeouts = "between PT0.001S and PT876000H";
    String blocks = "between 1 and 100000000";
    List<Case> cases = List.of(
        // was OutOfMemoryError (a long[Integer.MAX_VALUE])
        new Case("count", counts, () -> ids.next(Integer.MAX_VALUE)),
        new Case("count", counts, () -> ids.next(UniqueId.MAX_NEXT_COUNT + 1)),
        new Case("count", counts, () -> ids.next(0)),
        new Case("count", counts, () -> ids.next(-1)),
        new Case("count", counts, () -> ids.next(Integer.MIN_VALUE)),
        // was ArithmeticException (long overflow in toNanos)
        new Case("timeout", timeouts, () -> b.timeout(HUGE)),
        new Case("timeout", timeouts, () -> b.timeout(UniqueIdOptions.MAX_TIMEOUT.plusMillis(1))),
        new Case("timeout", timeouts, () -> b.timeout(Duration.ZERO)),
        new Case("timeout", timeouts, () -> b.timeout(Duration.ofNanos(999_999))),
        new Case("timeout", timeouts, () -> b.timeout(Duration.ofSeconds(Long.MIN_VALUE))),
        new Case("sequenceBlockSize", blocks, () -> b.sequenceBlockSize(0)),
        new Case("sequenceBlockSize", blocks, () -> b.sequenceBlockSize(-1)),
        new Case("sequenceBlockSize", blocks,
            () -> b.sequenceBlockSize(UniqueIdOptions.MAX_SEQUENCE_BLOCK_SIZE + 1)),
        new Case("sequenceBlockSize", blocks, () -> b.sequenceBlockSize(Integer.MAX_VALUE)));
    for (Case c : cases) {
      assertThatThrownBy(c.call()::run).as(c.parameter() + " " + c.range())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.parameter()).hasMessageContaining(c.range());
    }
    // nothing reached Redis
    assertThat(redis.client().exists("{args}:seq")).isFalse();
    assertThatThrownBy(() -> b.timeout(Duration.ofMillis(1).plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout")
        .hasMessageContaining("whole number");
  }

  @Test
  void bothEndsOfEveryRangeWork() {
    UniqueId ids = UniqueId.create(redis.client(), "{args}", UniqueIdOptions.builder()
        .timeout(UniqueIdOptions.MAX_TIMEOUT)
        .sequenceBlockSize(UniqueIdOptions.MAX_SEQUENCE_BLOCK_SIZE).build());
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(redis.client().pttl("{args}:id:a"))
        .isGreaterThan(UniqueIdOptions.MAX_TIMEOUT.toMillis() - 60_000);
    assertThat(ids.next()).isEqualTo(1);
    assertThat(ids.next(1)).containsExactly(2);
    long[] many = ids.next(UniqueId.MAX_NEXT_COUNT);
    assertThat(many).hasSize(UniqueId.MAX_NEXT_COUNT);
    assertThat(many[many.length - 1] - many[0]).isEqualTo(UniqueId.MAX_NEXT_COUNT - 1);

    UniqueId shortLived = UniqueId.create(redis.client(), "{args2}",
        UniqueIdOptions.builder().timeout(Duration.ofMillis(1)).sequenceBlockSize(1).build());
    assertThat(shortLived.next(UniqueId.MAX_NEXT_COUNT)).hasSize(UniqueId.MAX_NEXT_COUNT);
  }
}
