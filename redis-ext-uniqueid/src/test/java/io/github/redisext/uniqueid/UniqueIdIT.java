package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@RedisBackends
class UniqueIdIT {
  private final RedisBackend redis;

  UniqueIdIT(RedisBackend redis) {
    this.redis = redis;
  }

  private UnifiedJedis second;

  /** A second client, as another process would have. */
  private UnifiedJedis second() {
    if (second == null) {
      second = redis.newClient();
    }
    return second;
  }

  @AfterEach
  void closeSecondClient() {
    if (second != null) {
      second.close();
    }
  }

  private UniqueId users() {
    return UniqueId.create(redis.client(), "{users}");
  }

  // --- the Python original's scenarios ---

  @Test
  void givesEachNewNameTheNextIdAndTheSameIdAgainLater() {
    UniqueId ids = users();
    assertThat(ids.getOrCreate("alice")).isEqualTo(1);
    assertThat(ids.getOrCreate("bob")).isEqualTo(2);
    assertThat(ids.getOrCreate("carol")).isEqualTo(3);
    assertThat(ids.getOrCreate("alice")).isEqualTo(1);
    assertThat(ids.getOrCreate("bob")).isEqualTo(2);
    assertThat(UniqueId.create(second(), "{users}").getOrCreate("carol")).isEqualTo(3);
    assertThat(ids.stats()).isEqualTo(new UniqueIdStats(3, 2, 0, 5, 0, 0));
  }

  @Test
  void namespacesAreIsolated() {
    UniqueId a = UniqueId.create(redis.client(), "{a}");
    UniqueId b = UniqueId.create(redis.client(), "{b}");
    assertThat(a.getOrCreate("x")).isEqualTo(1);
    assertThat(a.getOrCreate("y")).isEqualTo(2);
    assertThat(b.getOrCreate("y")).isEqualTo(1);
    assertThat(b.getOrCreate("x")).isEqualTo(2);
    assertThat(a.getOrCreate("x")).isEqualTo(1);
    assertThat(b.find("z")).isEmpty();
    a.remove("x");
    assertThat(b.find("x")).hasValue(2);
  }

  @Test
  void honoursAnIdWrittenIntoTheMappingBySomeoneElse() {
    UnifiedJedis c = redis.client();
    // what a Python process leaves behind: counter 41, "bob" -> 7
    c.set("{users}:auto", "41");
    c.setex("{users}:id:bob", 3600, "7");
    UniqueId ids = users();
    assertThat(ids.getOrCreate("bob")).isEqualTo(7);
    assertThat(ids.find("bob")).hasValue(7);
    assertThat(ids.getOrCreate("alice")).isEqualTo(42);
    assertThat(c.get("{users}:auto")).isEqualTo("42");
    // a mapping without expiry (someone SET it plainly) is honoured and left without one
    c.set("{users}:id:eve", "0099");
    assertThat(ids.getOrCreate("eve")).isEqualTo(99);
    assertThat(c.ttl("{users}:id:eve")).isEqualTo(-1);
  }

  @Test
  void writesThePythonKeyLayout() {
    UniqueId ids = users();
    assertThat(ids.getOrCreate("alice")).isEqualTo(1);
    UnifiedJedis c = redis.client();
    assertThat(c.get("{users}:auto")).isEqualTo("1");
    assertThat(c.ttl("{users}:auto")).isEqualTo(-1);
    assertThat(c.get("{users}:id:alice")).isEqualTo("1");
    assertThat(c.ttl("{users}:id:alice")).isBetween(3590L, 3600L);
    assertThat(c.type("{users}:id:alice")).isEqualTo("string");
    assertThat(ids.counterKey()).isEqualTo("{users}:auto");
    assertThat(ids.mappingKey("alice")).isEqualTo("{users}:id:alice");
    assertThat(ids.sequenceKey()).isEqualTo("{users}:seq");
    // ids of 15+ digits are written as plain decimals, not in Lua's %.14g form
    c.set("{users}:auto", "123456789012344");
    assertThat(ids.getOrCreate("big")).isEqualTo(123456789012345L);
    assertThat(c.get("{users}:id:big")).isEqualTo("123456789012345");
    // whatever the counter holds is continued, even a negative number someone wrote
    c.set("{users}:auto", "-11");
    assertThat(ids.getOrCreateAll(List.of("n1", "n2"))).containsExactly(Map.entry("n1", -10L),
        Map.entry("n2", -9L));
    assertThat(c.get("{users}:id:n1")).isEqualTo("-10");
  }

  @Test
  void anExpiredMappingGivesTheNameANewLargerId() {
    UniqueId ids = UniqueId.create(redis.client(), "{short}",
        UniqueIdOptions.builder().timeout(Duration.ofMillis(300)).build());
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(ids.getOrCreate("b")).isEqualTo(2);
    assertThat(redis.client().pttl("{short}:id:a")).isBetween(1L, 300L);
    await().atMost(Duration.ofSeconds(10)).until(() -> ids.find("a").isEmpty());
    assertThat(ids.getOrCreate("a")).isEqualTo(3);
    assertThat(ids.getOrCreate("a")).isEqualTo(3);
  }

  // --- refresh on read ---

  @Test
  void readsDoNotExtendAMappingsLifeByDefault() {
    UniqueId ids = users();
    ids.getOrCreate("a");
    redis.client().pexpire("{users}:id:a", 100_000);
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(ids.find("a")).hasValue(1);
    assertThat(ids.findAll(List.of("a"))).containsEntry("a", 1L);
    assertThat(redis.client().pttl("{users}:id:a")).isBetween(1L, 100_000L);
  }

  @Test
  void withRefreshOnReadEveryLookupResetsTheTimeout() {
    UniqueId ids = UniqueId.create(redis.client(), "{users}",
        UniqueIdOptions.builder().refreshOnRead(true).build());
    ids.getOrCreate("a");
    ids.getOrCreate("b");
    redis.client().pexpire("{users}:id:a", 100_000);
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(redis.client().pttl("{users}:id:a")).isGreaterThan(3_000_000L);
    redis.client().pexpire("{users}:id:a", 100_000);
    assertThat(ids.find("a")).hasValue(1);
    assertThat(redis.client().pttl("{users}:id:a")).isGreaterThan(3_000_000L);
    redis.client().pexpire("{users}:id:b", 100_000);
    assertThat(ids.getOrCreateAll(List.of("b", "c"))).containsExactly(Map.entry("b", 2L),
        Map.entry("c", 3L));
    assertThat(redis.client().pttl("{users}:id:b")).isGreaterThan(3_000_000L);
  }

  // --- bulk ---

  @Test
  void getOrCreateAllAnswersInTheInputOrderInOneRoundTrip() {
    UniqueId ids = users();
    ids.getOrCreate("m");
    ids.getOrCreate("k");
    long before = ids.stats().mappingRoundTrips();
    Map<String, Long> got = ids.getOrCreateAll(List.of("z", "k", "a", "z", "m", "b"));
    assertThat(ids.stats().mappingRoundTrips()).isEqualTo(before + 1);
    assertThat(got).containsExactly(Map.entry("z", 3L), Map.entry("k", 2L), Map.entry("a", 4L),
        Map.entry("m", 1L), Map.entry("b", 5L));
    assertThat(redis.client().get("{users}:auto")).isEqualTo("5");
    assertThat(ids.getOrCreateAll(List.of())).isEmpty();
    assertThatThrownBy(() -> got.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void getOrCreateAllSplitsLargeBatchesAndStillNumbersWithoutGaps() {
    UniqueId ids = users();
    List<String> names = IntStream.range(0, 2500).mapToObj(i -> "n" + i).toList();
    Map<String, Long> got = ids.getOrCreateAll(names);
    assertThat(ids.stats().mappingRoundTrips()).isEqualTo(3);
    assertThat(got.keySet()).containsExactlyElementsOf(names);
    assertThat(got.values()).containsExactlyElementsOf(
        LongStream.rangeClosed(1, 2500).boxed().toList());
    assertThat(ids.findAll(names)).isEqualTo(got);
  }

  @Test
  void findNeverCreatesAndRemoveFreesANameForANewLargerId() {
    UniqueId ids = users();
    assertThat(ids.find("a")).isEqualTo(OptionalLong.empty());
    assertThat(redis.client().exists("{users}:auto")).isFalse();
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(ids.getOrCreate("b")).isEqualTo(2);
    assertThat(ids.findAll(List.of("x", "b", "a", "y"))).containsExactly(Map.entry("b", 2L),
        Map.entry("a", 1L));
    assertThat(ids.remove("a")).isTrue();
    assertThat(ids.remove("a")).isFalse();
    assertThat(ids.find("a")).isEmpty();
    assertThat(ids.getOrCreate("a")).isEqualTo(3);
    assertThat(ids.removeAll(List.of("a", "b", "nope", "a"))).isEqualTo(2);
    assertThat(ids.findAll(List.of("a", "b"))).isEmpty();
    assertThat(ids.getOrCreateAll(List.of("b", "a"))).containsExactly(Map.entry("b", 4L),
        Map.entry("a", 5L));
    assertThat(ids.stats().removed()).isEqualTo(3);
  }

  @Test
  void namesMayHoldAnyTextIncludingBracesAndStayInTheNamespacesSlot() {
    UniqueId ids = users();
    List<String> names = List.of("{other}", "a:b", "é 😀", " ", "}{", "id:x");
    Map<String, Long> got = ids.getOrCreateAll(names);
    assertThat(got.values()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    for (String n : names) {
      assertThat(ids.getOrCreate(n)).isEqualTo(got.get(n));
      assertThat(redis.client().get("{users}:id:" + n)).isEqualTo(Long.toString(got.get(n)));
    }
    assertThat(ids.removeAll(names)).isEqualTo(names.size());
  }

  // --- bad input and bad data ---

  @Test
  void rejectsNullAndEmptyNamesNamingTheArgument() {
    UniqueId ids = users();
    assertThatThrownBy(() -> ids.getOrCreate(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("name must not be null");
    assertThatThrownBy(() -> ids.getOrCreate("")).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("name must not be empty");
    assertThatThrownBy(() -> ids.find("")).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> ids.remove(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ids.getOrCreateAll(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("names");
    assertThatThrownBy(() -> ids.getOrCreateAll(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("names[1]");
    assertThatThrownBy(() -> ids.findAll(List.of("a", "b", ""))).isInstanceOf(KeyNameException.class)
        .hasMessageContaining("names[2]");
    assertThatThrownBy(() -> ids.next(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count");
    assertThatThrownBy(() -> UniqueId.create(redis.client(), " ")).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> UniqueId.create(redis.client(), null)).isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> UniqueId.create(null, "{x}")).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("client");
    assertThatThrownBy(() -> UniqueId.create(redis.client(), "{x}", null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    assertThat(redis.client().exists("{users}:auto")).isFalse();
  }

  @Test
  void anUntaggedKlassIsThePythonLayoutOnStandaloneAndTaggedOnAClusterSoBothSpellingsWork() {
    UniqueId plain = UniqueId.create(redis.client(), "users");
    UniqueId tagged = UniqueId.create(redis.client(), "{users}");
    assertThat(plain.getOrCreate("a")).isEqualTo(1);
    assertThat(plain.klass()).isEqualTo("users");
    if (redis.isCluster()) {
      // on a cluster "users" is tagged: both spellings are the same namespace, in one slot
      assertThat(plain.counterKey()).isEqualTo("{users}:auto");
      assertThat(plain.mappingKey("a")).isEqualTo("{users}:id:a");
      assertThat(redis.client().get("{users}:id:a")).isEqualTo("1");
      assertThat(tagged.getOrCreate("a")).isEqualTo(1);
      assertThat(tagged.getOrCreate("b")).isEqualTo(2);
      assertThat(plain.find("b")).hasValue(2);
    } else {
      // standalone: the klass is used as given (the Python UniqueId's layout)
      assertThat(plain.counterKey()).isEqualTo("users:auto");
      assertThat(redis.client().get("users:id:a")).isEqualTo("1");
      assertThat(redis.client().get("users:auto")).isEqualTo("1");
      assertThat(tagged.getOrCreate("b")).isEqualTo(1);
      assertThat(redis.client().get("{users}:id:b")).isEqualTo("1");
    }
    assertThatThrownBy(() -> UniqueId.create(redis.client(), "us{ers"))
        .isInstanceOf(KeyNameException.class).hasMessageContaining("us{ers");
  }

  @Test
  void aNonNumericMappingFailsNamingTheNameAndChangesNothing() {
    UnifiedJedis c = redis.client();
    UniqueId ids = users();
    ids.getOrCreate("ok");
    c.set("{users}:id:bad", "abc");
    for (String raw : List.of("abc", "", "1.5", " 3", "12345678901234567890")) {
      c.set("{users}:id:bad", raw);
      assertThatThrownBy(() -> ids.getOrCreate("bad")).isInstanceOfSatisfying(
          InvalidIdException.class, e -> {
            assertThat(e).isInstanceOf(RedisExtException.class);
            assertThat(e.name()).isEqualTo("bad");
            assertThat(e.redisKey()).isEqualTo("{users}:id:bad");
            assertThat(e.klass()).isEqualTo("{users}");
            assertThat(e.rawText()).isEqualTo(raw);
            assertThat(e.getMessage()).contains("'bad'", "{users}:id:bad");
          });
    }
    c.set("{users}:id:bad", "abc");
    // a bulk call with one bad name creates nothing for the others
    assertThatThrownBy(() -> ids.getOrCreateAll(List.of("new1", "ok", "bad", "new2")))
        .isInstanceOf(InvalidIdException.class).hasMessageContaining("'bad'");
    assertThatThrownBy(() -> ids.find("bad")).isInstanceOf(InvalidIdException.class);
    assertThatThrownBy(() -> ids.findAll(List.of("ok", "bad"))).isInstanceOf(InvalidIdException.class);
    assertThat(c.exists("{users}:id:new1")).isFalse();
    assertThat(c.get("{users}:auto")).isEqualTo("1");
    assertThat(c.get("{users}:id:bad")).isEqualTo("abc");
    // the bad mapping can be removed, then the name gets a fresh id
    assertThat(ids.remove("bad")).isTrue();
    assertThat(ids.getOrCreate("bad")).isEqualTo(2);
  }

  @Test
  void aMappingOfAnotherTypeOrACorruptCounterIsAClearError() {
    UnifiedJedis c = redis.client();
    UniqueId ids = users();
    c.rpush("{users}:id:list", "1");
    // a key of another type is core's typed WrongTypeException naming the key (issue 11; it was
    // an InvalidIdException carrying the server's WRONGTYPE text)
    assertThatThrownBy(() -> ids.getOrCreate("list")).isInstanceOfSatisfying(
        WrongTypeException.class, e -> {
          assertThat(e.key()).isEqualTo("{users}:id:list");
          assertThat(e.expectedType()).isEqualTo("string");
          assertThat(e.actualType()).isEqualTo("list");
        });
    assertThatThrownBy(() -> ids.getOrCreateAll(List.of("fresh", "list")))
        .isInstanceOf(WrongTypeException.class).hasMessageContaining("'{users}:id:list'");
    assertThatThrownBy(() -> ids.findAll(List.of("fresh", "list")))
        .isInstanceOf(WrongTypeException.class).hasMessageContaining("'{users}:id:list'");
    assertThat(c.exists("{users}:id:fresh")).isFalse();
    assertThat(c.lrange("{users}:id:list", 0, -1)).containsExactly("1");
    c.set("{users}:auto", "many");
    assertThatThrownBy(() -> ids.getOrCreate("x")).isInstanceOfSatisfying(
        InvalidIdException.class, e -> {
          assertThat(e.name()).isNull();
          assertThat(e.redisKey()).isEqualTo("{users}:auto");
          assertThat(e.getMessage()).contains("{users}:auto");
        });
    assertThat(c.exists("{users}:id:x")).isFalse();
    c.set("{users}:seq", "many");
    assertThatThrownBy(ids::next).isInstanceOfSatisfying(InvalidIdException.class,
        e -> assertThat(e.redisKey()).isEqualTo("{users}:seq"));
  }

  // --- races ---

  @Test
  void racingThreadsGetExactlyOneIdPerNameAndTheIdsAreOneToNWithoutGaps() throws Exception {
    int threads = 8;
    int perThread = 1500;
    int names = 2000;
    UniqueId ids = users();
    Map<String, Long> seen = new ConcurrentHashMap<>();
    List<String> conflicts = new ArrayList<>();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            String name = "u" + ((i * 7 + seed * 251) % names);
            long id = ids.getOrCreate(name);
            Long prev = seen.putIfAbsent(name, id);
            if (prev != null && prev != id) {
              synchronized (conflicts) {
                conflicts.add(name + ": " + prev + " vs " + id);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(conflicts).isEmpty();
    int n = seen.size();
    assertThat(Set.copyOf(seen.values())).hasSize(n);
    assertThat(seen.values().stream().mapToLong(Long::longValue).sorted().toArray())
        .containsExactly(LongStream.rangeClosed(1, n).toArray());
    assertThat(redis.client().get("{users}:auto")).isEqualTo(Integer.toString(n));
    assertThat(ids.stats().created()).isEqualTo(n);
    assertThat(ids.stats().created() + ids.stats().found()).isEqualTo((long) threads * perThread);
  }

  @Test
  void concurrentCallersOfABadNameFailAloneWhileTheOthersGetTheirIds() throws Exception {
    UniqueId ids = users();
    redis.client().set("{users}:id:bad", "oops");
    int threads = 8;
    int perThread = 600;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, Long> seen = new ConcurrentHashMap<>();
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            String name = (i + seed) % 5 == 0 ? "bad" : "g" + ((i * 3 + seed) % 300);
            try {
              long id = ids.getOrCreate(name);
              if (name.equals("bad")) {
                problems.add("bad got " + id);
              }
              Long prev = seen.putIfAbsent(name, id);
              if (prev != null && prev != id) {
                problems.add(name + ": " + prev + " vs " + id);
              }
            } catch (InvalidIdException e) {
              if (!name.equals("bad") || !"bad".equals(e.name())) {
                problems.add(name + " failed: " + e.getMessage());
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
    assertThat(seen).hasSize(300);
    assertThat(seen.values().stream().mapToLong(Long::longValue).sorted().toArray())
        .containsExactly(LongStream.rangeClosed(1, 300).toArray());
    assertThat(redis.client().get("{users}:id:bad")).isEqualTo("oops");
  }

  // --- sequences ---

  @Test
  void sequenceIdsWithoutBlocksAreDenseAndUseTheirOwnCounter() {
    UniqueId ids = users();
    assertThat(ids.next()).isEqualTo(1);
    assertThat(ids.next()).isEqualTo(2);
    assertThat(ids.next(3)).containsExactly(3, 4, 5);
    assertThat(ids.getOrCreate("a")).isEqualTo(1);
    assertThat(redis.client().get("{users}:seq")).isEqualTo("5");
    assertThat(redis.client().ttl("{users}:seq")).isEqualTo(-1);
    assertThat(ids.stats().sequenceIds()).isEqualTo(5);
    assertThat(ids.stats().sequenceRoundTrips()).isEqualTo(3);
  }

  @Test
  void blockAllocationReservesIdsPerRoundTripAndTwoInstancesNeverShareOne() {
    UniqueIdOptions opts = UniqueIdOptions.builder().sequenceBlockSize(100).build();
    UniqueId p1 = UniqueId.create(redis.client(), "{users}", opts);
    UniqueId p2 = UniqueId.create(second(), "{users}", opts);
    assertThat(p1.next()).isEqualTo(1);
    assertThat(p2.next()).isEqualTo(101);
    assertThat(p1.next()).isEqualTo(2);
    assertThat(redis.client().get("{users}:seq")).isEqualTo("200");
    List<Long> all = new ArrayList<>();
    long last1 = 2;
    long last2 = 101;
    for (int i = 0; i < 1000; i++) {
      long a = p1.next();
      long b = p2.next();
      assertThat(a).isGreaterThan(last1);
      assertThat(b).isGreaterThan(last2);
      last1 = a;
      last2 = b;
      all.add(a);
      all.add(b);
    }
    assertThat(Set.copyOf(all)).hasSize(2000).doesNotContain(1L, 2L, 101L);
    assertThat(p1.stats().sequenceRoundTrips()).isEqualTo(11);
    // a large batch comes contiguous from one round trip and later ids are still larger
    long[] batch = p1.next(250);
    assertThat(batch[249] - batch[0]).isEqualTo(249);
    assertThat(batch[0]).isGreaterThan(last1);
    assertThat(p1.next()).isGreaterThan(batch[249]);
    long[] small = p1.next(10);
    assertThat(small[9] - small[0]).isEqualTo(9);
  }

  @Test
  void racingThreadsDrawUniqueIncreasingSequenceIdsFromBlocks() throws Exception {
    UniqueId ids = UniqueId.create(redis.client(), "{users}",
        UniqueIdOptions.builder().sequenceBlockSize(1000).build());
    int threads = 8;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[]>> fs = new ArrayList<>();
      CyclicBarrier start = new CyclicBarrier(threads);
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          start.await();
          long[] got = new long[perThread];
          for (int i = 0; i < perThread; i++) {
            got[i] = ids.next();
          }
          return got;
        }));
      }
      Set<Long> all = ConcurrentHashMap.newKeySet();
      for (Future<long[]> f : fs) {
        long[] got = f.get();
        for (int i = 1; i < got.length; i++) {
          assertThat(got[i]).isGreaterThan(got[i - 1]);
        }
        Arrays.stream(got).forEach(all::add);
      }
      assertThat(all).hasSize(threads * perThread);
      long reserved = Long.parseLong(redis.client().get("{users}:seq"));
      assertThat(reserved).isEqualTo(ids.stats().sequenceRoundTrips() * 1000);
      assertThat(all.stream().mapToLong(Long::longValue).max().orElseThrow())
          .isLessThanOrEqualTo(reserved);
      // a single process wastes at most the rest of its current block
      assertThat(reserved - (long) threads * perThread).isBetween(0L, 999L);
    } finally {
      pool.shutdownNow();
    }
  }

}
