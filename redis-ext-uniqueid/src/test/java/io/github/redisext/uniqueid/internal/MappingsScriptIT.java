package io.github.redisext.uniqueid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The mapping scripts take any number of keys in one call (issue 11, item 1): their MGET, EXISTS
 * and DEL run in chunks, so no call unpacks an unbounded table (Lua fails at about 8,000 values
 * with "too many results to unpack"). {@code UniqueId} sends at most 1,000 names per call; this
 * calls the scripts directly with 10,000.
 */
@RedisBackends
class MappingsScriptIT {
  private static final int N = 10_000;

  private final RedisBackend redis;

  MappingsScriptIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void oneScriptCallHandlesTenThousandNames() {
    Mappings m = new Mappings(redis.client(), "{m}", KeySpace.forName("{m}", redis.client()),
        3_600_000, false, new Counters(Metrics.of(MetricsListener.NONE,
            MetricSource.of("uniqueid", "{m}"))));
    List<String> names = IntStream.range(0, N).mapToObj(i -> "n" + i).toList();

    // none of them exists: MGET reads them, EXISTS checks the absent ones, then INCRBY + SETs
    long[] created = m.getOrCreate(names);
    assertThat(created).containsExactly(LongStream.rangeClosed(1, N).toArray());
    // all of them exist: MGET only
    assertThat(m.getOrCreate(names)).containsExactly(created);
    Long[] found = m.find(names);
    assertThat(Arrays.stream(found).mapToLong(Long::longValue).toArray()).containsExactly(created);
    assertThat(m.remove(names)).isEqualTo(N);
    assertThat(m.find(names)).containsOnlyNulls();
  }
}
