package io.github.redisext.worker;

import io.github.redisext.core.consumer.DeadLetter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Bad data never reaches {@code handle()} altered and is never lost (issue 11, items 2 to 5):
 * payloads that are not UTF-8, JSON {@code null}, the wrong shape under a strict codec, and the two
 * observed losses of a script failing half-way on a wrong-type key.
 */
@RedisBackends
class WorkerBadDataIT {
  private static final String KEY = "{jobs}";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final RedisBackend redis;
  private final UnifiedJedis c;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  WorkerBadDataIT(RedisBackend redis) {
    this.redis = redis;
    this.c = redis.client();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static WorkerOptions.Builder quick() {
    return WorkerOptions.builder().concurrency(1).idleWait(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(3)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(80))
        .shutdownGrace(Duration.ofSeconds(10));
  }

  private TestWorker worker(WorkerOptions o, TestWorker.Body body) {
    TestWorker w = new TestWorker(c, KEY, o, body);
    toClose.add(w);
    return w;
  }

  private WorkQueue<Job> queue() {
    return WorkQueue.create(c, KEY, Job.class);
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] concat(String a, byte[] mid, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[x.length + mid.length + y.length];
    System.arraycopy(x, 0, out, 0, x.length);
    System.arraycopy(mid, 0, out, x.length, mid.length);
    System.arraycopy(y, 0, out, x.length + mid.length, y.length);
    return out;
  }

  @Test
  void aPayloadThatIsNotUtf8IsDeadLetteredWithItsRawBytesAndRequeuedByteForByte() {
    // each would decode (lossily, with U+FFFD) to a valid Job(n) that handle() would get altered
    List<byte[]> bad = List.of(
        concat("{\"n\":1,\"x\":\"", bytes(0xff), "\"}"),               // a byte never in UTF-8
        concat("{\"n\":2,\"x\":\"", bytes(0xc0, 0xaf), "\"}"),         // overlong '/'
        concat("{\"n\":3,\"x\":\"", bytes(0xed, 0xa0, 0x80), "\"}"),   // a UTF-16 surrogate
        concat("{\"n\":4,\"x\":\"", bytes(0xf4, 0x90, 0x80, 0x80), "\"}"), // above U+10FFFF
        concat("{\"n\":5,\"x\":\"", bytes(0xe2, 0x82), "\"}"),         // truncated sequence
        concat("{\"n\":6,\"x\":\"", bytes(0x80), "\"}"));              // lone continuation byte
    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    for (byte[] b : bad) {
      c.rpush(key, b);
    }
    c.rpush(KEY, "{\"n\":7,\"x\":\"é€😀\"}"); // valid non-ASCII UTF-8 goes through
    List<Integer> seen = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().build(), j -> seen.add(j.n()));
    w.startInBackground();
    await().atMost(WAIT).until(() -> seen.contains(7) && queue().deadLetterCount() == bad.size());
    w.close();
    assertThat(seen).containsExactly(7);

    List<DeadLetter> letters = queue().deadLetters(100);
    assertThat(letters).hasSize(bad.size());
    for (int i = 0; i < bad.size(); i++) {
      DeadLetter d = letters.get(i);
      assertThat(d.rawPayload()).as("letter %d", i).isEqualTo(bad.get(i));
      assertThat(d.error()).startsWith("undecodable payload: not valid UTF-8")
          .contains("raw bytes kept");
      assertThat(d.attempts()).isEqualTo(1);
    }
    assertThat(queue().requeue(letters)).isEqualTo(bad.size());
    List<byte[]> back = c.lrange(key, 0, -1);
    assertThat(back).hasSize(bad.size());
    for (int i = 0; i < bad.size(); i++) {
      assertThat(back.get(i)).as("requeued %d", i).isEqualTo(bad.get(i));
      assertThat(c.lindex(key, i)).isEqualTo(bad.get(i));
    }
    assertThat(queue().deadLetterCount()).isZero();
  }

  @Test
  void aTaskOfAnyPayloadThatCrashedItsWorkerKeepsItsRawBytesInTheDeadLetterList() {
    // recover.lua dead-letters a dead worker's task with no attempts left: its raw bytes are kept
    byte[] payload = concat("{\"n\":1,\"x\":\"", bytes(0xfe, 0xff), "\"}");
    c.zadd(KEY + ":workers", 1, "dead-1");
    c.hset((KEY + ":inflight:dead-1").getBytes(StandardCharsets.UTF_8),
        "8".getBytes(StandardCharsets.UTF_8), payload);
    TestWorker w = worker(quick().maxAttempts(1).lease(Duration.ofMillis(600)).build(),
        j -> { });
    w.startInBackground();
    await().atMost(WAIT).until(() -> queue().deadLetterCount() == 1);
    DeadLetter d = queue().deadLetters(1).get(0);
    assertThat(d.rawPayload()).isEqualTo(payload);
    assertThat(d.error()).contains("dead-1", "expired");
  }

  @Test
  void aJsonNullPayloadIsDeadLetteredAndHandleNeverSeesNull() {
    List<Job> seen = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().build(), seen::add);
    w.startInBackground();
    c.rpush(KEY, "null", " null ", "{\"n\":1}");
    await().atMost(WAIT).until(() -> seen.size() == 1 && queue().deadLetterCount() == 2);
    assertThat(seen).containsExactly(new Job(1));
    List<DeadLetter> letters = queue().deadLetters(10);
    assertThat(letters).extracting(DeadLetter::payload).containsExactly("null", " null ");
    assertThat(letters).allSatisfy(d -> assertThat(d.error()).startsWith("undecodable payload")
        .contains("JSON null"));
    assertThat(w.stats().deadLettered()).isEqualTo(2);
  }

  record Task(int id, String pad) {}

  private static final class TaskWorker extends RedisWork<Task> {
    private final List<Task> seen = new CopyOnWriteArrayList<>();

    TaskWorker(UnifiedJedis client, Codec<Task> codec, WorkerOptions o) {
      super(client, KEY, codec, o);
    }

    @Override
    protected void handle(Task task) {
      seen.add(task);
    }
  }

  @Test
  void aStrictCodecDeadLettersTheWrongShapeWithItsRawTextWhileTheDefaultIsLenient() {
    c.rpush(KEY, "{\"wrong\":\"shape\"}", "{\"id\":1,\"pad\":\"x\"}", "{\"id\":2}");
    TaskWorker strict = new TaskWorker(c, JsonCodec.of(Task.class).strict(), quick().build());
    toClose.add(strict);
    strict.startInBackground();
    WorkQueue<Task> q = strict.queue();
    await().atMost(WAIT).until(() -> strict.seen.size() == 1 && q.deadLetterCount() == 2);
    assertThat(strict.seen).containsExactly(new Task(1, "x"));
    List<DeadLetter> letters = q.deadLetters(10);
    assertThat(letters).extracting(DeadLetter::payload)
        .containsExactly("{\"wrong\":\"shape\"}", "{\"id\":2}");
    assertThat(letters.get(0).error()).startsWith("undecodable payload").contains("strict");
    strict.close();

    // the default codec is lenient: a producer may add a field before every consumer knows it
    c.rpush(KEY, "{\"id\":3,\"pad\":\"y\",\"added\":true}");
    TaskWorker lenient = new TaskWorker(c, JsonCodec.of(Task.class), quick().build());
    toClose.add(lenient);
    lenient.startInBackground();
    await().atMost(WAIT).until(() -> lenient.seen.size() == 1);
    assertThat(lenient.seen).containsExactly(new Task(3, "y"));
  }

  @Test
  void aDeadLetterListThatIsAStringKeepsTheFailedTaskInFlightUntilItIsFixed() {
    // issue 11: fail.lua removed the task from in-flight, then its RPUSH :dead failed: lost
    c.set(KEY + ":dead", "oops");
    c.rpush(KEY, "not json");
    TestWorker w = worker(quick().build(), j -> { });
    w.startInBackground();
    String inflight = KEY + ":inflight:" + w.workerId();
    await().atMost(WAIT).until(() -> c.hlen(inflight) == 1);
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> c.hlen(inflight) == 1
        && "oops".equals(c.get(KEY + ":dead")));
    c.del(KEY + ":dead");
    await().atMost(WAIT).until(() -> queue().deadLetterCount() == 1);
    assertThat(queue().deadLetters(1).get(0).payload()).isEqualTo("not json");
    assertThat(c.hlen(inflight)).isZero();
  }

  @Test
  void aRetryWaitingWhileTheQueueKeyIsAHashIsNeitherTakenNorCountedUntilItIsFixed() {
    // issue 11: fetch.lua took the retry off :delayed/:parked, counted it, then LPOP failed: lost
    c.zadd(KEY + ":delayed", 0, "5");
    c.hset(KEY + ":parked", "5", "{\"n\":5}");
    c.hset(KEY + ":attempts", "5", "1");
    c.hset(KEY, "not", "a list");
    List<Integer> seen = new CopyOnWriteArrayList<>();
    TestWorker w = worker(quick().build(), j -> seen.add(j.n()));
    w.startInBackground();
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() ->
        c.zscore(KEY + ":delayed", "5") != null && "{\"n\":5}".equals(c.hget(KEY + ":parked", "5"))
            && "1".equals(c.hget(KEY + ":attempts", "5")) && seen.isEmpty());
    c.del(KEY);
    await().atMost(WAIT).until(() -> seen.contains(5));
    assertThat(seen).containsExactly(5);
    await().atMost(WAIT).until(() -> queue().inFlightCount() == 0);
    assertThat(c.hget(KEY + ":attempts", "5")).isNull();
  }
}
