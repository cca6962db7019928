package io.github.redisext.worker;

import io.github.redisext.core.consumer.DeadLetter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The per-key wrong-type sweep (issue 11, item 2): for EACH key of a queue's key family, with data
 * in every other key (queued, claimed and in-flight tasks of a dead worker, a due retry, a dead
 * letter), a value of the wrong type in that key makes EACH public operation that touches it fail
 * with a {@link WrongTypeException} naming the key and change nothing, leaves the operations that
 * do not touch it working, and leaves a running worker's threads logging the key while no task is
 * lost: once the key is fixed, every task is delivered.
 */
@RedisBackends
class RedisWorkWrongTypeIT {
  private static final String KEY = "{jobs}";
  private static final String DEAD_WORKER = "dead-1";
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final Set<Integer> ALL_TASKS = Set.of(1, 2, 10, 11, 12, 20, 30);

  private final RedisBackend redis;
  private final UnifiedJedis c;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  RedisWorkWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
    this.c = redis.client();
  }

  /** One key of the family: its name (given the live worker's id) and the type the worker keeps. */
  private record KeyCase(String name, String type, Function<String, String> key) {}

  private static final List<KeyCase> KEYS = List.of(
      new KeyCase("queue", "list", w -> KEY),
      new KeyCase("workers", "zset", w -> KEY + ":workers"),
      new KeyCase("delayed", "zset", w -> KEY + ":delayed"),
      new KeyCase("parked", "hash", w -> KEY + ":parked"),
      new KeyCase("attempts", "hash", w -> KEY + ":attempts"),
      new KeyCase("seq", "string", w -> KEY + ":seq"),
      new KeyCase("dead", "list", w -> KEY + ":dead"),
      new KeyCase("dead worker's in-flight", "hash", w -> KEY + ":inflight:" + DEAD_WORKER),
      new KeyCase("dead worker's claim", "list", w -> KEY + ":claim:" + DEAD_WORKER),
      new KeyCase("live worker's in-flight", "hash", w -> KEY + ":inflight:" + w),
      new KeyCase("live worker's claim", "list", w -> KEY + ":claim:" + w));

  /** One public operation: what it does and which keys it touches (by KeyCase name). */
  private record Op(String name, Set<String> touches, OpBody body) {}

  @FunctionalInterface
  private interface OpBody {
    void run(WorkQueue<Job> q, List<DeadLetter> letters);
  }

  private static final List<Op> OPS = List.of(
      new Op("push", Set.of("queue"), (q, l) -> q.push(new Job(90))),
      new Op("pushAll", Set.of("queue"), (q, l) -> q.pushAll(List.of(new Job(91), new Job(92)))),
      new Op("pushAll (pipelined, 2,500)", Set.of("queue"), (q, l) -> q.pushAll(
          java.util.stream.IntStream.range(0, 2_500).mapToObj(Job::new).toList())),
      new Op("length", Set.of("queue"), (q, l) -> q.length()),
      new Op("delayedCount", Set.of("delayed"), (q, l) -> q.delayedCount()),
      new Op("inFlightCount", Set.of("workers", "dead worker's in-flight", "dead worker's claim"),
          (q, l) -> q.inFlightCount()),
      new Op("deadLetterCount", Set.of("dead"), (q, l) -> q.deadLetterCount()),
      new Op("deadLetters", Set.of("dead"), (q, l) -> q.deadLetters(10)),
      new Op("requeue", Set.of("dead", "queue"), (q, l) -> q.requeue(l)),
      new Op("requeueAllDeadLetters", Set.of("dead", "queue"), (q, l) -> q.requeueAllDeadLetters()),
      new Op("purge", Set.of("dead"), (q, l) -> q.purge(l)),
      new Op("purgeAllDeadLetters", Set.of("dead"), (q, l) -> q.purgeAllDeadLetters()));

  @BeforeEach
  void captureTheLog() {
    // slf4j-simple writes to the current System.err: keep printing it, and keep a copy
    originalErr = System.err;
    PrintStream orig = originalErr;
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        orig.write(b);
        synchronized (log) {
          log.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        orig.write(b, off, len);
        synchronized (log) {
          log.write(b, off, len);
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    System.setErr(originalErr);
  }

  private String logged() {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }

  /** Data in every key: 2 queued, 2 in-flight and 1 claimed at a dead worker, a due retry, a dead letter. */
  private void seed() {
    c.rpush(KEY, "{\"n\":1}", "{\"n\":2}");
    c.zadd(KEY + ":workers", 1, DEAD_WORKER);
    c.hset(KEY + ":inflight:" + DEAD_WORKER, Map.of("10", "{\"n\":10}", "11", "{\"n\":11}"));
    c.rpush(KEY + ":claim:" + DEAD_WORKER, "{\"n\":12}");
    c.zadd(KEY + ":delayed", 0, "20");
    c.hset(KEY + ":parked", "20", "{\"n\":20}");
    c.hset(KEY + ":attempts", Map.of("20", "1", "11", "2"));
    c.set(KEY + ":seq", "100");
    c.rpush(KEY + ":dead", "{\"id\":\"30\",\"attempts\":5,\"failedAt\":1,\"worker\":\"w0\","
        + "\"error\":\"boom\",\"payload\":\"{\\\"n\\\":30}\"}");
  }

  private String dumpKey(String key) {
    return KeyDump.of(c, key);
  }


  private Map<String, String> dump(String liveWorker) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyCase k : KEYS) {
      out.put(k.key().apply(liveWorker), dumpKey(k.key().apply(liveWorker)));
    }
    return out;
  }


  /** Replaces the key's value by one of another type; returns a restorer of the original value. */
  private Runnable breakKey(String key, String type) {
    String t = c.type(key);
    List<String> list = "list".equals(t) ? c.lrange(key, 0, -1) : null;
    Map<String, String> hash = "hash".equals(t) ? c.hgetAll(key) : null;
    List<Tuple> zset = "zset".equals(t) ? c.zrangeWithScores(key, 0, -1) : null;
    String str = "string".equals(t) ? c.get(key) : null;
    c.del(key);
    if ("string".equals(type)) {
      c.rpush(key, "oops");
    } else {
      c.set(key, "oops");
    }
    // the fix is atomic (built aside, then RENAMEd over the wrong-type key): a worker's recovery
    // running between a DEL and the rewrite would otherwise see the key empty and drop it
    String aside = key + ":restore"; // same hash tag, same slot
    return () -> {
      c.del(aside);
      if (list != null) {
        c.rpush(aside, list.toArray(new String[0]));
      } else if (hash != null) {
        c.hset(aside, hash);
      } else if (zset != null) {
        for (Tuple x : zset) {
          c.zadd(aside, x.getScore(), x.getElement());
        }
      } else if (str != null) {
        c.set(aside, str);
      }
      if (c.exists(aside)) {
        c.rename(aside, key);
      } else {
        c.del(key);
      }
    };
  }

  @Test
  void everyOperationTouchingAWrongTypeKeyFailsNamingItAndChangesNothing() {
    WorkQueue<Job> q = WorkQueue.create(c, KEY, Job.class);
    String live = "live-1";
    int failures = 0;
    for (KeyCase k : KEYS) {
      String bad = k.key().apply(live);
      for (Op op : OPS) {
        redis.flushAll();
        seed();
        Map<String, String> seeded = dump(live);
        List<DeadLetter> letters = q.deadLetters(10);
        Runnable fix = breakKey(bad, k.type());
        Map<String, String> before = dump(live);
        Throwable thrown = catchThrowable(() -> op.body().run(q, letters));
        String what = op.name() + " with a wrong-type " + k.name() + " key (" + bad + ")";
        if (op.touches().contains(k.name())) {
          assertThat(thrown).as(what).isInstanceOf(WrongTypeException.class);
          WrongTypeException e = (WrongTypeException) thrown;
          assertThat(e.key()).as(what).isEqualTo(bad);
          assertThat(e.expectedType()).as(what).isEqualTo(k.type());
          assertThat(e.getMessage()).as(what).contains("nothing was changed");
          assertThat(dump(live)).as(what + ": nothing changed").isEqualTo(before);
          failures++;
          fix.run();
          assertThat(dump(live)).as(what + ": once fixed, every task is where it was")
              .isEqualTo(seeded);
        } else {
          assertThat(thrown).as(what + " does not touch it").isNull();
          assertThat(dumpKey(bad)).as(what).isEqualTo(before.get(bad));
        }
      }
    }
    assertThat(failures).isEqualTo(OPS.stream().mapToInt(o -> o.touches().size()).sum());
  }

  @Test
  void aRunningWorkerLogsTheWrongTypeKeyLosesNothingAndDeliversEverythingOnceItIsFixed() {
    for (KeyCase k : KEYS) {
      redis.flushAll();
      seed();
      Map<Integer, Integer> seen = new ConcurrentHashMap<>();
      TestWorker w = new TestWorker(c, KEY, WorkerOptions.builder().concurrency(2)
          .idleWait(Duration.ofMillis(200)).lease(Duration.ofMillis(600))
          .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(80)).build(),
          j -> seen.merge(j.n(), 1, Integer::sum));
      toClose.add(w);
      String bad = k.key().apply(w.workerId());
      String what = "a wrong-type " + k.name() + " key (" + bad + ")";
      Runnable fix = breakKey(bad, k.type());
      Object badValue = dumpKey(bad);
      w.startInBackground();
      await().atMost(WAIT).alias(what + " is logged")
          .until(() -> logged().contains("key '" + bad + "' holds a"));
      await().during(Duration.ofMillis(700)).atMost(WAIT).alias(what + " stays as it is")
          .until(() -> badValue.equals(dumpKey(bad)));
      fix.run();
      q(w).requeueAllDeadLetters();
      await().atMost(WAIT).alias(what + ": every task delivered after the fix")
          .until(() -> seen.keySet().containsAll(ALL_TASKS));
      assertThat(seen.keySet()).as(what).isEqualTo(ALL_TASKS);
      w.close();
      assertThat(q(w).length()).as(what).isZero();
      assertThat(q(w).deadLetterCount()).as(what).isZero();
    }
  }

  private static WorkQueue<Job> q(TestWorker w) {
    return w.queue();
  }
}
