package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Each defect of the Python library (research note D1-D14) as a test that fails on its
 * algorithm. Runs where streams exist: embedded Redis 6.2, redis-server 7.0, the cluster
 * (jedis-mock has no consumer groups).
 */
@RedisBackends({BackendKind.EMBEDDED, BackendKind.STANDALONE, BackendKind.CLUSTER})
class SeedDefectsIT {
  private static final String NAME = "{defects}";
  private static final String KEY = "stream:" + NAME;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RedisBackend redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  SeedDefectsIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private RedisStream<Map<String, Object>> stream() {
    @SuppressWarnings("unchecked")
    Class<Map<String, Object>> type = (Class<Map<String, Object>>) (Class<?>) Map.class;
    RedisStream<Map<String, Object>> s = RedisStream.create(redis.client(), NAME, type);
    open.add(s);
    return s;
  }

  /** A raw consumer of the group that reads entries and never acks them (a dead process). */
  private void ghostReads(String group, int count) {
    redis.client().xreadGroup(group, "ghost", XReadGroupParams.xReadGroupParams().count(count),
        Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
  }

  private static ProcessOptions.Builder opts() {
    return SeedScenariosIT.fast("g");
  }

  @Test
  void d1_aBlockedEntryIsNotRedeliveredWhileAnotherConsumersIdleEntryIsReclaimed()
      throws Exception {
    RedisStream<Map<String, Object>> s = stream();
    redis.client().xgroupCreate(KEY, "g", new StreamEntryID("0-0"), true);
    String blocked = s.add(Map.of("n", 1));
    ghostReads("g", 1);
    String quick = s.add(Map.of("n", 2));
    ghostReads("g", 1);
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    CountDownLatch release = new CountDownLatch(1);
    s.process(opts().concurrency(10).lease(Duration.ofMillis(300)).build(), d -> {
      calls.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
      if (d.id().equals(blocked)) {
        release.await(30, TimeUnit.SECONDS);
      }
    });
    await().atMost(WAIT).until(() -> calls.containsKey(quick) && calls.containsKey(blocked));
    // a third entry held by the dead consumer: reclaimed while the first one is still blocked
    String later = s.add(Map.of("n", 3));
    ghostReads("g", 1);
    await().atMost(WAIT).until(() -> calls.containsKey(later));
    assertThat(calls.get(blocked).get()).isEqualTo(1);
    release.countDown();
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
    assertThat(calls.get(blocked).get()).isEqualTo(1);
    assertThat(calls.get(quick).get()).isEqualTo(1);
    assertThat(calls.get(later).get()).isEqualTo(1);
  }

  @Test
  void d2_idleEntriesBehindALongLivePendingListAreReclaimedByFollowingTheCursor()
      throws Exception {
    RedisStream<Map<String, Object>> s = stream();
    redis.client().xgroupCreate(KEY, "g", new StreamEntryID("0-0"), true);
    List<Map<String, Object>> head = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      head.add(Map.of("live", i));
    }
    List<String> liveIds = s.addAll(head);
    redis.client().xreadGroup("g", "live", XReadGroupParams.xReadGroupParams().count(300),
        Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    List<String> idle = s.addAll(List.of(Map.of("idle", 1), Map.of("idle", 2)));
    ghostReads("g", 2);
    // the live consumer keeps its 300 entries fresh, so only the 2 at the end are ever idle
    StreamEntryID[] live = liveIds.stream().map(StreamEntryID::new).toArray(StreamEntryID[]::new);
    AtomicBoolean stop = new AtomicBoolean();
    Thread keeper = new Thread(() -> {
      while (!stop.get()) {
        redis.client().xclaimJustId(KEY, "g", "live", 0, XClaimParams.xClaimParams(), live);
        try {
          Thread.sleep(50); // the live consumer's heartbeat, not test synchronisation
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    keeper.start();
    try {
      Set<String> got = ConcurrentHashMap.newKeySet();
      // COUNT 1 per reclaim: XAUTOCLAIM scans at most 10 pending entries per call, so only a
      // consumer that follows the cursor ever reaches the idle ones behind the 300 live ones
      // a 3 s lease: the keeper's 50 ms heartbeat stays far inside it on a loaded machine
      s.process(opts().concurrency(1).prefetch(0).lease(Duration.ofSeconds(3)).build(),
          d -> got.add(d.id()));
      await().atMost(WAIT).until(() -> got.containsAll(idle));
      assertThat(got).doesNotContainAnyElementsOf(liveIds);
    } finally {
      stop.set(true);
      keeper.join();
    }
  }

  @Test
  void d3_anEntryWhoseDeadLetterWriteFailsIsNotAckedAndLandsThereOnceTheKeyIsFixed() {
    RedisStream<Map<String, Object>> s = stream();
    redis.client().set("stream:dlq:" + NAME, "not a stream");
    AtomicInteger calls = new AtomicInteger();
    StreamConsumer c = s.process(opts().maxAttempts(1).build(), d -> {
      calls.incrementAndGet();
      throw new IllegalStateException("poison");
    });
    String id = s.add(Map.of("n", 1));
    await().atMost(WAIT).until(() -> calls.get() >= 1);
    // the settlement fails while the dead-letter key is wrong: the entry stays pending
    await().during(Duration.ofMillis(500)).atMost(WAIT)
        .until(() -> s.groups().get(0).pending() == 1);
    redis.client().del("stream:dlq:" + NAME);
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
    assertThat(s.deadLetters(10)).extracting(DeadLetter::id).containsExactly(id);
    assertThat(s.groups().get(0).pending()).isZero();
    assertThat(c.stats().deadLettered()).isEqualTo(1);
  }

  @Test
  void d4_nonObjectAndUndecodablePayloadsAreDeadLetteredWithTheirRawFields() {
    RedisStream<Object> s = RedisStream.create(redis.client(), NAME, Object.class);
    open.add(s);
    StreamConsumer c = s.process(opts().maxAttempts(1).build(), d -> {
      throw new IllegalStateException("cannot handle " + d.fields());
    });
    redis.client().xadd(KEY, StreamEntryID.NEW_ENTRY, Map.of("data", "[1, 2]"));
    redis.client().xadd(KEY, StreamEntryID.NEW_ENTRY, Map.of("data", "{not json"));
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 2);
    List<StreamEntry> raw = redis.client().xrange("stream:dlq:" + NAME, "-", "+", 10);
    assertThat(raw).extracting(e -> e.getFields().get("data"))
        .containsExactlyInAnyOrder("[1, 2]", "{not json");
    assertThat(raw).allSatisfy(e -> {
      assertThat(e.getFields().get("_dlqMetadata")).startsWith("{\"originalId\": ");
      assertThat(e.getFields().get("error")).isNotBlank();
    });
    assertThat(s.groups().get(0).pending()).isZero();
    // the undecodable one never reached the handler
    assertThat(c.stats().failed()).isEqualTo(1);
    c.close();
    // requeue puts back exactly the original fields
    assertThat(s.requeueAllDeadLetters()).isEqualTo(2);
    assertThat(redis.client().xrange(KEY, "-", "+", 10)).extracting(e -> e.getFields())
        .contains(Map.of("data", "[1, 2]"), Map.of("data", "{not json"));
  }

  @Test
  void d6_aFailingBatchHandlerLeavesNothingLeasedForever() {
    RedisStream<Map<String, Object>> s = stream();
    AtomicInteger batches = new AtomicInteger();
    Set<String> done = ConcurrentHashMap.newKeySet();
    s.processBatches(opts().batchSize(5).build(), batch -> {
      if (batches.incrementAndGet() == 1) {
        throw new IllegalStateException("map_fn failed");
      }
      batch.forEach(d -> done.add(d.id()));
      return batch.stream().map(d -> ItemOutcome.success()).toList();
    });
    List<String> ids = s.addAll(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3)));
    await().atMost(WAIT).until(() -> done.containsAll(ids));
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
  }

  @Test
  void d7_aDestroyedGroupIsRecreatedAndConsumptionResumes() {
    RedisStream<Map<String, Object>> s = stream();
    Set<String> got = ConcurrentHashMap.newKeySet();
    s.process(opts().build(), d -> got.add(d.id()));
    String first = s.add(Map.of("n", 1));
    await().atMost(WAIT).until(() -> got.contains(first));
    redis.client().xgroupDestroy(KEY, "g");
    String second = s.add(Map.of("n", 2));
    await().atMost(WAIT).until(() -> got.contains(second));
    assertThat(s.groups()).extracting(GroupInfo::name).containsExactly("g");
  }

  @Test
  void d8_aFailedEntryIsRetriedAfterItsBackoffNotAfterTheLease() {
    RedisStream<Map<String, Object>> s = stream();
    AtomicInteger calls = new AtomicInteger();
    // a 60 s lease: the seed would retry only after it; the backoff is 10-50 ms
    s.process(opts().lease(Duration.ofSeconds(60)).build(), d -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("transient");
      }
    });
    s.add(Map.of("n", 1));
    await().atMost(WAIT).until(() -> calls.get() == 3);
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
  }

  @Test
  void d9_closeReturnsPromptlyAndUnstartedEntriesAreClaimableAtOnce() throws Exception {
    RedisStream<Map<String, Object>> s = stream();
    CountDownLatch release = new CountDownLatch(1);
    Set<String> first = ConcurrentHashMap.newKeySet();
    StreamConsumer a = s.process(opts().concurrency(1).prefetch(5).lease(Duration.ofSeconds(60))
        .idleWait(Duration.ofSeconds(1)).shutdownGrace(Duration.ZERO).build(), d -> {
          first.add(d.id());
          release.await(30, TimeUnit.SECONDS);
        });
    List<String> ids = s.addAll(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3)));
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 3);
    long t0 = System.nanoTime();
    a.close(Duration.ZERO);
    // the seed blocked up to lease - 1 s (59 s here) in XREADGROUP
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    release.countDown();
    Set<String> second = ConcurrentHashMap.newKeySet();
    // another consumer with the same 60 s lease takes the two unstarted entries at once
    s.process(opts().lease(Duration.ofSeconds(60)).build(), d -> second.add(d.id()));
    List<String> unstarted = ids.stream().filter(i -> !first.contains(i)).toList();
    assertThat(unstarted).hasSize(2);
    await().atMost(WAIT).until(() -> second.containsAll(unstarted));
  }

  @Test
  void d10_theTrimmerRemovesOnlyEntriesEveryGroupAcknowledged() throws Exception {
    RedisStream<Map<String, Object>> s = stream();
    redis.client().xgroupCreate(KEY, "g", new StreamEntryID("0-0"), true);
    redis.client().xgroupCreate(KEY, "slow", new StreamEntryID("0-0"), true);
    List<String> ids = s.addAll(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3),
        Map.of("n", 4)));
    // group g acks everything; group slow read 2 (pending) and has 2 undelivered
    Set<String> got = ConcurrentHashMap.newKeySet();
    s.process(opts().build(), d -> got.add(d.id()));
    await().atMost(WAIT).until(() -> got.size() == 4
        && s.groups().stream().filter(x -> x.name().equals("g")).findFirst().get().pending() == 0);
    redis.client().xreadGroup("slow", "s1", XReadGroupParams.xReadGroupParams().count(2),
        Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    redis.client().xack(KEY, "slow", new StreamEntryID(ids.get(0)));
    assertThat(s.trimAcknowledged()).isEqualTo(1);
    assertThat(redis.client().xrange(KEY, "-", "+", 10)).extracting(e -> e.getID().toString())
        .containsExactly(ids.get(1), ids.get(2), ids.get(3));
    redis.client().xack(KEY, "slow", new StreamEntryID(ids.get(1)));
    assertThat(s.trimAcknowledged()).isEqualTo(1);
    assertThat(s.length()).isEqualTo(2); // never delivered to "slow": kept
  }

  @Test
  void d11_consumersIdleWithNothingPendingAreRemovedOthersKept() {
    RedisStream<Map<String, Object>> s = stream();
    redis.client().xgroupCreate(KEY, "g", new StreamEntryID("0-0"), true);
    redis.client().xgroupCreateConsumer(KEY, "g", "gone-1");
    s.add(Map.of("n", 1));
    ghostReads("g", 1); // "ghost" has a pending entry: never removed
    await().atMost(WAIT).until(() -> redis.client().xinfoConsumers2(KEY, "g").stream()
        .allMatch(c -> c.getIdle() > 300));
    Set<String> got = ConcurrentHashMap.newKeySet();
    StreamConsumer c = s.process(opts().lease(Duration.ofSeconds(60))
        .removeIdleConsumersAfter(Duration.ofMillis(300)).build(), d -> got.add(d.id()));
    await().atMost(WAIT).until(() -> redis.client().xinfoConsumers2(KEY, "g").stream()
        .noneMatch(x -> x.getName().equals("gone-1")));
    // Redis lists a consumer once something was delivered to it
    String id = s.add(Map.of("n", 2));
    await().atMost(WAIT).until(() -> got.contains(id));
    assertThat(redis.client().xinfoConsumers2(KEY, "g")).extracting(x -> x.getName())
        .containsExactlyInAnyOrder("ghost", c.consumerName());
  }

  @Test
  void d14_startFromOldestProcessesEntriesAddedBeforeTheFirstConsumer() {
    RedisStream<Map<String, Object>> s = stream();
    String before = s.add(Map.of("n", 0));
    Set<String> got = ConcurrentHashMap.newKeySet();
    s.process(opts().startFrom(StartFrom.OLDEST).build(), d -> got.add(d.id()));
    await().atMost(WAIT).until(() -> got.contains(before));
    List<String> latest = Collections.synchronizedList(new ArrayList<>());
    s.process(ProcessOptions.builder("new-group").startFrom(StartFrom.LATEST)
        .idleWait(Duration.ofMillis(200)).build(), d -> latest.add(d.id()));
    String after = s.add(Map.of("n", 1));
    await().atMost(WAIT).until(() -> latest.contains(after));
    assertThat(latest).doesNotContain(before);
  }
}
