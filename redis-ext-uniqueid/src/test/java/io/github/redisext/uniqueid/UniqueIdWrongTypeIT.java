package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The per-key wrong-type sweep (issue 11, item 2): for each key of a UniqueId's key family (the
 * names' counter, a name's mapping, the sequence counter) holding another type, with mappings and
 * counters in place, each public operation that needs that key fails with a WrongTypeException
 * naming it and changes nothing; operations that do not need it work and leave it alone; once the
 * key is fixed the operation works, and every mapping is still there with its id.
 */
@RedisBackends
class UniqueIdWrongTypeIT {
  private static final String KLASS = "{u}";
  private static final String SAVED = "{u}:saved-by-test";
  private static final List<String> ALL_KEYS = List.of(KLASS + ":auto", KLASS + ":id:alice",
      KLASS + ":id:bob", KLASS + ":id:carol", KLASS + ":id:dave", KLASS + ":seq", SAVED);

  private final RedisBackend redis;

  UniqueIdWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  /** The role of a key in the family. */
  private enum Role {
    COUNTER(KLASS + ":auto"),
    MAPPING_OF_BOB(KLASS + ":id:bob"),
    SEQUENCE(KLASS + ":seq");

    final String key;

    Role(String key) {
      this.key = key;
    }
  }

  /** A wrong type to put at a key. */
  private enum Wrong {
    HASH, LIST, SET
  }

  /**
   * An operation, the keys it needs (a wrong type there must fail it), and whether it removes bob
   * or creates dave.
   */
  private record Op(String name, Set<Role> needs, Function<UniqueId, Object> run, boolean removesBob,
      boolean createsDave) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Op> OPS = List.of(
      // bob has an id: no new id is needed, so a broken counter does not stop the lookup
      new Op("getOrCreate(existing)", Set.of(Role.MAPPING_OF_BOB), u -> u.getOrCreate("bob"),
          false, false),
      new Op("getOrCreate(new)", Set.of(Role.COUNTER), u -> u.getOrCreate("dave"), false, true),
      new Op("getOrCreateAll", Set.of(Role.COUNTER, Role.MAPPING_OF_BOB),
          u -> u.getOrCreateAll(List.of("alice", "bob", "dave")), false, true),
      new Op("find", Set.of(Role.MAPPING_OF_BOB), u -> u.find("bob"), false, false),
      new Op("findAll", Set.of(Role.MAPPING_OF_BOB),
          u -> u.findAll(List.of("alice", "bob", "dave")), false, false),
      new Op("remove", Set.of(Role.MAPPING_OF_BOB), u -> u.remove("bob"), true, false),
      new Op("removeAll", Set.of(Role.MAPPING_OF_BOB), u -> u.removeAll(List.of("bob", "dave")),
          true, false),
      new Op("next()", Set.of(Role.SEQUENCE), UniqueId::next, false, false),
      new Op("next(5)", Set.of(Role.SEQUENCE), u -> u.next(5), false, false));

  static Stream<Arguments> everyKeyTimesEveryOperation() {
    List<Arguments> out = new ArrayList<>();
    for (Role r : Role.values()) {
      for (Wrong w : Wrong.values()) {
        for (Op op : OPS) {
          out.add(Arguments.of(r, w, op));
        }
      }
    }
    return out.stream();
  }

  private Map<String, String> dump() {
    return KeyDump.of(redis.client(), ALL_KEYS);
  }


  private void breakKey(Role r, Wrong w) {
    UnifiedJedis c = redis.client();
    if (c.exists(r.key)) {
      c.rename(r.key, SAVED);
    }
    switch (w) {
      case HASH -> c.hset(r.key, "f", "oops");
      case LIST -> c.rpush(r.key, "oops");
      case SET -> c.sadd(r.key, "oops");
      default -> throw new IllegalArgumentException(w.name());
    }
  }

  private void fixKey(Role r) {
    UnifiedJedis c = redis.client();
    c.del(r.key);
    if (c.exists(SAVED)) {
      c.rename(SAVED, r.key);
    }
  }

  @ParameterizedTest(name = "{0} is a {1} / {2}")
  @MethodSource("everyKeyTimesEveryOperation")
  void aKeyOfAnotherTypeFailsEveryOperationThatNeedsItNamingItAndChangesNothing(Role r, Wrong w,
      Op op) {
    UniqueId ids = UniqueId.create(redis.client(), KLASS);
    assertThat(ids.getOrCreateAll(List.of("alice", "bob", "carol")))
        .containsExactly(Map.entry("alice", 1L), Map.entry("bob", 2L), Map.entry("carol", 3L));
    ids.next(3);
    breakKey(r, w);
    Map<String, String> before = dump();
    String brokenBefore = before.get(r.key);

    if (op.needs().contains(r)) {
      assertThatThrownBy(() -> op.run().apply(ids)).isInstanceOf(WrongTypeException.class)
          .hasMessageContaining("nothing was changed")
          .satisfies(e -> {
            WrongTypeException x = (WrongTypeException) e;
            assertThat(x.key()).isEqualTo(r.key);
            assertThat(x.expectedType()).isEqualTo("string");
            assertThat(x.actualType()).isEqualTo(w.name().toLowerCase(java.util.Locale.ROOT));
          });
      assertThat(dump()).isEqualTo(before);
      fixKey(r);
    } else {
      op.run().apply(ids); // works without the broken key, and leaves it alone
      assertThat(dump().get(r.key)).isEqualTo(brokenBefore);
      fixKey(r);
    }
    op.run().apply(ids);

    // every mapping is still there with its id; new ids continue densely after them
    assertThat(ids.find("alice")).hasValue(1);
    assertThat(ids.find("carol")).hasValue(3);
    if (op.removesBob()) {
      assertThat(ids.find("bob")).isEmpty();
    } else {
      assertThat(ids.find("bob")).hasValue(2);
    }
    if (op.createsDave()) {
      assertThat(ids.find("dave")).hasValue(4);
    }
    assertThat(ids.getOrCreate("erin")).isEqualTo(op.createsDave() ? 5 : 4);
    assertThat(ids.next()).isGreaterThan(3);
  }

  @Test
  void concurrentCallersOfOtherNamesAreNotFailedByOneMappingOfAnotherType() throws Exception {
    UniqueId ids = UniqueId.create(redis.client(), KLASS);
    ids.getOrCreateAll(List.of("alice", "bob", "carol"));
    breakKey(Role.MAPPING_OF_BOB, Wrong.HASH);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> good = new ArrayList<>();
      List<Future<Long>> bad = new ArrayList<>();
      Set<String> goodNames = new TreeSet<>();
      for (int i = 0; i < 200; i++) {
        String name = i % 4 == 0 ? "bob" : "n" + (i % 60);
        if (name.equals("bob")) {
          bad.add(pool.submit(() -> ids.getOrCreate(name)));
        } else {
          goodNames.add(name);
          good.add(pool.submit(() -> ids.getOrCreate(name)));
        }
      }
      Set<Long> distinct = new TreeSet<>();
      for (Future<Long> f : good) {
        distinct.add(f.get());
      }
      for (Future<Long> f : bad) {
        assertThatThrownBy(f::get).hasCauseInstanceOf(WrongTypeException.class);
      }
      // the other names got the ids after carol's, one each, densely
      int n = goodNames.size();
      assertThat(distinct).hasSize(n).allMatch(id -> id > 3 && id <= 3 + n);
    } finally {
      pool.shutdownNow();
    }
    assertThat(redis.client().type(Role.MAPPING_OF_BOB.key)).isEqualTo("hash");
    fixKey(Role.MAPPING_OF_BOB);
    assertThat(ids.getOrCreate("bob")).isEqualTo(2);
  }
}
