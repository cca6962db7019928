package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * Triggers written the Python way (a bare {@code SETEX}, no sorted-set entry) fire a Java handler
 * once across several Java listeners: adopted from expired events (real servers: jedis-mock
 * expires keys only when they are read, so it publishes an expired event only then) and from
 * sweeps (every backend); and a Java set still fires a
 * Python-style {@code __keyevent@0__:expired} listener.
 */
@RedisBackends
class PythonInteropIT {
  private final RedisBackend redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  PythonInteropIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private ExpiryTriggers started(String tenant, TriggersOptions o, Queue<Trigger> fired) {
    ExpiryTriggers t = ExpiryTriggers.create(redis.newClient(), tenant, o);
    open.add(t);
    return t.on("process_batch", fired::add).start();
  }

  @Test
  void aPythonSetexFiresTheJavaHandlerOnceAcrossThreeListenersThroughExpiredEvents() {
    redis.assumeKind("jedis-mock has no active expiry: no expired event until a key is read; "
        + "6.2's events are the same as 7's (CI time)",
        BackendKind.STANDALONE, BackendKind.CLUSTER);
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    // a long sweep interval: after the first sweep only the expired events can adopt them
    TriggersOptions o = TriggersOptions.builder().sweepInterval(Duration.ofMinutes(10)).build();
    List<ExpiryTriggers> three = List.of(started("py", o, fired), started("py", o, fired),
        started("py", o, fired));
    await().atMost(Duration.ofSeconds(20)).until(() -> three.stream().allMatch(t ->
        t.health().subscribed() && t.health().sweeps() >= 1));
    for (int i = 0; i < 20; i++) {
      redis.client().setex("py:EXPTRIGGER:process_batch:wa_" + i, 1, "trigger:2025-06-08T21:03:50");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() >= 20);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> fired.size() == 20);
    assertThat(fired.stream().map(Trigger::identifier).distinct().count()).isEqualTo(20);
    assertThat(fired).allMatch(Trigger::adopted);
    assertThat(three.get(0).health().keyspaceEvents()).isTrue();
  }

  @Test
  void aPythonSetexWrittenBeforeAnyListenerRanIsAdoptedBySweepAndFiresAtItsDeadline() {
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    redis.client().setex("py:EXPTRIGGER:process_batch:early", 2, "trigger:2025-06-08T21:03:50");
    redis.client().setex("py:EXPTRIGGER:process_batch:rearmed", 1, "trigger:2025-06-08T21:03:50");
    TriggersOptions o = TriggersOptions.builder().listen(false)
        .sweepInterval(Duration.ofMinutes(10)).build();
    ExpiryTriggers a = started("py", o, fired);
    ExpiryTriggers b = started("py", o, fired);
    await().atMost(Duration.ofSeconds(20)).until(() -> a.health().sweeps() >= 1
        && b.health().sweeps() >= 1);
    assertThat(a.pendingCount()).isEqualTo(2);
    // the Python writer re-arms one after its adoption: it fires at the new deadline, once
    redis.client().setex("py:EXPTRIGGER:process_batch:rearmed", 2, "trigger:2025-06-08T21:03:51");
    await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 2);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> fired.size() == 2);
    assertThat(fired).extracting(Trigger::identifier).containsExactlyInAnyOrder("early", "rearmed");
    assertThat(fired).allMatch(Trigger::adopted);
    assertThat(a.health().keyspaceEvents()).isFalse();
  }

  @Test
  void aSetexWrittenWithRedisCliFiresAJavaHandler() throws Exception {
    redis.assumeKind("redis-cli talks to a real server (7.0 and the cluster; CI time)",
        BackendKind.STANDALONE, BackendKind.CLUSTER);
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    started("cli", TriggersOptions.defaults(), fired);
    HostAndPort node = redis.nodes().iterator().next();
    Process p = new ProcessBuilder("redis-cli", "-c", "-h", node.getHost(), "-p",
        Integer.toString(node.getPort()), "SETEX", "cli:EXPTRIGGER:process_batch:wa_9", "1",
        "trigger:2025-06-08T21:03:50.123456").redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 1);
    assertThat(fired.peek().key()).isEqualTo("cli:EXPTRIGGER:process_batch:wa_9");
  }

  @Test
  void aJavaSetStillFiresAPythonStyleExpiredListener() {
    redis.assumeKind("one node's keyspace events (7.0; 6.2's are the same; CI time)",
        BackendKind.STANDALONE);
    Queue<String> events = new ConcurrentLinkedQueue<>();
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = started("java", TriggersOptions.defaults(), fired);
    UnifiedJedis sub = redis.newClient();
    open.add(sub);
    RedisSubscriber s = RedisSubscriber.start(sub, "python-listener",
        (ch, key) -> events.add(key), "__keyevent@0__:expired");
    open.add(0, s);
    await().atMost(Duration.ofSeconds(20)).until(() -> s.isSubscribed()
        && t.health().keyspaceEvents());
    t.set("process_batch", "wa:5", Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        events.contains("java:EXPTRIGGER:process_batch:wa_5") && fired.size() == 1);
    // the Java listener knows its own trigger's late event: no second firing
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> fired.size() == 1);
  }

  @Test
  void aPythonTriggerDeletedByItsWriterAfterAdoptionDoesNotFireWhenDeletesAreFollowed() {
    redis.assumeKind("jedis-mock has no active expiry (no event until a key is read); 6.2's "
        + "events are the same as 7's (CI time)", BackendKind.STANDALONE, BackendKind.CLUSTER);
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    redis.client().setex("del:EXPTRIGGER:process_batch:gone", 2, "trigger:2025-06-08T21:03:50");
    redis.client().setex("del:EXPTRIGGER:process_batch:kept", 2, "trigger:2025-06-08T21:03:50");
    ExpiryTriggers t = started("del", TriggersOptions.builder().followDeletes(true).build(), fired);
    await().atMost(Duration.ofSeconds(20)).until(() -> t.health().subscribed()
        && t.pendingCount() == 2);
    redis.client().del("del:EXPTRIGGER:process_batch:gone"); // Python's RedisTrigger.delete
    await().atMost(Duration.ofSeconds(20)).until(() -> t.pendingCount() == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> fired.size() == 1);
    assertThat(fired.peek().identifier()).isEqualTo("kept");
  }
}
