package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The bulk writes at the largest sizes the issue asks for (issue 11, item 1): one script each,
 * with 100,000 members; nothing lost, each one version step, and a peer follows exactly.
 */
@RedisBackends
class FastSetBulkIT {
  private static final String KEY = "{fs}";

  private final RedisBackend redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  FastSetBulkIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FastSet<String> open() {
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    FastSet<String> s = FastSet.create(client, KEY, String.class,
        FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build());
    toClose.add(s);
    return s;
  }

  /** 100,000; 20,000 on jedis-mock, whose Lua (luaj) is slow. */
  private int size() {
    return redis.kind() == BackendKind.MOCK ? 20_000 : 100_000;
  }

  private static List<String> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "member-" + i).toList();
  }

  private long remoteVersion() {
    return Long.parseLong(redis.client().get(KEY + ":version"));
  }

  @Test
  void addAllRemoveAllAndRetainAllOfTheLargestSizesLoseNothing() {
    int n = size();
    FastSet<String> set = open();
    FastSet<String> peer = open();

    assertThat(set.addAll(names(0, n))).isTrue();
    assertThat(redis.client().scard(KEY + ":value")).isEqualTo(n);
    assertThat(remoteVersion()).isEqualTo(1);
    assertThat(set).hasSize(n);
    // Set.containsAll (AssertJ's containsAll scans the whole set for each element)
    assertThat(set.containsAll(names(0, n))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> peer.size() == n);
    assertThat(peer).isEqualTo(set);

    // half of them again plus n new ones: only the new ones count
    assertThat(set.addAll(names(n / 2, 2 * n))).isTrue();
    assertThat(redis.client().scard(KEY + ":value")).isEqualTo(2L * n);
    assertThat(remoteVersion()).isEqualTo(2);

    assertThat(set.removeAll(names(0, n))).isTrue();
    assertThat(set).hasSize(n);
    assertThat(set.containsAll(names(n, 2 * n))).isTrue();
    assertThat(set.contains("member-0")).isFalse();
    assertThat(redis.client().scard(KEY + ":value")).isEqualTo(n);
    assertThat(remoteVersion()).isEqualTo(3);

    // keep every other member of n (removes n / 2 in one conditional script)
    Set<String> keep = new HashSet<>(names(n, 2 * n).stream()
        .filter(m -> Integer.parseInt(m.substring(7)) % 2 == 0).collect(Collectors.toSet()));
    assertThat(set.retainAll(keep)).isTrue();
    assertThat(set).isEqualTo(keep);
    assertThat(remoteVersion()).isEqualTo(4);
    assertThat(redis.client().smembers(KEY + ":value"))
        .isEqualTo(keep.stream().map(m -> "\"" + m + "\"").collect(Collectors.toSet()));

    await().atMost(Duration.ofSeconds(30)).until(() -> peer.version() == 4);
    assertThat(peer).isEqualTo(keep);
    assertThat(open()).isEqualTo(keep);
  }

  @Test
  void aSymmetricDifferenceOfTheLargestSizeIsOneScript() {
    int n = size();
    FastSet<String> set = open();
    set.addAll(names(0, n));
    assertThat(set.symmetricDifferenceUpdate(names(n / 2, n + n / 2))).isTrue();
    assertThat(set).hasSize(n);
    assertThat(set.containsAll(names(0, n / 2))).isTrue();
    assertThat(set.containsAll(names(n, n + n / 2))).isTrue();
    assertThat(remoteVersion()).isEqualTo(2);
    assertThat(open()).isEqualTo(set);
  }
}
