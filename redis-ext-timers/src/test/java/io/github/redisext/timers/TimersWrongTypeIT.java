package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.testing.KeyDump;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.internal.DeadRecord;
import io.github.redisext.timers.internal.KeyLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The per-key wrong-type sweep (issue 11, item 2): for every key of the timers family and of
 * {@link RedisLock}, a value of another type is put there while the other keys hold data (a due
 * timer, a future timer with failed attempts, a dead timer, a held lock); then every public
 * operation that touches Redis is run. An operation that uses the key fails with a {@link
 * WrongTypeException} naming it and changes nothing (a dump of every key is compared); once the key
 * is fixed every item is still there and the due timer fires. The consumer loop keeps the timers
 * too: nothing is lost while a key has the wrong type, and everything fires once it is fixed.
 */
@RedisBackends
class TimersWrongTypeIT {
  private static final String TOPIC = "test_handler";
  private static final String BAD_TOPIC_PAYLOAD = "{not json";

  private final RedisBackend redis;
  private final UnifiedJedis client;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();

  TimersWrongTypeIT(RedisBackend redis) {
    this.redis = redis;
    this.client = redis.client();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  /** Python layout on standalone and mock, sharded over 3 tags on the cluster. */
  private TimersOptions options() {
    TimersOptions.Builder b = TimersOptions.builder().lease(Duration.ofMillis(500))
        .idleWait(Duration.ofMillis(100));
    return (redis.isCluster() ? b.sharded("timers", 3) : b).build();
  }

  private Timers<Void> timers() {
    Timers<Void> t = Timers.builder(client, (Void) null)
        .include(new Router<Void>().handler(TOPIC, TestPayload.class, (p, ctx) ->
            fired.computeIfAbsent(p.message(), k -> new AtomicInteger()).incrementAndGet()))
        .options(options()).build();
    opened.add(t);
    return t;
  }

  private RedisLock lock(String name) {
    RedisLock l = RedisLock.create(client, name, LockOptions.builder().autoRenew(false).build());
    opened.add(l);
    return l;
  }

  // ------------------------------------------------------------------ the family's keys

  /** One key of the family: how to name it, what type it must hold, what wrong value to put. */
  private record Target(String role, String key, String expectedType) {
    void breakIt(UnifiedJedis c) {
      c.del(key);
      if ("string".equals(expectedType)) {
        c.hset(key, "wrong", "type");
      } else {
        c.set(key, "oops");
      }
    }
  }

  /** The fixture: timer ids that all fall into one shard, and the keys around them. */
  private final class Fixture {
    final Timers<Void> timers = timers();
    final KeyLayout keys = KeyLayout.of(timers.options());
    final String due;      // due now, good payload
    final String future;   // due in an hour, two failed attempts so far
    final String dead;     // a dead timer with its payload
    final String extra;    // used by the operations that set a timer
    final int shard;
    final RedisLock holder = lock("wt-lock");
    List<DeadLetter> deadLetters = List.of(); // listed by seed(), before a key is broken

    Fixture() {
      List<String> ids = idsInOneShard(keys, 4);
      due = ids.get(0);
      future = ids.get(1);
      dead = ids.get(2);
      extra = ids.get(3);
      shard = keys.shardOf(member(due));
    }

    String member(String id) {
      return keys.timerKey(TOPIC, id);
    }

    void seed() {
      timers.setTimer(TOPIC, due, new TestPayload(due, 1), Duration.ZERO);
      timers.setTimer(TOPIC, future, new TestPayload(future, 2), Duration.ofHours(1));
      client.hset(keys.attempts(shard), member(future), "2");
      client.hset(keys.dead(shard), member(dead), new DeadRecord("{\"message\":\"" + dead
          + "\",\"count\":3}", "boom", 5, 1).toJson());
      assertThat(holder.tryLock(Duration.ZERO, Duration.ofMinutes(5))).isTrue();
      deadLetters = timers.deadLetters(100);
    }

    List<Target> targets() {
      return List.of(
          new Target("timeline", keys.timeline(shard), "zset"),
          new Target("payloads", keys.payloads(shard), "hash"),
          new Target("attempts", keys.attempts(shard), "hash"),
          new Target("dead", keys.dead(shard), "hash"),
          new Target("timer lock", keys.lockPrefix(shard) + member(due), "string"),
          new Target("RedisLock lock", holder.key(), "string"),
          new Target("RedisLock fence", "{wt-lock}:fence", "string"));
    }

    /** Every key of the family this test can touch (all shards, every lock key). */
    Set<String> allKeys() {
      Set<String> all = new LinkedHashSet<>();
      for (int s = 0; s < keys.shards(); s++) {
        all.add(keys.timeline(s));
        all.add(keys.payloads(s));
        all.add(keys.attempts(s));
        all.add(keys.dead(s));
      }
      for (String id : List.of(due, future, dead, extra, "other-0", "other-1", "other-2")) {
        all.add(keys.lockPrefix(keys.shardOf(member(id))) + member(id));
      }
      all.add(holder.key());
      all.add("{wt-lock}:fence");
      return all;
    }

    /** The items are all there and the due timer fires (once the key was fixed). */
    void assertEverythingThereAndDelivered() {
      assertThat(timers.pendingTimers()).extracting(PendingTimer::timerId)
          .containsExactlyInAnyOrder(due, future);
      assertThat(client.hget(keys.attempts(shard), member(future))).isEqualTo("2");
      assertThat(timers.deadLetters(100)).extracting(DeadLetter::id).containsExactly(dead);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        timers.handleReadyTimers();
        assertThat(fired.get(due)).hasValue(1);
      });
      assertThat(timers.pendingTimers()).extracting(PendingTimer::timerId)
          .containsExactly(future);
    }
  }

  /** {@code n} timer ids whose timer keys all fall into one shard. */
  private static List<String> idsInOneShard(KeyLayout keys, int n) {
    List<String> out = new ArrayList<>();
    int target = keys.shardOf(keys.timerKey(TOPIC, "t0"));
    for (int i = 0; out.size() < n; i++) {
      if (keys.shardOf(keys.timerKey(TOPIC, "t" + i)) == target) {
        out.add("t" + i);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ dumps

  private Map<String, String> dump(Set<String> keys) {
    return KeyDump.of(client, keys);
  }


  /**
   * Puts a key back as it was in a dump of the family (what "fixing the key" means here), in one
   * step: the content is written to a temporary key in the same slot and renamed over the broken
   * one, so a running consumer never sees the key missing (it would rightly move a timer without
   * payload aside).
   */
  private void restore(String key, Fixture f, Map<String, String> before) {
    String entry = before.get(key);
    if (entry.startsWith("none")) {
      client.del(key);
      return;
    }
    String tmp = key + ":restoring";
    client.del(tmp);
    String kind = entry.substring(0, entry.indexOf(' '));
    switch (kind) {
      case "string" -> client.set(tmp, entry.substring("string ".length()),
          key.equals(f.holder.key()) ? SetParams.setParams().px(300_000) : SetParams.setParams());
      case "hash" -> client.hset(tmp, snapshotHashes.get(key));
      case "zset" -> client.zadd(tmp, snapshotScores.get(key));
      default -> throw new AssertionError("cannot restore " + entry);
    }
    client.rename(tmp, key);
  }

  private final Map<String, Map<String, String>> snapshotHashes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Double>> snapshotScores = new ConcurrentHashMap<>();

  private void snapshot(Set<String> keys) {
    snapshotHashes.clear();
    snapshotScores.clear();
    for (String k : keys) {
      switch (client.type(k)) {
        case "hash" -> snapshotHashes.put(k, client.hgetAll(k));
        case "zset" -> {
          Map<String, Double> m = new LinkedHashMap<>();
          for (Tuple t : client.zrangeWithScores(k, 0, -1)) {
            m.put(t.getElement(), t.getScore());
          }
          snapshotScores.put(k, m);
        }
        default -> { }
      }
    }
  }

  // ------------------------------------------------------------------ operations

  /** A public operation and the roles of the keys it uses. */
  private record Op(String name, Set<String> uses, Consumer<Fixture> run) {}

  private static final Set<String> SET_KEYS = Set.of("timeline", "payloads", "attempts", "dead");
  private static final Set<String> REMOVE_KEYS = Set.of("timeline", "payloads", "attempts");

  private List<Op> operations() {
    return List.of(
        new Op("setTimer", SET_KEYS, f -> f.timers.setTimer(TOPIC, f.extra,
            new TestPayload(f.extra, 9), Duration.ofMinutes(5))),
        new Op("setTimers (several shards on a cluster)", SET_KEYS, f -> {
          List<TimerRequest> batch = new ArrayList<>();
          batch.add(new TimerRequest(TOPIC, f.extra, new TestPayload(f.extra, 9),
              Duration.ofMinutes(5)));
          for (int i = 0; i < 3; i++) {
            batch.add(new TimerRequest(TOPIC, "other-" + i, new TestPayload("o", i),
                Duration.ofMinutes(5)));
          }
          f.timers.setTimers(batch);
        }),
        new Op("removeTimer", REMOVE_KEYS, f -> f.timers.removeTimer(TOPIC, f.future)),
        new Op("removeTimers", REMOVE_KEYS, f -> f.timers.removeTimers(TOPIC,
            List.of(f.future, f.due, "other-1"))),
        new Op("pendingTimers", Set.of("timeline", "payloads"), f -> f.timers.pendingTimers()),
        new Op("pendingCount", Set.of("timeline"), f -> f.timers.pendingCount()),
        new Op("deadLetters", Set.of("dead"), f -> f.timers.deadLetters(100)),
        new Op("deadLetterCount", Set.of("dead"), f -> f.timers.deadLetterCount()),
        new Op("requeue (with a delay)", SET_KEYS, f -> f.timers.requeue(f.deadLetters,
            Duration.ofMinutes(5))),
        new Op("purge", Set.of("dead"), f -> f.timers.purge(f.deadLetters)),
        new Op("handleReadyTimers", Set.of("timeline", "payloads", "attempts", "timer lock"),
            f -> f.timers.handleReadyTimers()),
        new Op("RedisLock.tryLock", Set.of("RedisLock lock", "RedisLock fence"),
            f -> lock("wt-lock").tryLock(Duration.ZERO, Duration.ofSeconds(10))),
        new Op("RedisLock.isHeld", Set.of("RedisLock lock"), f -> f.holder.isHeld()),
        new Op("RedisLock.unlock", Set.of("RedisLock lock"), f -> f.holder.unlock()));
  }

  @Test
  void everyOperationOnAKeyOfTheWrongTypeFailsNamingItAndChangesNothing() {
    int checked = 0;
    List<String> roles = new Fixture().targets().stream().map(Target::role).toList();
    redis.flushAll();
    closeQuietly();
    for (String role : roles) {
      for (Op op : operations()) {
        if (!op.uses().contains(role)) {
          continue;
        }
        redis.flushAll();
        fired.clear();
        Fixture f = new Fixture();
        f.seed();
        Target target = f.targets().stream().filter(t -> t.role().equals(role)).findFirst()
            .orElseThrow();
        Set<String> all = f.allKeys();
        Map<String, String> original = dump(all);
        snapshot(all);
        target.breakIt(client);
        Map<String, String> broken = dump(all);

        String cell = op.name() + " with " + role + " (" + target.key() + ") of the wrong type";
        if (op.name().equals("handleReadyTimers") && role.equals("timer lock")) {
          // the consumer leaves that timer alone (logged with its lock key): nothing changes
          assertThatCode(() -> op.run().accept(f)).as(cell).doesNotThrowAnyException();
          assertThat(fired).as(cell).isEmpty();
        } else {
          Throwable t = catchThrowable(() -> op.run().accept(f));
          assertThat(t).as(cell).isInstanceOf(WrongTypeException.class);
          WrongTypeException w = (WrongTypeException) t;
          assertThat(w.key()).as(cell).isEqualTo(target.key());
          assertThat(w.expectedType()).as(cell).isEqualTo(target.expectedType());
          assertThat(w.getMessage()).as(cell).contains(target.key());
        }
        assertThat(dump(all)).as(cell + ": nothing changed").isEqualTo(broken);

        restore(target.key(), f, original);
        assertThat(dump(all)).as(cell + ": fixed").isEqualTo(original);
        f.assertEverythingThereAndDelivered();
        closeQuietly();
        checked++;
      }
    }
    // 7 keys; every operation is run against each key it uses (8 + 7 + 6 + 6 + 1 + 3 + 1)
    assertThat(checked).isEqualTo(32);
  }

  private void closeQuietly() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        // already closed
      }
    }
    opened.clear();
  }

  @Test
  void operationsThatDoNotUseTheBrokenKeyStillWork() {
    List<String> roles = new Fixture().targets().stream().map(Target::role).toList();
    closeQuietly();
    for (String role : roles) {
      for (Op op : operations()) {
        if (op.uses().contains(role)) {
          continue;
        }
        redis.flushAll();
        Fixture f = new Fixture();
        f.seed();
        f.targets().stream().filter(t -> t.role().equals(role)).findFirst().orElseThrow()
            .breakIt(client);
        assertThatCode(() -> op.run().accept(f))
            .as(op.name() + " with " + role + " of the wrong type").doesNotThrowAnyException();
        closeQuietly();
      }
    }
  }

  @Test
  void theLockWatchdogTreatsALockKeyOfTheWrongTypeAsLostAtOnce() {
    java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
    RedisLock l = RedisLock.create(client, "wt-watchdog", LockOptions.builder()
        .onLeaseLost(x -> lost.set(true)).build());
    opened.add(l);
    assertThat(l.tryLock(Duration.ZERO, Duration.ofSeconds(9))).isTrue();
    new Target("RedisLock lock", l.key(), "string").breakIt(client);

    // renewals run every 3 s; the first one finds the key overwritten and reports the loss then,
    // not only when the 9 s lease would have run out (as for a Redis that cannot be reached)
    await().atMost(Duration.ofSeconds(7)).untilTrue(lost);
    assertThat(l.isRenewing()).isFalse();
    assertThat(client.type(l.key())).isEqualTo("hash");
    assertThat(client.hgetAll(l.key())).isEqualTo(Map.of("wrong", "type"));
  }

  // ------------------------------------------------------------------ the consumer loop

  @Test
  void theLoopLosesNoTimerWhileAKeyHasTheWrongTypeAndFiresThemOnceItIsFixed() {
    List<String> roles = List.of("timeline", "payloads", "attempts", "dead", "timer lock",
        "bad timer lock");
    for (String role : roles) {
      redis.flushAll();
      fired.clear();
      closeQuietly();
      Fixture f = new Fixture();
      // the undecodable timer goes through fail.lua (moved aside): it uses the dead key
      String undecodable = idsInOneShard(f.keys, 6).get(4);
      String badMember = f.member(undecodable);
      f.timers.setTimer(TOPIC, f.due, new TestPayload(f.due, 1), Duration.ZERO);
      f.timers.setTimer(TOPIC, f.future, new TestPayload(f.future, 2), Duration.ofHours(1));
      client.hset(f.keys.payloads(f.shard), badMember, BAD_TOPIC_PAYLOAD);
      client.zadd(f.keys.timeline(f.shard), 1.0, badMember);
      String key = switch (role) {
        case "timeline" -> f.keys.timeline(f.shard);
        case "payloads" -> f.keys.payloads(f.shard);
        case "attempts" -> f.keys.attempts(f.shard);
        case "dead" -> f.keys.dead(f.shard);
        case "timer lock" -> f.keys.lockPrefix(f.shard) + f.member(f.due);
        default -> f.keys.lockPrefix(f.shard) + badMember;
      };
      Target target = new Target(role, key, key.contains("consume-lock") ? "string"
          : role.equals("timeline") ? "zset" : "hash");
      Set<String> all = f.allKeys();
      all.add(f.keys.lockPrefix(f.shard) + badMember);
      Map<String, String> original = dump(all);
      snapshot(all);
      target.breakIt(client);

      f.timers.start();
      String dueId = f.due;
      boolean dueBlocked = !role.equals("dead") && !role.equals("bad timer lock");
      if (dueBlocked) {
        // the timer whose key is broken does not fire, and stays where it was
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
            .until(() -> !fired.containsKey(dueId));
      } else {
        await().atMost(Duration.ofSeconds(10)).until(() -> fired.containsKey(dueId));
      }
      if (role.equals("timer lock")) {
        // only the due timer's lock key is broken: the undecodable one is moved aside as usual
        await().atMost(Duration.ofSeconds(10)).until(() -> f.timers.deadLetters(100).size() == 1);
      } else {
        // the undecodable timer cannot be moved aside while the dead key (or a key the claim
        // needs, or its own lock key) is broken: it is not lost either
        // (and no failed attempt is counted for it: fail.lua writes nothing when it cannot
        // finish)
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5))
            .until(() -> client.type(f.keys.dead(f.shard)).equals(role.equals("dead")
                ? "string" : "none")
                && (role.equals("attempts")
                    || client.hget(f.keys.attempts(f.shard), badMember) == null));
      }

      restore(key, f, original);

      String bad = undecodable;
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(fired.get(dueId)).as(role).hasValue(1);
        assertThat(f.timers.deadLetters(100)).as(role).singleElement().satisfies(d -> {
          assertThat(d.id()).isEqualTo(bad);
          assertThat(d.payload()).isEqualTo(BAD_TOPIC_PAYLOAD);
        });
        // the handler has run; its completion (which removes it from the timeline) is written
        // by the settling thread a moment later
        assertThat(f.timers.pendingTimers()).as(role).extracting(PendingTimer::timerId)
            .containsExactly(f.future);
      });
      f.timers.close();
      assertThat(fired.get(dueId)).as(role + ": fired exactly once").hasValue(1);
    }
  }
}
