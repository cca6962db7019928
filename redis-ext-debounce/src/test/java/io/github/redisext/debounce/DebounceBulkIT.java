package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The largest sizes of every bulk API (issue 11, item 1): no script passes more arguments to one
 * command than Lua can unpack (about 8,000), and every task is delivered exactly once, none lost.
 */
@RedisBackends
class DebounceBulkIT {
  private static final String KEY = "{bulk}";

  private final RedisBackend redis;
  private final List<DebounceTask<?>> opened = new ArrayList<>();
  /** 100,000; jedis-mock's Lua (luaj) is slow, so 20,000 there. */
  private final int big;

  DebounceBulkIT(RedisBackend redis) {
    this.redis = redis;
    this.big = redis.kind() == BackendKind.MOCK ? 20_000 : 100_000;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(DebounceTask::close);
  }

  private DebounceTask<Object> open(DebounceOptions options) {
    DebounceTask<Object> t = DebounceTask.create(redis.client(), KEY, Object.class, options);
    opened.add(t);
    return t;
  }

  private static final DebounceOptions DEBOUNCE_MAX_WAIT = DebounceOptions.builder()
      .duplicatePolicy(DuplicatePolicy.DEBOUNCE).maxWait(Duration.ofHours(1)).build();

  private static List<Object> ids(int n) {
    return IntStream.range(0, n).mapToObj(i -> (Object) ("t" + i)).collect(Collectors.toList());
  }

  /** Pops with the largest count until nothing is due; returns everything popped. */
  private static List<Object> drain(DebounceTask<Object> tasks) {
    List<Object> all = new ArrayList<>();
    while (true) {
      List<Object> got = tasks.pop(DebounceTask.MAX_COUNT);
      if (got.isEmpty()) {
        return all;
      }
      assertThat(got.size()).isLessThanOrEqualTo(DebounceTask.MAX_COUNT);
      all.addAll(got);
    }
  }

  private static void assertExactlyOnce(List<Object> got, List<Object> expected) {
    assertThat(got).hasSize(expected.size());
    assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(expected));
  }

  @Test
  void addAllOfTheLargestSizeKeepFirstIsPoppedExactlyOnce() {
    DebounceTask<Object> tasks = open(DebounceOptions.defaults());
    List<Object> ids = ids(big);
    assertThat(tasks.addAll(ids, Duration.ZERO)).isEqualTo(big);
    assertThat(tasks.addAll(ids, Duration.ZERO)).isZero();
    assertThat(tasks.pendingCount()).isEqualTo(big);
    assertExactlyOnce(drain(tasks), ids);
    assertThat(tasks.info()).isEqualTo(new DebounceInfo(0, 0, 0, 0));
  }

  @Test
  void addAllOfTheLargestSizeDebounceIsPoppedExactlyOnce() {
    DebounceTask<Object> tasks = open(DebounceOptions.builder()
        .duplicatePolicy(DuplicatePolicy.DEBOUNCE).build());
    List<Object> ids = ids(big);
    assertThat(tasks.addAll(ids, Duration.ZERO)).isEqualTo(big);
    assertThat(tasks.addAll(ids, Duration.ZERO)).isZero();
    assertExactlyOnce(drain(tasks), ids);
  }

  @Test
  void removeAllOfTheLargestSizeRemovesEveryTaskWithItsFirstAddTimeAndAttemptCount() {
    // DEBOUNCE + maxWait adds member by member: 10,000 on jedis-mock (slow Lua), still > 8,000
    int n = redis.kind() == BackendKind.MOCK ? 10_000 : big;
    DebounceTask<Object> tasks = open(DEBOUNCE_MAX_WAIT);
    List<Object> ids = ids(n);
    assertThat(tasks.addAll(ids, Duration.ofHours(1))).isEqualTo(n);
    setAttempts(ids);
    assertThat(tasks.removeAll(ids)).isEqualTo(n);
    assertThat(tasks.pendingCount()).isZero();
    assertThat(redis.client().exists(KEY + ":first")).isFalse();
    assertThat(redis.client().exists(KEY + ":attempts")).isFalse();
  }

  @Test
  void aPopOfTheLargestCountClearsTheFirstAddTimesAndAttemptCountsOfEveryTask() {
    DebounceTask<Object> tasks = open(DEBOUNCE_MAX_WAIT);
    List<Object> ids = ids(DebounceTask.MAX_COUNT);
    tasks.addAll(ids, Duration.ZERO);
    setAttempts(ids);
    // one pop of 10,000: the HDELs of 10,000 fields are chunked
    assertExactlyOnce(tasks.pop(DebounceTask.MAX_COUNT), ids);
    assertThat(redis.client().exists(KEY + ":first")).isFalse();
    assertThat(redis.client().exists(KEY + ":attempts")).isFalse();
  }

  /** requeue_dead.lua names one member per command: 10,000 on jedis-mock (slow Lua) is enough. */
  private int manyDead() {
    return redis.kind() == BackendKind.MOCK ? 10_000 : big;
  }

  @Test
  void requeueAllOfManyDeadLettersDeliversEachExactlyOnce() {
    DebounceTask<Object> tasks = open(DebounceOptions.defaults());
    int big = manyDead();
    List<Object> ids = ids(big);
    setDeadLetters(ids);
    List<DeadLetter> dead = tasks.deadLetters(DebounceTask.MAX_DEAD_LETTERS_PER_CALL);
    assertThat(dead).hasSize(big);
    assertThat(tasks.requeue(dead)).isEqualTo(big);
    assertThat(tasks.requeue(dead)).isZero();
    assertThat(tasks.info()).isEqualTo(new DebounceInfo(big, big, 0, 0));
    assertExactlyOnce(drain(tasks), ids);
  }

  @Test
  void requeueDeadLettersOfManyDeliversEachExactlyOnce() {
    DebounceTask<Object> tasks = open(DebounceOptions.defaults());
    int big = manyDead();
    List<Object> ids = ids(big);
    setDeadLetters(ids);
    assertThat(tasks.requeueAllDeadLetters()).isEqualTo(big);
    assertThat(redis.client().exists(KEY + ":dead-info")).isFalse();
    assertExactlyOnce(drain(tasks), ids);
  }

  private void setAttempts(List<Object> ids) {
    hsetChunked(KEY + ":attempts", ids, i -> "1");
  }

  private void setDeadLetters(List<Object> ids) {
    hsetChunked(KEY + ":dead", ids, i -> "java.lang.IllegalStateException: boom " + i);
    hsetChunked(KEY + ":dead-info", ids, i -> "5 1700000000.000000");
  }

  private void hsetChunked(String key, List<Object> ids, java.util.function.IntFunction<String> v) {
    UnifiedJedis c = redis.client();
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      m.put("\"" + ids.get(i) + "\"", v.apply(i));
      if (m.size() == 5_000 || i == ids.size() - 1) {
        c.hset(key, m);
        m.clear();
      }
    }
  }
}
