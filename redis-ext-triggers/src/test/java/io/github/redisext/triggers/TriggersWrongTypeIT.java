package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Atomic or nothing: each key of the family holding a value of another type makes every public
 * operation that touches it fail with a {@link WrongTypeException} naming the key, with nothing
 * changed; once the key is fixed, every trigger still fires exactly once. On a cluster the TTL key
 * lives in another slot than the script's keys and is written by a plain SET after the script, so
 * its type cannot be checked atomically there (the row is skipped; see the README).
 */
@RedisBackends
class TriggersWrongTypeIT {
  private static final String TAG = "{wt:rx-triggers:0}";
  private static final String TTL_U1 = "wt:EXPTRIGGER:job:u1";

  /** Every key of the family, the type kept there, and the operations that touch it. */
  enum Family {
    DUE(TAG + ":due", "zset", Set.of("set", "cancel", "cancelAll", "pendingCount", "requeue")),
    DUE_AT(TAG + ":due-at", "hash", Set.of("set", "cancel", "cancelAll", "requeue")),
    LEASES(TAG + ":leases", "hash", Set.of("set", "cancel", "cancelAll", "requeue")),
    ATTEMPTS(TAG + ":attempts", "hash", Set.of("set", "cancel", "cancelAll", "requeue")),
    ADOPTED(TAG + ":adopted", "hash", Set.of("set", "cancel", "cancelAll", "requeue")),
    DEAD(TAG + ":dead", "hash", Set.of("set", "cancel", "cancelAll", "requeue", "purge",
        "deadLetterCount", "deadLetters")),
    ACTIONS(TAG + ":actions", "set", Set.of("set", "cancelAll")),
    OWED(TAG + ":ttl-owed", "zset", Set.of("set")),
    TTL_KEY(TTL_U1, "string", Set.of("set", "cancel")),
    FIRED_MARKER(TAG + ":fired:" + TTL_U1, "string", Set.of());

    final String key;
    final String type;
    final Set<String> ops;

    Family(String key, String type, Set<String> ops) {
      this.key = key;
      this.type = type;
      this.ops = ops;
    }
  }

  private record Op(String name, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(ExpiryTriggers t) throws Exception;
  }

  private static DeadLetter deadU1() {
    return DeadLetter.builder(TTL_U1, TTL_U1.getBytes(StandardCharsets.UTF_8)).ref(TTL_U1).build();
  }

  private static final List<Op> OPS = List.of(
      new Op("set", t -> t.set("job", "u1", Duration.ofMillis(100))),
      new Op("cancel", t -> t.cancel("job", "u1")),
      new Op("cancelAll", t -> t.cancelAll("u1")),
      new Op("pendingCount", ExpiryTriggers::pendingCount),
      new Op("deadLetterCount", ExpiryTriggers::deadLetterCount),
      new Op("deadLetters", t -> t.deadLetters(10)),
      new Op("requeue", t -> t.requeue(List.of(deadU1()))),
      new Op("purge", t -> t.purge(List.of(deadU1()))));

  private final RedisBackend redis;
  private final List<ExpiryTriggers> open = new ArrayList<>();

  TriggersWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void close() {
    open.forEach(ExpiryTriggers::close);
  }

  private ExpiryTriggers triggers() {
    ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "wt", TriggersOptions.builder()
        .shards(1).idleWait(Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(20),
            Duration.ofMillis(100)).build());
    open.add(t);
    return t;
  }

  private List<String> allKeys() {
    List<String> keys = new ArrayList<>();
    for (Family f : Family.values()) {
      keys.add(f.key);
    }
    keys.add("wt:EXPTRIGGER:job:u2");
    return keys;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Family.class)
  void aKeyOfAnotherTypeFailsEveryOperationThatTouchesItNamingItAndChangesNothing(Family f) {
    if (f == Family.TTL_KEY) {
      redis.assumeNot("the TTL key is in another slot than the script's keys", BackendKind.CLUSTER);
    }
    if (f == Family.OWED) {
      redis.assumeKind("only a cluster notes TTL keys owed (elsewhere the script writes them)",
          BackendKind.CLUSTER);
    }
    UnifiedJedis c = redis.client();
    ExpiryTriggers t = triggers();
    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    t.on("job", x -> fired.computeIfAbsent(x.identifier(), k -> new AtomicInteger())
        .incrementAndGet());
    t.set("job", "u1", Duration.ofMillis(200));
    t.set("job", "u2", Duration.ofMillis(200));
    // the TTL keys must not expire while the dumps are compared (the triggers fire from the
    // sorted set at their due time regardless)
    c.persist(TTL_U1);
    c.persist("wt:EXPTRIGGER:job:u2");
    // park the real content and put a value of another type there
    String backup = f == Family.TTL_KEY ? null : TAG + ":backup";
    if (c.exists(f.key)) {
      if (backup != null) {
        c.rename(f.key, backup);
      } else {
        c.del(f.key);
      }
    }
    if (f.type.equals("string")) {
      c.rpush(f.key, "oops");
    } else {
      c.set(f.key, "oops");
    }
    Map<String, String> before = KeyDump.of(c, allKeys());

    for (Op op : OPS) {
      if (!f.ops.contains(op.name())) {
        continue;
      }
      Throwable e = catchThrowable(() -> op.action().run(t));
      assertThat(e).as(op.name()).isInstanceOfSatisfying(WrongTypeException.class,
          w -> assertThat(w.key()).isEqualTo(f.key));
      assertThat(KeyDump.of(c, allKeys())).as(op.name()).isEqualTo(before);
    }

    if (f == Family.FIRED_MARKER) {
      // the consumer fires, but cannot settle while the marker holds another type: the batch
      // with u1 stays leased (renewed), nothing fires twice
      t.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 2);
      assertThat(t.pendingCount()).isBetween(1L, 2L);
      assertThat(t.dueAt("job", "u1")).isEmpty();
    }
    c.del(f.key);
    if (backup != null && c.exists(backup)) {
      c.rename(backup, f.key);
    }
    // (a TTL key is not put back: it would have expired by now; written again with a later
    // expiry it would be a new trigger by another writer, adopted by the sweep)
    if (f != Family.FIRED_MARKER) {
      t.start();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
    assertThat(fired.get("u1").get()).isOne();
    assertThat(fired.get("u2").get()).isOne();
  }
}
