package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bulk calls at the largest size the issue asks for (issue 11, item 1): 100,000 names per
 * call; ids unique and dense 1..N in the order of the input, nothing lost.
 */
@RedisBackends
class UniqueIdBulkIT {
  private final RedisBackend redis;

  UniqueIdBulkIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** 100,000; 20,000 on jedis-mock, whose Lua (luaj) is slow. */
  private int size() {
    return redis.kind() == BackendKind.MOCK ? 20_000 : 100_000;
  }

  private static List<String> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "name-" + i).toList();
  }

  @Test
  void getOrCreateAllOfTheLargestSizeGivesDenseUniqueIdsInInputOrder() {
    int n = size();
    UniqueId ids = UniqueId.create(redis.client(), "{big}");

    Map<String, Long> first = ids.getOrCreateAll(names(0, n));
    assertThat(first).hasSize(n);
    List<String> order = new ArrayList<>(first.keySet());
    assertThat(order).isEqualTo(names(0, n));
    for (int i = 0; i < n; i++) {
      assertThat(first.get("name-" + i)).isEqualTo(i + 1L);
    }
    assertThat(redis.client().get("{big}:auto")).isEqualTo(Integer.toString(n));

    // half known, half new, with duplicates: the known keep their ids, the new continue densely
    List<String> mixed = new ArrayList<>(names(n / 2, n + n / 2));
    mixed.addAll(names(n / 2, n));
    Map<String, Long> second = ids.getOrCreateAll(mixed);
    assertThat(second).hasSize(n);
    for (int i = n / 2; i < n + n / 2; i++) {
      assertThat(second.get("name-" + i)).isEqualTo(i + 1L);
    }
    assertThat(redis.client().get("{big}:auto")).isEqualTo(Integer.toString(n + n / 2));

    Map<String, Long> found = ids.findAll(names(0, 2 * n));
    assertThat(found).hasSize(n + n / 2);
    assertThat(found.get("name-0")).isEqualTo(1L);
    assertThat(found.get("name-" + (n + n / 2 - 1))).isEqualTo((long) n + n / 2);

    assertThat(ids.removeAll(names(0, 2 * n))).isEqualTo(n + n / 2);
    assertThat(ids.findAll(names(0, 2 * n))).isEmpty();
    // removed names get new ids after the old ones: none reused
    assertThat(ids.getOrCreate("name-0")).isEqualTo(n + n / 2 + 1L);
  }
}
