package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The per-key wrong-type sweep (issue 11, item 2): for each key of a FastSet's key family, a value
 * of another type there (with members, versions and log entries in the other keys), each public
 * operation that touches Redis fails with a typed exception naming the key, changes nothing, and
 * once the key is fixed the operation works and every member is still there. Also the background
 * follower: a cache whose keys are broken serves its last good state (never wrong data), and
 * catches up with everything once they are fixed.
 */
@RedisBackends
class FastSetWrongTypeIT {
  private static final String KEY = "{fs}";
  private static final String SAVED = "{fs}:saved-by-test";
  private static final Duration LONG = Duration.ofHours(1);

  private final RedisBackend redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  FastSetWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** One key of the family, the wrong value put there, and the exception that must name it. */
  private enum Breakage {
    VALUE_IS_A_STRING("value", "string", "set"),
    VERSION_IS_A_HASH("version", "hash", "string"),
    LOG_IS_A_STRING("log", "string", "list"),
    EPOCH_IS_A_LIST("epoch", "list", "string"),
    /** Right type, but INCR would fail after the SADDs: must be refused before any write too. */
    VERSION_IS_NOT_AN_INTEGER("version", "not-an-integer", null);

    final String suffix;
    final String wrong;
    final String expected;

    Breakage(String suffix, String wrong, String expected) {
      this.suffix = suffix;
      this.wrong = wrong;
      this.expected = expected;
    }

    String key() {
      return KEY + ":" + suffix;
    }
  }

  /** An operation, and the members the set holds after it ran on {a, b, c}. */
  private record Op(String name, Consumer<FastSet<String>> run, Set<String> after) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Op> OPS = List.of(
      new Op("add", s -> s.add("d"), Set.of("a", "b", "c", "d")),
      new Op("remove", s -> s.remove("a"), Set.of("b", "c")),
      new Op("addAll", s -> s.addAll(List.of("d", "e")), Set.of("a", "b", "c", "d", "e")),
      new Op("removeAll", s -> s.removeAll(List.of("a", "b")), Set.of("c")),
      new Op("retainAll", s -> s.retainAll(List.of("a")), Set.of("a")),
      new Op("removeIf", s -> s.removeIf("b"::equals), Set.of("a", "c")),
      new Op("symmetricDifferenceUpdate", s -> s.symmetricDifferenceUpdate(List.of("a", "d")),
          Set.of("b", "c", "d")),
      new Op("clear", FastSet::clear, Set.of()),
      new Op("iterator.remove", s -> {
        Iterator<String> it = s.iterator();
        while (!it.next().equals("c")) {
          // walk to "c"
        }
        it.remove();
      }, Set.of("a", "b")),
      new Op("refresh", FastSet::refresh, Set.of("a", "b", "c")));

  static Stream<Arguments> everyKeyTimesEveryOperation() {
    List<Arguments> out = new ArrayList<>();
    for (Breakage b : Breakage.values()) {
      for (Op op : OPS) {
        out.add(Arguments.of(b, op));
      }
    }
    return out.stream();
  }

  private FastSet<String> open(FastSetOptions options) {
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    FastSet<String> s = FastSet.create(client, KEY, String.class, options);
    toClose.add(s);
    return s;
  }

  private static FastSetOptions noPush() {
    return FastSetOptions.builder().pushInvalidation(false).refreshInterval(LONG).build();
  }

  /** Every key of the family (and the test's backup key): type and content. */
  private Map<String, String> dump() {
    return KeyDump.of(redis.client(), List.of(KEY + ":value", KEY + ":version", KEY + ":log",
        KEY + ":epoch", SAVED));
  }


  /** Moves the real key aside (same slot) and puts the wrong value in its place. */
  private void breakKey(Breakage b) {
    UnifiedJedis c = redis.client();
    if (c.exists(b.key())) {
      c.rename(b.key(), SAVED);
    }
    switch (b.wrong) {
      case "string" -> c.set(b.key(), "oops");
      case "hash" -> c.hset(b.key(), "f", "oops");
      case "list" -> c.rpush(b.key(), "oops");
      case "not-an-integer" -> c.set(b.key(), "oops");
      default -> throw new IllegalArgumentException(b.wrong);
    }
  }

  private void fixKey(Breakage b) {
    UnifiedJedis c = redis.client();
    c.del(b.key());
    if (c.exists(SAVED)) {
      c.rename(SAVED, b.key());
    }
  }

  private static void assertNamesTheKey(Throwable e, Breakage b) {
    if (b.expected != null) {
      assertThat(e).isInstanceOf(WrongTypeException.class);
      WrongTypeException w = (WrongTypeException) e;
      assertThat(w.key()).isEqualTo(b.key());
      assertThat(w.expectedType()).isEqualTo(b.expected);
      assertThat(w.actualType()).isEqualTo(b.wrong);
      assertThat(w).hasMessageContaining("nothing was changed");
    } else {
      assertThat(e).isInstanceOf(RedisExtException.class)
          .hasMessageContaining(b.key()).hasMessageContaining("oops")
          .hasMessageContaining("nothing was changed");
    }
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("everyKeyTimesEveryOperation")
  void aKeyOfAnotherTypeFailsEveryOperationNamingItAndChangesNothing(Breakage b, Op op) {
    FastSet<String> set = open(noPush());
    set.add("a");
    set.add("b");
    set.add("c"); // version 3, three log entries, an epoch
    breakKey(b);
    Map<String, String> before = dump();

    assertThatThrownBy(() -> op.run().accept(set)).satisfies(e -> assertNamesTheKey(e, b));
    assertThat(dump()).isEqualTo(before);
    // the cache still holds the last good state
    assertThat(set).containsExactlyInAnyOrder("a", "b", "c");

    fixKey(b);
    op.run().accept(set);
    assertThat(set).isEqualTo(op.after());
    assertThat(redis.client().smembers(KEY + ":value"))
        .isEqualTo(op.after().stream().map(m -> "\"" + m + "\"")
            .collect(java.util.stream.Collectors.toSet()));
    FastSet<String> fresh = open(noPush());
    assertThat(fresh).isEqualTo(op.after());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void openingASetWithAKeyOfAnotherTypeFailsNamingItAndChangesNothing(Breakage b) {
    FastSet<String> set = open(noPush());
    set.addAll(List.of("a", "b", "c"));
    if (b == Breakage.EPOCH_IS_A_LIST || b == Breakage.VERSION_IS_A_HASH
        || b == Breakage.VERSION_IS_NOT_AN_INTEGER) {
      // and a set never opened by Java (no epoch yet): the failed open must not create one first
      redis.client().del(KEY + ":epoch");
    }
    breakKey(b);
    Map<String, String> before = dump();

    assertThatThrownBy(() -> FastSet.create(redis.client(), KEY, String.class, noPush()))
        .satisfies(e -> assertNamesTheKey(e, b));
    assertThat(dump()).isEqualTo(before);

    fixKey(b);
    assertThat(open(noPush())).containsExactlyInAnyOrder("a", "b", "c");
  }

  static Stream<Breakage> breakages() {
    return Stream.of(Breakage.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void aFollowerWhoseKeysAreBrokenServesItsLastGoodStateAndCatchesUpOnceFixed(Breakage b) {
    FastSetOptions follow = FastSetOptions.builder().refreshInterval(Duration.ofMillis(50))
        .build();
    FastSet<String> writer = open(FastSetOptions.builder().refreshInterval(LONG).build());
    FastSet<String> follower = open(follow);
    writer.addAll(List.of("a", "b", "c"));
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.size() == 3);
    // a writer that does not log or publish (the Python FastSet): only a reload finds "py"
    redis.client().eval("redis.call('SADD', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[2])",
        List.of(KEY + ":value", KEY + ":version"), List.of("\"py\""));
    String epoch = redis.client().get(KEY + ":epoch");
    breakKey(b);
    // news the follower cannot apply without reading Redis: it must re-validate, and that fails
    long checksBefore = follower.stats().failedChecks();
    redis.client().publish(KEY + ":changed", "99 " + epoch + "\n!");
    // reads re-validate when due (every 50 ms): the checks fail, are logged and counted
    await().atMost(Duration.ofSeconds(10))
        .until(() -> readAndCountFailedChecks(follower) > checksBefore);
    // never wrong data: the last good state (without "py", which it could not read yet)
    for (int i = 0; i < 5; i++) {
      assertThat(follower).containsExactlyInAnyOrder("a", "b", "c");
    }
    assertThatThrownBy(() -> writer.add("d")).satisfies(e -> assertNamesTheKey(e, b));

    fixKey(b);
    writer.add("d");
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(follower).containsExactlyInAnyOrder("a", "b", "c", "py",
            "d"));
    assertThat(writer).containsExactlyInAnyOrder("a", "b", "c", "py", "d");
  }

  /** Reads (which re-validate when due, never throwing for a failed check): failed checks. */
  private static long readAndCountFailedChecks(FastSet<String> s) {
    s.size();
    return s.stats().failedChecks();
  }

  @Test
  void theScriptsCheckEveryKeyBeforeTheirFirstWrite() {
    // the unconditional path of change.lua used to SADD before the INCR that failed on a version
    // holding no integer: the member stayed without a version bump, unseen by every cache
    FastSet<String> set = open(noPush());
    set.add("a");
    redis.client().set(KEY + ":version", "oops");
    assertThatThrownBy(() -> set.addAll(List.of("x", "y")))
        .satisfies(e -> assertNamesTheKey(e, Breakage.VERSION_IS_NOT_AN_INTEGER));
    assertThat(redis.client().smembers(KEY + ":value")).containsExactly("\"a\"");
    assertThat(redis.client().llen(KEY + ":log")).isEqualTo(1);
    assertThat(set).containsExactly("a");
  }
}
