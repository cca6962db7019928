package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

@RedisBackends
class FastSetIT {
  private static final String KEY = "{fs}";
  private static final Duration LONG = Duration.ofHours(1);

  private final RedisBackend redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  FastSetIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T> FastSet<T> open(Class<T> type, FastSetOptions options) {
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    FastSet<T> s = FastSet.create(client, KEY, type, options);
    toClose.add(s);
    return s;
  }

  private FastSet<String> strings(FastSetOptions options) {
    return open(String.class, options);
  }

  private static FastSetOptions pushOnly() {
    return FastSetOptions.builder().refreshInterval(LONG).build();
  }

  private static FastSetOptions noPush(Duration interval) {
    return FastSetOptions.builder().pushInvalidation(false).refreshInterval(interval).build();
  }

  private long remoteVersion() {
    String v = redis.client().get(KEY + ":version");
    return v == null ? 0 : Long.parseLong(v);
  }

  @Test
  void writtenElementsAreReadBackAndStoredAsPythonJson() {
    FastSet<Object> set = open(Object.class, pushOnly());
    assertThat(set.add("a")).isTrue();
    assertThat(set.add("é")).isTrue();
    assertThat(set.add(1L)).isTrue();
    assertThat(set.add(1.5)).isTrue();
    assertThat(set.add(true)).isTrue();
    assertThat(set.add(1e16)).isTrue();

    assertThat(set).containsExactlyInAnyOrder("a", "é", 1L, 1.5, true, 1e16);
    assertThat(redis.client().smembers(KEY + ":value"))
        .containsExactlyInAnyOrder("\"a\"", "\"\\u00e9\"", "1", "1.5", "true", "1e+16");
    assertThat(redis.client().exists(KEY)).isFalse();

    FastSet<Object> fresh = open(Object.class, pushOnly());
    assertThat(fresh).isEqualTo(set);
    assertThat(fresh.contains("é")).isTrue();
    assertThat(fresh.version()).isEqualTo(6);
  }

  @Test
  void membersAreByteForByteWhatPythonsJsonDumpsWrites() throws Exception {
    Assumptions.assumeTrue(PythonJson.available(), "python3 is not on the PATH");
    List<Object> values = List.of("plain", "é", "股票", "😀", "a/b", "q\"uote", "back\\slash",
        "tab\tnew\nline", "\u007f\u0001", 0L, -17L, 1.0, 1.5, 0.0001, 1.5e-5, 1e16, 1e15 + 0.5,
        10000000000.0, -0.0, 123456789.125, true, false, new java.math.BigInteger(
            "1180591620717411303424"));
    FastSet<Object> set = open(Object.class, pushOnly());
    assertThat(set.addAll(values)).isTrue();
    assertThat(redis.client().smembers(KEY + ":value"))
        .containsExactlyInAnyOrderElementsOf(PythonJson.dumps(values));
    FastSet<Object> reread = open(Object.class, pushOnly());
    assertThat(reread).isEqualTo(set).hasSize(values.size());
  }

  @Test
  void everyEffectiveWriteBumpsTheVersionByExactlyOne() {
    FastSet<String> set = strings(pushOnly());
    assertThat(remoteVersion()).isZero();
    set.add("a");
    assertThat(remoteVersion()).isEqualTo(1);
    assertThat(set.add("a")).isFalse();
    assertThat(remoteVersion()).isEqualTo(1);
    assertThat(set.addAll(List.of("b", "c", "d"))).isTrue();
    assertThat(remoteVersion()).isEqualTo(2);
    assertThat(set.remove("b")).isTrue();
    assertThat(remoteVersion()).isEqualTo(3);
    assertThat(set.remove("zzz")).isFalse();
    assertThat(set.removeAll(List.of("zzz", "yyy"))).isFalse();
    assertThat(remoteVersion()).isEqualTo(3);
    assertThat(set.removeIf(s -> s.equals("c"))).isTrue();
    assertThat(set.retainAll(List.of("a"))).isTrue();
    assertThat(remoteVersion()).isEqualTo(5);
    set.clear();
    assertThat(remoteVersion()).isEqualTo(6);
    set.clear();
    assertThat(remoteVersion()).isEqualTo(6);
    assertThat(set.version()).isEqualTo(6);
    assertThat(set.stats().writes()).isEqualTo(6);
  }

  @Test
  void timeoutRefreshSeesAnotherWritersChange() {
    FastSet<String> writer = strings(noPush(LONG));
    FastSet<String> stale = strings(noPush(LONG));
    FastSet<String> polling = strings(noPush(Duration.ofMillis(100)));

    writer.add("x");

    // no push and no check due: the stale instance answers from its cache
    assertThat(stale.contains("x")).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> polling.contains("x"));
    assertThat(polling.stats().versionChecks()).isPositive();
    assertThat(polling.stats().fullReloads()).isEqualTo(1);

    stale.refresh();
    assertThat(stale.contains("x")).isTrue();
    assertThat(stale.version()).isEqualTo(writer.version());
  }

  @Test
  void aZeroRefreshIntervalChecksOnEveryRead() {
    FastSet<String> writer = strings(noPush(LONG));
    FastSet<String> reader = strings(noPush(Duration.ZERO));
    writer.add("x");
    assertThat(reader.contains("x")).isTrue();
    writer.remove("x");
    assertThat(reader.size()).isZero();
  }

  @Test
  void pushInvalidationShowsEachChangeOnAnotherInstanceWithoutReloading() {
    FastSet<String> a = strings(pushOnly());
    FastSet<String> b = strings(pushOnly());
    assertThat(b.stats().subscribed()).isTrue();

    a.add("x");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.contains("x"));
    a.addAll(List.of("y", "z"));
    await().atMost(Duration.ofSeconds(5)).until(() -> b.containsAll(List.of("y", "z")));
    a.remove("x");
    await().atMost(Duration.ofSeconds(5)).until(() -> !b.contains("x"));
    a.clear();
    await().atMost(Duration.ofSeconds(5)).until(b::isEmpty);

    assertThat(b.version()).isEqualTo(a.version()).isEqualTo(4);
    assertThat(b.stats().fullReloads()).isEqualTo(1);
    assertThat(b.stats().deltasApplied()).isEqualTo(4);
    assertThat(b.stats().messagesReceived()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aLateMessageFromBeforeADataResetIsNotApplied() {
    FastSet<String> set = strings(pushOnly());
    set.add("real");
    long before = set.stats().messagesReceived();
    // what a subscriber may still receive after FLUSHALL: an entry of the set's previous
    // incarnation, whose version happens to be the next one
    redis.client().publish(KEY + ":changed", "2 1600000000.000001\n+\"ghost\"");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> set.stats().messagesReceived() > before);
    assertThat(set).containsExactly("real");
    assertThat(set.version()).isEqualTo(1);
  }

  @Test
  void aDataResetFollowedByMoreWritesThanTheCachedVersionIsNoticed() {
    FastSet<String> a = strings(pushOnly());
    a.addAll(List.of("old-1", "old-2"));
    a.add("old-3");
    assertThat(a.version()).isEqualTo(2);
    // the data is lost (e.g. a restart without persistence) and new writers start from scratch
    redis.client().del(KEY + ":value", KEY + ":version", KEY + ":log", KEY + ":epoch");
    FastSet<String> b = strings(pushOnly());
    for (int i = 0; i < 5; i++) {
      b.add("new-" + i);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> a.version() == 5);
    assertThat(a).isEqualTo(b).hasSize(5).doesNotContain("old-1");
  }

  @Test
  void setOperationsMatchPythonsSetAlgebra() {
    FastSet<String> set = strings(pushOnly());
    set.addAll(List.of("a", "b", "c"));

    assertThat(set.union(List.of("c", "d"))).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(set.intersection(List.of("b", "c", "d"))).containsExactlyInAnyOrder("b", "c");
    assertThat(set.difference(List.of("b", "x"))).containsExactlyInAnyOrder("a", "c");
    assertThat(set.symmetricDifference(List.of("c", "d"))).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(set.isSubsetOf(List.of("a", "b", "c", "d"))).isTrue();
    assertThat(set.isSubsetOf(List.of("a", "b"))).isFalse();
    assertThat(set.isSupersetOf(List.of("a", "c"))).isTrue();
    assertThat(set.isSupersetOf(List.of("a", "z"))).isFalse();
    assertThat(set.isDisjoint(List.of("x", "y"))).isTrue();
    assertThat(set.isDisjoint(List.of("x", "a"))).isFalse();
    // the operations return new sets and leave this one alone
    assertThat(set).containsExactlyInAnyOrder("a", "b", "c");

    assertThat(set.symmetricDifferenceUpdate(List.of("c", "d"))).isTrue();
    assertThat(set).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(redis.client().smembers(KEY + ":value"))
        .containsExactlyInAnyOrder("\"a\"", "\"b\"", "\"d\"");
    assertThat(set.retainAll(Set.of("a", "d", "q"))).isTrue();
    assertThat(set).containsExactlyInAnyOrder("a", "d");
    assertThat(set.retainAll(Set.of("a", "d"))).isFalse();
  }

  @Test
  void aCopyIsIndependentAndComparesEqualToAnySetWithTheSameElements() {
    FastSet<String> set = strings(pushOnly());
    set.addAll(List.of("a", "b"));
    Set<String> copy = set.copy();
    copy.add("c");
    assertThat(set).containsExactlyInAnyOrder("a", "b");

    Set<String> plain = new HashSet<>(List.of("a", "b"));
    assertThat(set.equals(plain)).isTrue();
    assertThat(plain.equals(set)).isTrue();
    assertThat(set.hashCode()).isEqualTo(plain.hashCode());
    assertThat(set.equals(copy)).isFalse();
    assertThat(set.equals(List.of("a", "b"))).isFalse();

    FastSet<String> other = strings(pushOnly());
    assertThat(other).isEqualTo(set);
    assertThat(set.toString()).contains("a").contains("b");
  }

  @Test
  void clearEmptiesTheSetAndKeepsTheVersionKeyLikePython() {
    FastSet<String> set = strings(pushOnly());
    set.addAll(List.of("a", "b"));
    set.clear();
    assertThat(set).isEmpty();
    assertThat(redis.client().exists(KEY + ":value")).isFalse();
    assertThat(redis.client().get(KEY + ":version")).isEqualTo("2");
    assertThat(set.add("a")).isTrue();
    assertThat(set).containsExactly("a");
  }

  @Test
  void aConditionalWriteOnAStaleCacheRetriesAgainstTheLatestVersion() {
    FastSet<String> a = strings(noPush(LONG));
    FastSet<String> b = strings(noPush(LONG));
    a.addAll(List.of("keep", "x"));
    b.refresh();
    a.add("y"); // b does not know y yet

    assertThat(b.retainAll(Set.of("keep"))).isTrue();
    assertThat(b).containsExactly("keep");
    assertThat(b.stats().conflicts()).isEqualTo(1);
    a.refresh();
    assertThat(a).containsExactly("keep");

    a.add("z");
    assertThat(b.removeIf(s -> !s.equals("keep"))).isTrue();
    assertThat(b).containsExactly("keep");
    assertThat(redis.client().smembers(KEY + ":value")).containsExactly("\"keep\"");
  }

  @Test
  void aWriteBringsTheCacheUpToDateWithOtherWriters() {
    FastSet<String> a = strings(noPush(LONG));
    FastSet<String> b = strings(noPush(LONG));
    a.add("from-a");
    // b adds an element that is already there through another writer: add is false and b now
    // holds everything written before its add
    a.add("shared");
    assertThat(b.add("shared")).isFalse();
    assertThat(b).containsExactlyInAnyOrder("from-a", "shared");
    assertThat(b.stats().fullReloads()).isEqualTo(1);
    assertThat(b.stats().deltasApplied()).isEqualTo(2);
  }

  @Test
  void iteratorRemoveRemovesFromRedisAndIterationIsOverASnapshot() {
    FastSet<String> set = strings(pushOnly());
    set.addAll(List.of("a", "b", "c"));
    Iterator<String> it = set.iterator();
    set.add("d"); // not seen by the running iteration, no ConcurrentModificationException
    Set<String> seen = new HashSet<>();
    while (it.hasNext()) {
      String s = it.next();
      seen.add(s);
      if (s.equals("b")) {
        it.remove();
      }
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(set).containsExactlyInAnyOrder("a", "c", "d");
    assertThat(redis.client().sismember(KEY + ":value", "\"b\"")).isFalse();

    Iterator<String> again = set.iterator();
    assertThatThrownBy(again::remove).isInstanceOf(IllegalStateException.class);
    String first = again.next();
    again.remove();
    assertThatThrownBy(again::remove).isInstanceOf(IllegalStateException.class);
    assertThat(set).hasSize(2).doesNotContain(first);
  }

  @Test
  void nullsAreRejectedWithNullPointerException() {
    FastSet<String> set = strings(pushOnly());
    assertThatThrownBy(() -> set.add(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> set.contains(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> set.remove(null)).isInstanceOf(NullPointerException.class);
    List<String> withNull = new ArrayList<>(List.of("a"));
    withNull.add(null);
    assertThatThrownBy(() -> set.addAll(withNull)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("element 1");
    assertThat(set).isEmpty();
    assertThat(remoteVersion()).isZero();
  }

  @Test
  void anUndecodableMemberIsAClearErrorNamingTheKeyAndMember() {
    FastSet<Long> live = open(Long.class, noPush(LONG));
    live.add(1L);
    redis.client().sadd(KEY + ":value", "not json");
    redis.client().incr(KEY + ":version");

    assertThatThrownBy(() -> FastSet.create(redis.client(), KEY, Long.class, noPush(LONG)))
        .isInstanceOf(FastSetDecodeException.class).hasMessageContaining("'{fs}'")
        .hasMessageContaining("'not json'")
        .satisfies(e -> assertThat(((FastSetDecodeException) e).rawText()).isEqualTo("not json"))
        .satisfies(e -> assertThat(((FastSetDecodeException) e).key()).isEqualTo(KEY));
    assertThatThrownBy(live::refresh).isInstanceOf(FastSetDecodeException.class);
    // not skipped: reads keep failing while the member is there
    assertThatThrownBy(() -> live.contains(1L)).isInstanceOf(FastSetDecodeException.class);

    redis.client().srem(KEY + ":value", "not json");
    redis.client().incr(KEY + ":version");
    live.refresh();
    assertThat(live).containsExactly(1L);
  }

  record Pair(String a, String b) {}

  @Test
  void aStrictCodecWorksAndAMemberOfTheWrongShapeIsRefusedInEitherModeWithItsRawText() {
    JsonCodec<Pair> strict = JsonCodec.of(Pair.class).strict();
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    FastSet<Pair> set = FastSet.create(client, KEY, strict, noPush(LONG));
    toClose.add(set);
    set.add(new Pair("x", null));
    set.add(new Pair("y", "z"));
    assertThat(redis.client().smembers(KEY + ":value")).containsExactlyInAnyOrder(
        "{\"a\": \"x\", \"b\": null}", "{\"a\": \"y\", \"b\": \"z\"}");
    try (FastSet<Pair> again = FastSet.create(client, KEY, strict, noPush(LONG))) {
      assertThat(again).isEqualTo(set);
    }
    // members of another shape, written by another writer: a missing component, an unknown
    // property, a JSON null. Strict decoding refuses them; the default (lenient) codec refuses
    // them too, because a member must be the exact text its decoded value encodes to
    for (String bad : List.of("{\"a\": \"x\"}", "{\"a\": \"x\", \"b\": null, \"c\": 1}",
        "null")) {
      redis.client().sadd(KEY + ":value", bad);
      redis.client().incr(KEY + ":version");
      for (JsonCodec<Pair> codec : List.of(strict, JsonCodec.of(Pair.class))) {
        assertThatThrownBy(() -> FastSet.create(client, KEY, codec, noPush(LONG)))
            .isInstanceOf(FastSetDecodeException.class).hasMessageContaining("'{fs}'")
            .satisfies(e -> assertThat(((FastSetDecodeException) e).rawText()).isEqualTo(bad));
      }
      assertThatThrownBy(set::refresh).isInstanceOf(FastSetDecodeException.class);
      redis.client().srem(KEY + ":value", bad);
      redis.client().incr(KEY + ":version");
    }
    set.refresh();
    assertThat(set).containsExactlyInAnyOrder(new Pair("x", null), new Pair("y", "z"));
  }

  @Test
  void aMemberThatIsNotCanonicalJsonIsRejectedNotAliased() {
    redis.client().sadd(KEY + ":value", "1.0");
    assertThatThrownBy(() -> FastSet.create(redis.client(), KEY, Long.class, noPush(LONG)))
        .isInstanceOf(FastSetDecodeException.class).hasMessageContaining("canonical")
        .hasMessageContaining("'1'");
  }

  @Test
  void anUntaggedNameIsThePythonLayoutOnStandaloneAndTaggedOnAClusterSoBothSpellingsWork() {
    try (FastSet<String> plain = FastSet.create(redis.client(), "users", String.class, noPush(LONG));
        FastSet<String> tagged = FastSet.create(redis.client(), "{users}", String.class,
            noPush(LONG))) {
      plain.add("a");
      tagged.add("b");
      assertThat(plain.key()).isEqualTo("users");
      assertThat(tagged.key()).isEqualTo("{users}");
      if (redis.isCluster()) {
        // on a cluster "users" is tagged, so both spellings name the same keys, in one slot
        assertThat(redis.client().smembers("{users}:value")).containsExactlyInAnyOrder("\"a\"",
            "\"b\"");
        plain.refresh();
        assertThat(plain).containsExactlyInAnyOrder("a", "b");
        assertThat(tagged).containsExactlyInAnyOrder("a", "b");
      } else {
        // standalone: the name is used as given (the Python FastSet's layout, byte for byte)
        assertThat(redis.client().smembers("users:value")).containsExactly("\"a\"");
        assertThat(redis.client().smembers("{users}:value")).containsExactly("\"b\"");
      }
    }
    assertThatThrownBy(() -> FastSet.create(redis.client(), " ", String.class))
        .isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> FastSet.create(redis.client(), "us}ers", String.class))
        .isInstanceOf(KeyNameException.class).hasMessageContaining("us}ers");
  }

  @Test
  void aLargeSetLoadsInScanBatchesAndFollowsSmallChangesWithoutReloading() {
    int n = 20_000;
    try (AbstractPipeline p = redis.client().pipelined()) {
      for (int i = 0; i < n; i += 1000) {
        p.sadd(KEY + ":value", IntStream.range(i, i + 1000).mapToObj(j -> "\"m" + j + "\"")
            .toArray(String[]::new));
      }
      p.set(KEY + ":version", "7");
      p.sync();
    }
    long sscanBefore = calls("sscan");
    long smembersBefore = calls("smembers");
    FastSet<String> a = strings(FastSetOptions.builder().refreshInterval(LONG).scanBatch(500)
        .build());
    if (redis.kind() == BackendKind.STANDALONE) {
      // loaded in batches, never with one giant SMEMBERS
      assertThat(calls("sscan") - sscanBefore).isGreaterThanOrEqualTo(n / 500 / 2);
      assertThat(calls("smembers")).isEqualTo(smembersBefore);
    }
    FastSet<String> b = strings(pushOnly());
    assertThat(a).hasSize(n);
    assertThat(a.version()).isEqualTo(7);
    assertThat(a.contains("m19999")).isTrue();

    b.add("new");
    await().atMost(Duration.ofSeconds(5)).until(() -> a.contains("new"));
    assertThat(a.stats().fullReloads()).isEqualTo(1);
    assertThat(a.stats().deltasApplied()).isEqualTo(1);
    assertThat(a).hasSize(n + 1);
  }

  @Test
  void theChangeLogIsCappedAndAnInstanceTooFarBehindReloadsInstead() {
    FastSetOptions shortLog = FastSetOptions.builder().pushInvalidation(false)
        .refreshInterval(LONG).changeLogLength(10).build();
    FastSet<String> writer = strings(shortLog);
    FastSet<String> near = strings(shortLog);
    FastSet<String> far = strings(shortLog);
    for (int i = 0; i < 25; i++) {
      writer.add("e" + i);
      if (i % 5 == 4) {
        near.refresh(); // never more than 5 versions behind: the log covers it
      }
    }
    assertThat(redis.client().llen(KEY + ":log")).isEqualTo(10);
    near.refresh();
    far.refresh();
    assertThat(near).isEqualTo(writer).hasSize(25);
    assertThat(far).isEqualTo(writer);
    assertThat(near.stats().fullReloads()).isEqualTo(1);
    assertThat(near.stats().deltasApplied()).isEqualTo(25);
    assertThat(far.stats().fullReloads()).isEqualTo(2);
  }

  @Test
  void aChangeTooBigToListMakesPeersReloadAndWithoutALogPushStillCarriesDeltas() {
    FastSet<String> writer = strings(FastSetOptions.builder().refreshInterval(LONG)
        .maxDeltaMembers(10).changeLogLength(0).build());
    FastSet<String> peer = strings(FastSetOptions.builder().refreshInterval(LONG)
        .changeLogLength(0).build());
    List<String> many = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
    writer.addAll(many);
    await().atMost(Duration.ofSeconds(5)).until(() -> peer.size() == 50);
    assertThat(peer.stats().fullReloads()).isEqualTo(2);
    assertThat(redis.client().exists(KEY + ":log")).isFalse();

    writer.add("one-more");
    await().atMost(Duration.ofSeconds(5)).until(() -> peer.contains("one-more"));
    assertThat(peer.stats().fullReloads()).isEqualTo(2);
    assertThat(peer.stats().deltasApplied()).isEqualTo(1);
    assertThat(peer).isEqualTo(writer);
  }

  /** How often the (real, standalone) server ran a command, from INFO commandstats. */
  private long calls(String command) {
    if (redis.kind() != BackendKind.STANDALONE) {
      return 0;
    }
    String info = redis.client().info("commandstats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":calls=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
      }
    }
    return 0;
  }

  @Test
  void aWriterThatDoesNotLogLikePythonIsPickedUpByAFullReload() {
    FastSet<String> set = strings(noPush(LONG));
    set.add("java");
    // what the Python FastSet does in MULTI/EXEC: SADD + INCR (no log entry, no publish)
    redis.client().eval("redis.call('SADD', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[2])",
        List.of(KEY + ":value", KEY + ":version"), List.of("\"py\""));
    set.refresh();
    assertThat(set).containsExactlyInAnyOrder("java", "py");
    assertThat(set.stats().fullReloads()).isEqualTo(2);
    assertThat(set.version()).isEqualTo(2);
  }

  @Test
  void threadsOfOneJvmNeverLoseAnUpdate() throws Exception {
    FastSet<String> shared = strings(pushOnly());
    FastSet<String> observer = strings(pushOnly());
    int threads = 4;
    int each = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            assertThat(shared.add("t" + id + "-" + i)).isTrue();
            assertThat(shared.contains("t" + id + "-" + i)).isTrue();
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(shared).hasSize(threads * each);
    assertThat(remoteVersion()).isEqualTo(threads * each);
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.size() == threads * each);
    assertThat(observer).isEqualTo(shared);
  }

  @Test
  void conditionalRemovalsRacingWithAddsInAnotherInstanceLoseNoAdd() throws Exception {
    FastSet<String> adder = strings(pushOnly());
    FastSet<String> pruner = strings(pushOnly());
    int n = 300;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> adds = pool.submit(() -> {
        for (int i = 0; i < n; i++) {
          adder.add("keep-" + i);
          adder.add("drop-" + i);
        }
      });
      Future<?> prunes = pool.submit(() -> {
        while (!adds.isDone()) {
          pruner.removeIf(s -> s.startsWith("drop-"));
        }
      });
      adds.get();
      prunes.get();
    } finally {
      pool.shutdownNow();
    }
    pruner.removeIf(s -> s.startsWith("drop-"));
    Set<String> expected = IntStream.range(0, n).mapToObj(i -> "keep-" + i)
        .collect(Collectors.toSet());
    assertThat(pruner).isEqualTo(expected);
    await().atMost(Duration.ofSeconds(5)).until(() -> adder.equals(expected));
    assertThat(redis.client().scard(KEY + ":value")).isEqualTo(n);
  }

  @Test
  void openingAndClosingSetsLeavesTheClientsPooledConnectionsClean() {
    // a subscription's connection goes back to the client's pool on close: it must not carry an
    // unread reply (UNSUBSCRIBE confirmation) into the next command
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    // its own change messages are still in flight when close() unsubscribes
    for (int i = 0; i < 30; i++) {
      try (FastSet<String> s = FastSet.create(client, KEY, String.class, pushOnly())) {
        for (int j = 0; j < 5; j++) {
          s.add("m" + i + "-" + j);
        }
      }
      client.set(KEY + ":probe", "p" + i);
      assertThat(client.get(KEY + ":probe")).isEqualTo("p" + i);
      assertThat(client.scard(KEY + ":value")).isEqualTo(5L * (i + 1));
    }
  }

  @Test
  void closeStopsEveryThreadOfTheSetAndRefusesReadsAndWrites() {
    Set<String> before = fastsetThreads();
    FastSet<String> set = strings(FastSetOptions.builder().refreshInterval(Duration.ofMillis(50))
        .build());
    assertThat(fastsetThreads()).hasSize(before.size() + 2);
    set.add("a");
    set.close();
    assertThat(fastsetThreads()).isEqualTo(before);
    assertThatThrownBy(() -> set.contains("a")).isInstanceOf(IllegalStateException.class)
        .hasMessage("FastSet '{fs}' is closed");
    assertThatThrownBy(() -> set.add("b")).isInstanceOf(IllegalStateException.class)
        .hasMessage("FastSet '{fs}' is closed");
    assertThat(redis.client().smembers(KEY + ":value")).containsExactly("\"a\"");
    set.close();
  }

  private static Set<String> fastsetThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("redis-ext-fastset-"))
        .collect(Collectors.toSet());
  }

  @Test
  void optionsRejectBadValuesNamingTheOption() {
    assertThatThrownBy(() -> FastSetOptions.builder().refreshInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
    assertThatThrownBy(() -> FastSetOptions.builder().scanBatch(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scanBatch");
    assertThatThrownBy(() -> FastSetOptions.builder().changeLogLength(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changeLogLength");
    assertThatThrownBy(() -> FastSetOptions.builder().subscribeTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("subscribeTimeout");
    assertThat(FastSetOptions.defaults().toString()).contains("refreshInterval=PT1M");
    assertThatThrownBy(() -> FastSet.create(redis.client(), KEY, (Class<String>) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> FastSet.create(redis.client(), KEY, JsonCodec.of(String.class), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
  }

  // --- metrics and lifecycle

  /** What a closed set still answers: its identity, configuration and counters. */
  private static final Set<String> ALLOWED_AFTER_CLOSE = Set.of("close", "key", "options", "stats",
      "toString", "getClass", "notify", "notifyAll", "wait");

  /** Counts what it is told, per source and metric. */
  static final class CountingListener implements MetricsListener {
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final Set<MetricSource> sources = ConcurrentHashMap.newKeySet();

    @Override
    public void count(MetricSource source, Metric metric, long amount) {
      sources.add(source);
      counts.computeIfAbsent(metric.name(), k -> new AtomicLong()).addAndGet(amount);
    }

    long get(Metric m) {
      AtomicLong v = counts.get(m.name());
      return v == null ? 0 : v.get();
    }
  }

  @Test
  void aMetricsListenerSeesEveryMemberWrittenAndEveryFullReload() {
    CountingListener writes = new CountingListener();
    FastSet<String> set = strings(FastSetOptions.builder().refreshInterval(LONG).metrics(writes)
        .build());
    assertThat(writes.get(Metric.RELOADED)).isEqualTo(1); // the first load
    assertThat(writes.get(Metric.PUBLISHED)).isZero();

    set.add("a");
    set.addAll(List.of("a", "b", "c"));
    set.add("a"); // already there: nothing written
    set.removeAll(List.of("b", "zz"));
    set.removeIf(s -> s.equals("c"));
    set.retainAll(List.of("a")); // nothing to remove
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(1 + 2 + 1 + 1);
    set.addAll(List.of("x", "y"));
    set.clear(); // a, x, y removed
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(5 + 2 + 3);
    assertThat(set.stats().writes()).isEqualTo(6);
    assertThat(writes.sources).containsExactly(MetricSource.of("fastset", KEY));

    // a peer that must reload (a change too big to list) reports RELOADED; its reads do not
    CountingListener peerMetrics = new CountingListener();
    FastSet<String> peer = strings(FastSetOptions.builder().refreshInterval(LONG)
        .metrics(peerMetrics).build());
    FastSet<String> bigWriter = strings(FastSetOptions.builder().refreshInterval(LONG)
        .maxDeltaMembers(10).build());
    bigWriter.addAll(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.size() == 50);
    assertThat(peerMetrics.get(Metric.RELOADED)).isEqualTo(2).isEqualTo(peer.stats().fullReloads());
    assertThat(peerMetrics.get(Metric.PUBLISHED)).isZero();
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(10);
  }

  @Test
  void aListenerThatThrowsBreaksNoWrite() {
    MetricsListener faulty = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        throw new IllegalStateException("listener bug");
      }
    };
    FastSet<String> set = strings(FastSetOptions.builder().refreshInterval(LONG).metrics(faulty)
        .build());
    assertThat(set.add("a")).isTrue();
    assertThat(set).containsExactly("a");
  }

  @Test
  void everyPublicOperationAfterCloseThrowsIllegalStateExceptionNamingTheSet() {
    FastSet<String> set = strings(pushOnly());
    set.add("a");
    set.close();
    List<String> checked = new ArrayList<>();
    for (Method m : FastSet.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || ALLOWED_AFTER_CLOSE.contains(m.getName())) {
        continue;
      }
      Object[] args = argumentsFor(m);
      assertThatThrownBy(() -> {
        try {
          Object r = m.invoke(set, args);
          if (r instanceof java.util.stream.BaseStream<?, ?> st) {
            st.iterator().hasNext();
          }
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }).as(m.toString()).isInstanceOf(IllegalStateException.class)
          .hasMessage("FastSet '{fs}' is closed");
      checked.add(m.getName());
    }
    assertThat(checked).contains("contains", "size", "isEmpty", "iterator", "toArray", "add",
        "remove", "addAll", "removeAll", "retainAll", "removeIf", "clear", "containsAll",
        "symmetricDifferenceUpdate", "copy", "union", "intersection", "difference",
        "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjoint", "version", "refresh",
        "equals", "hashCode", "stream", "forEach", "spliterator");
    // what still answers
    assertThat(set.key()).isEqualTo(KEY);
    assertThat(set.stats().version()).isEqualTo(1);
    assertThat(set.options()).isNotNull();
    assertThat(set.toString()).isEqualTo("FastSet '{fs}' (closed)");
    set.close();
  }

  private static Object[] argumentsFor(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t == Collection.class) {
        args[i] = List.of(); // empty: the cheapest call must still refuse
      } else if (t == Predicate.class) {
        args[i] = (Predicate<Object>) x -> true;
      } else if (t == Consumer.class) {
        args[i] = (Consumer<Object>) x -> { };
      } else if (t == IntFunction.class) {
        args[i] = (IntFunction<Object[]>) Object[]::new;
      } else if (t.isArray()) {
        args[i] = new Object[0];
      } else if (t == Object.class) {
        args[i] = "a";
      } else {
        throw new AssertionError("no argument for " + m);
      }
    }
    return args;
  }
}
