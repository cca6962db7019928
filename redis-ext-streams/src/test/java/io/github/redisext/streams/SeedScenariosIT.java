package io.github.redisext.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The Python library's 13 test scenarios (tests/test_stream.py) against the Java API. Streams
 * need XREADGROUP, XAUTOCLAIM and XPENDING, which jedis-mock does not implement: these suites run
 * on the embedded Redis 6.2, redis-server 7.0 and the 3-master cluster.
 */
@RedisBackends({BackendKind.EMBEDDED, BackendKind.STANDALONE, BackendKind.CLUSTER})
class SeedScenariosIT {
  private static final String NAME = "{seed}";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RedisBackend redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  SeedScenariosIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Test data: the Python tests' {"foo": "bar"} objects. */
  record Foo(String foo) {}

  private RedisStream<Foo> stream(boolean events) {
    RedisStream<Foo> s = RedisStream.create(redis.client(), NAME, Foo.class,
        StreamOptions.builder().produceEvents(events).build());
    open.add(s);
    return s;
  }

  static ProcessOptions.Builder fast(String group) {
    return ProcessOptions.builder(group).startFrom(StartFrom.OLDEST).concurrency(2)
        .lease(Duration.ofSeconds(2)).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .idleWait(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(5));
  }

  @Test
  void processesAnAddedEntryOnceWithAttemptsZero() {
    RedisStream<Foo> s = stream(false);
    List<Delivery<Foo>> got = Collections.synchronizedList(new ArrayList<>());
    s.process(fast("g").build(), got::add);
    String id = s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(got.get(0).id()).isEqualTo(id);
    assertThat(got.get(0).value()).isEqualTo(new Foo("bar"));
    assertThat(got.get(0).attempts()).isZero();
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
    assertThat(got).hasSize(1);
  }

  @Test
  void retriesAnEntryWhoseHandlerFailedOnce() {
    RedisStream<Foo> s = stream(false);
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    s.process(fast("g").build(), d -> {
      attempts.add(d.attempts());
      if (attempts.size() == 1) {
        throw new IllegalStateException("first try fails");
      }
    });
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> attempts.size() == 2);
    assertThat(attempts).containsExactly(0, 1);
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
    assertThat(s.deadLetterCount()).isZero();
  }

  @Test
  void retriesForeverWhenAskedTo() {
    RedisStream<Foo> s = stream(false);
    AtomicInteger calls = new AtomicInteger();
    s.process(fast("g").retryForever().build(), d -> {
      calls.incrementAndGet();
      throw new IllegalStateException("always fails");
    });
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> calls.get() >= 12); // beyond the default 10 attempts
    assertThat(s.deadLetterCount()).isZero();
  }

  @Test
  void writesStartedProgressAndCompletedEventsInOrder() {
    RedisStream<Foo> s = stream(true);
    s.process(fast("g").build(), d -> {
      d.reportProgress(0.1, "a");
      d.reportProgress(0.5, "b");
      d.reportProgress(0.9, "c");
    });
    String id = s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.events(100).size() == 5);
    List<StreamEvent> ev = s.events(100);
    assertThat(ev).extracting(StreamEvent::type).containsExactly("started", "progress",
        "progress", "progress", "completed");
    assertThat(ev).extracting(StreamEvent::entryId).containsOnly(id);
  }

  @Test
  void reportsExactProgressRatiosAndStatuses() {
    RedisStream<Foo> s = stream(true);
    s.process(fast("g").build(), d -> {
      d.reportProgress(0.0, "Starting");
      d.reportProgress(0.25, "Quarter");
      d.reportProgress(0.75, "Three quarters");
      d.reportProgress(1.0, "Done");
    });
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.events(100).size() == 6);
    List<StreamEvent> progress = s.events(100).stream()
        .filter(e -> StreamEvent.PROGRESS.equals(e.type())).toList();
    assertThat(progress).extracting(StreamEvent::completionRatio)
        .containsExactly(0.0, 0.25, 0.75, 1.0);
    assertThat(progress).extracting(StreamEvent::status)
        .containsExactly("Starting", "Quarter", "Three quarters", "Done");
  }

  @Test
  void writesAFailedEventWithTheErrorText() {
    RedisStream<Foo> s = stream(true);
    s.process(fast("g").maxAttempts(1).build(), d -> {
      throw new RuntimeException("Something went wrong");
    });
    String id = s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.events(100).stream()
        .anyMatch(e -> StreamEvent.FAILED.equals(e.type())));
    List<StreamEvent> ev = s.events(100);
    assertThat(ev.get(0).type()).isEqualTo(StreamEvent.STARTED);
    assertThat(ev.get(1).type()).isEqualTo(StreamEvent.FAILED);
    assertThat(ev.get(1).entryId()).isEqualTo(id);
    assertThat(ev.get(1).error()).isEqualTo("Something went wrong");
  }

  @Test
  void extendsTheLeaseOfAHandlerRunningFiveLeasesLongSoItRunsExactlyOnce() throws Exception {
    RedisStream<Foo> s = stream(false);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    // 1 s: renewals every 333 ms leave 667 ms of slack for a loaded machine (the seed used 100 ms)
    Duration lease = Duration.ofSeconds(1);
    StreamHandler<Foo> slow = d -> {
      calls.incrementAndGet();
      release.await(30, TimeUnit.SECONDS);
    };
    // two consumers of the group: either would take the entry over if its lease ran out
    StreamConsumer a = s.process(fast("g").lease(lease).build(), slow);
    StreamConsumer b = s.process(fast("g").lease(lease).build(), slow);
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> calls.get() == 1);
    long start = System.nanoTime();
    await().atMost(WAIT).until(() -> System.nanoTime() - start > 5 * lease.toNanos());
    // five leases later the entry was delivered once only: renewals kept its idle time low
    assertThat(redis.client().xpending(s.key(), "g", XPendingParams.xPendingParams().count(10))
        .get(0).getDeliveredTimes()).isEqualTo(1);
    release.countDown();
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(a.stats().leaseLost() + b.stats().leaseLost()).isZero();
  }

  @Test
  void reportsStreamInfoAfterTwoAdds() {
    RedisStream<Foo> s = stream(false);
    s.add(new Foo("a"));
    s.add(new Foo("b"));
    StreamInfo info = s.info();
    assertThat(info.length()).isEqualTo(2);
    assertThat(info.entriesAdded()).isEqualTo(redis.kind() == BackendKind.EMBEDDED ? -1 : 2);
    assertThat(info.firstEntryId()).isNotNull();
    assertThat(s.length()).isEqualTo(2);
  }

  @Test
  void reportsGroupInfoWhileAndAfterProcessing() throws Exception {
    RedisStream<Foo> s = stream(false);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger done = new AtomicInteger();
    s.process(fast("g").build(), d -> {
      release.await(30, TimeUnit.SECONDS);
      done.incrementAndGet();
    });
    s.add(new Foo("a"));
    s.add(new Foo("b"));
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 2);
    GroupInfo during = s.groups().get(0);
    assertThat(during.name()).isEqualTo("g");
    assertThat(during.consumers()).isGreaterThanOrEqualTo(1);
    release.countDown();
    await().atMost(WAIT).until(() -> s.groups().get(0).pending() == 0);
    GroupInfo after = s.groups().get(0);
    if (redis.kind() == BackendKind.EMBEDDED) {
      assertThat(after.entriesRead()).isEqualTo(-1); // Redis 6.2 has no entries-read / lag
      assertThat(after.lag()).isEqualTo(-1);
    } else {
      assertThat(after.entriesRead()).isEqualTo(2);
      assertThat(after.lag()).isZero(); // a real zero, not null (seed defect D12)
    }
    assertThat(after.pending()).isZero();
  }

  @Test
  void aRetryPolicySayingNoMeansExactlyOneCall() {
    RedisStream<Foo> s = stream(false);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger asked = new AtomicInteger();
    s.process(fast("g").retryPolicy((a, v) -> {
      asked.incrementAndGet();
      return false;
    }).build(), d -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    });
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(asked.get()).isEqualTo(1);
    assertThat(s.groups().get(0).pending()).isZero();
  }

  @Test
  void attemptsPassedToTheRetryPolicyIncreaseFromOne() {
    RedisStream<Foo> s = stream(false);
    List<Integer> asked = Collections.synchronizedList(new ArrayList<>());
    List<Foo> seen = Collections.synchronizedList(new ArrayList<>());
    s.process(fast("g").retryPolicy((RetryPolicy<Foo>) (a, v) -> {
      asked.add(a);
      seen.add(v);
      return a < 4;
    }).build(), d -> {
      throw new IllegalStateException("boom");
    });
    s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
    assertThat(asked).containsExactly(1, 2, 3, 4);
    assertThat(seen).containsOnly(new Foo("bar"));
  }

  @Test
  void aDeadLetterHoldsTheOriginalFieldsAndDlqMetadata() {
    RedisStream<Foo> s = stream(false);
    StreamConsumer c = s.process(fast("workers").retryPolicy((a, v) -> false).build(), d -> {
      throw new IllegalStateException("boom");
    });
    String id = s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
    List<StreamEntry> raw = redis.client().xrange("stream:dlq:" + NAME, "-", "+", 10);
    JsonObject data = JsonParser.parseString(raw.get(0).getFields().get("data")).getAsJsonObject();
    assertThat(data.get("foo").getAsString()).isEqualTo("bar");
    JsonObject meta = data.getAsJsonObject("_dlqMetadata");
    assertThat(meta.keySet()).containsExactly("originalId", "attempts", "consumerGroup",
        "consumerId", "timestamp");
    assertThat(meta.get("originalId").getAsString()).isEqualTo(id);
    assertThat(meta.get("attempts").getAsInt()).isEqualTo(1);
    assertThat(meta.get("consumerGroup").getAsString()).isEqualTo("workers");
    assertThat(meta.get("consumerId").getAsString()).isEqualTo(c.consumerName());
    // epoch milliseconds (the seed wrote a monotonic clock, defect D5): the entry id's time
    // and the server's TIME come from the same clock
    long idMillis = Long.parseLong(id.substring(0, id.indexOf('-')));
    assertThat(meta.get("timestamp").getAsLong()).isGreaterThanOrEqualTo(idMillis);
  }

  @Test
  void anEntryOutOfAttemptsLandsInTheDeadLetters() {
    RedisStream<Foo> s = stream(false);
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    List<Foo> values = Collections.synchronizedList(new ArrayList<>());
    s.process(fast("g").maxAttempts(3).build(), d -> {
      attempts.add(d.attempts());
      values.add(d.value());
      throw new IllegalStateException("boom");
    });
    String id = s.add(new Foo("bar"));
    await().atMost(WAIT).until(() -> s.deadLetterCount() == 1);
    assertThat(attempts).containsExactly(0, 1, 2);
    assertThat(values).containsOnly(new Foo("bar"));
    var dl = s.deadLetters(10).get(0);
    assertThat(dl.id()).isEqualTo(id);
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.payload()).isEqualTo("{\"foo\": \"bar\"}");
    assertThat(dl.error()).contains("boom");
    assertThat(s.groups().get(0).pending()).isZero();
  }
}
