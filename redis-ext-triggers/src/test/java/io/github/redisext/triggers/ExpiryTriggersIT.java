package io.github.redisext.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's workflow through Redis, plus parity: colon actions, re-arming, cancelling. */
@RedisBackends
class ExpiryTriggersIT {
  private final RedisBackend redis;
  private final List<ExpiryTriggers> open = new ArrayList<>();

  ExpiryTriggersIT(RedisBackend redis) {
    this.redis = redis;
  }

  private ExpiryTriggers triggers(String tenant) {
    ExpiryTriggers t = ExpiryTriggers.create(redis.client(), tenant, TriggersOptions.builder()
        .idleWait(Duration.ofMillis(200)).retryBackoff(Duration.ofMillis(50),
            Duration.ofMillis(200)).build());
    open.add(t);
    return t;
  }

  @AfterEach
  void close() {
    open.forEach(ExpiryTriggers::close);
  }

  @Test
  void theCompleteWorkflowWritesTheSectionTenKeyAndFiresTheRegisteredHandlerOnce() {
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = triggers("mimeia").on("process_batch", fired::add).start();
    t.set("process_batch", "wa_123", Duration.ofMillis(600));

    String key = "mimeia:EXPTRIGGER:process_batch:wa_123";
    assertThat(redis.client().get(key)).startsWith("trigger:20");
    assertThat(redis.client().pttl(key)).isPositive();
    assertThat(t.pendingCount()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
    Trigger f = fired.peek();
    assertThat(f.tenant()).isEqualTo("mimeia");
    assertThat(f.action()).isEqualTo("process_batch");
    assertThat(f.identifier()).isEqualTo("wa_123");
    assertThat(f.key()).isEqualTo(key);
    assertThat(f.attempt()).isEqualTo(1);
    assertThat(f.adopted()).isFalse();
    assertThat(f.firedAt()).isAfterOrEqualTo(f.dueAt());
    await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
    assertThat(fired).hasSize(1);
  }

  @Test
  void theRegistryFindsAHandlerByTheActionWhateverItsColons() {
    Queue<String> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = triggers("acme").on("user:profile:update", x -> fired.add(x.identifier()))
        .start();
    t.set("user:profile:update", "user:123", Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.contains("user_123"));
    assertThat(redis.client().exists("acme:EXPTRIGGER:user_profile_update:user_123")).isFalse();
    assertThat(fired).containsExactly("user_123");
  }

  @Test
  void aTriggerReArmedFiveTimesFiresOnceAtTheLastDeadline() {
    Queue<Trigger> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = triggers("acme").on("batch", fired::add).start();
    java.time.Instant last = null;
    for (int i = 0; i < 5; i++) {
      last = t.set("batch", "wa_1", Duration.ofMillis(500 + 100L * i));
    }
    assertThat(t.dueAt("batch", "wa_1")).contains(last);
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
    assertThat(fired.peek().dueAt()).isEqualTo(last);
    assertThat(fired.peek().firedAt()).isAfterOrEqualTo(last);
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
        .until(() -> fired.size() == 1);
  }

  @Test
  void cancelAndCancelAllRemoveTriggersAndTheirKeysWithoutFiring() {
    Queue<String> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = triggers("acme");
    t.on("a", x -> fired.add(x.key())).on("b", x -> fired.add(x.key()))
        .on("c:d", x -> fired.add(x.key()));
    t.set("a", "u:1", Duration.ofMillis(700));
    t.set("b", "u:1", Duration.ofMillis(700));
    t.set("c:d", "u:1", Duration.ofMillis(700));
    t.set("a", "u:2", Duration.ofMillis(700));
    t.set("b", "u:2", Duration.ofMillis(700));

    assertThat(t.cancel("a", "u:2")).isTrue();
    assertThat(t.cancel("a", "u:2")).isFalse();
    assertThat(redis.client().exists("acme:EXPTRIGGER:a:u_2")).isFalse();
    assertThat(t.cancelAll("u:1")).isEqualTo(3);
    assertThat(t.cancelAll("u:1")).isZero();
    assertThat(redis.client().exists("acme:EXPTRIGGER:b:u_1")).isFalse();
    assertThat(t.pendingCount()).isEqualTo(1);

    t.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
    assertThat(fired).containsExactly("acme:EXPTRIGGER:b:u_2");
  }

  @Test
  void cancelAllTakesOnlyThatIdentifiersTriggersNotThoseOfIdentifiersItPrefixes() {
    Queue<String> fired = new ConcurrentLinkedQueue<>();
    ExpiryTriggers t = triggers("acme");
    t.on("a", x -> fired.add(x.key())).on("b", x -> fired.add(x.key()));
    t.setAll("a", List.of("u1", "u10", "u1x", "u", "u1;", "u1:z"), Duration.ofMillis(700));
    t.set("b", "u1", Duration.ofMillis(700));
    t.set("b", "u1:z", Duration.ofMillis(700));

    assertThat(t.cancelAll("nobody")).isZero();
    assertThat(t.cancelAll("u1")).isEqualTo(2);
    assertThat(redis.client().exists("acme:EXPTRIGGER:a:u1")).isFalse();
    assertThat(redis.client().exists("acme:EXPTRIGGER:b:u1")).isFalse();
    assertThat(t.cancelAll("u1:z")).isEqualTo(2);
    assertThat(t.pendingCount()).isEqualTo(4);

    t.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 4);
    assertThat(fired).containsExactlyInAnyOrder("acme:EXPTRIGGER:a:u10", "acme:EXPTRIGGER:a:u1x",
        "acme:EXPTRIGGER:a:u", "acme:EXPTRIGGER:a:u1;");
  }

  @Test
  void setAllArmsEveryIdentifierOverManyPipelinedCallsAndACallThatMeetsAWrongTypeChangesNothing() {
    ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "bulk", TriggersOptions.builder()
        .shards(2).build());
    open.add(t);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      ids.add("i" + i);
    }
    // about 1,250 per shard: two script calls each, four in the pipeline
    assertThat(t.setAll("job", ids, Duration.ofMinutes(5))).isEqualTo(2_500);
    assertThat(t.pendingCount()).isEqualTo(2_500);
    for (String id : List.of("i0", "i1249", "i2499")) {
      assertThat(redis.client().get("bulk:EXPTRIGGER:job:" + id)).startsWith("trigger:20");
      assertThat(redis.client().pttl("bulk:EXPTRIGGER:job:" + id)).isBetween(1L, 300_000L);
      assertThat(t.dueAt("job", id)).isPresent();
    }
    assertThat(t.cancelAll("i7")).isOne();

    // shard 1's actions SET holds another type: shard 0's calls apply, shard 1's change nothing
    redis.client().rename("{bulk:rx-triggers:1}:actions", "{bulk:rx-triggers:1}:parked");
    redis.client().set("{bulk:rx-triggers:1}:actions", "oops");
    List<String> again = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      again.add("j" + i);
    }
    assertThatThrownBy(() -> t.setAll("job", again, Duration.ofMinutes(5)))
        .isInstanceOfSatisfying(io.github.redisext.core.WrongTypeException.class,
            e -> assertThat(e.key()).isEqualTo("{bulk:rx-triggers:1}:actions"));
    long armed = again.stream().filter(id -> t.dueAt("job", id).isPresent()).count();
    long written = again.stream()
        .filter(id -> redis.client().exists("bulk:EXPTRIGGER:job:" + id)).count();
    assertThat(armed).isEqualTo(written).isBetween(1L, 2_499L);
    assertThat(t.pendingCount()).isEqualTo(2_499 + armed);
  }

  @Test
  void aFailingHandlerIsRetriedWithBackoffThenKeptAsADeadLetterThatCanBeRequeued() {
    AtomicInteger calls = new AtomicInteger();
    Queue<Integer> attempts = new ConcurrentLinkedQueue<>();
    AtomicInteger failUntil = new AtomicInteger(Integer.MAX_VALUE);
    ExpiryTriggers t = ExpiryTriggers.create(redis.client(), "acme", TriggersOptions.builder()
        .maxAttempts(3).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
        .idleWait(Duration.ofMillis(200)).build());
    open.add(t);
    Queue<java.time.Instant> dues = new ConcurrentLinkedQueue<>();
    t.on("flaky", x -> {
      attempts.add(x.attempt());
      dues.add(x.dueAt());
      if (calls.incrementAndGet() < failUntil.get()) {
        throw new IllegalStateException("boom " + x.attempt());
      }
    }).start();
    java.time.Instant due = t.set("flaky", "id:7", Duration.ofMillis(100));
    await().atMost(Duration.ofSeconds(20)).until(() -> t.deadLetterCount() == 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    // retries are late against the deadline of the arming, not against their retry time
    assertThat(dues).containsExactly(due, due, due);
    var dead = t.deadLetters(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).id()).isEqualTo("acme:EXPTRIGGER:flaky:id_7");
    assertThat(dead.get(0).error()).contains("boom 3");
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(dead.get(0).topic()).contains("flaky");

    failUntil.set(0);
    assertThat(t.requeue(dead)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() == 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> t.pendingCount() == 0);
    assertThat(t.deadLetterCount()).isZero();
  }

  @Test
  void badArgumentsAreRejectedNamingWhatIsWrong() {
    ExpiryTriggers t = triggers("acme");
    assertThatThrownBy(() -> t.set("a", "b", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> t.set("a", "b", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> t.set(null, "b", Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("action");
    assertThatThrownBy(() -> ExpiryTriggers.create(redis.client(), "a:b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contains ':'");
    t.close();
    assertThatThrownBy(() -> t.set("a", "b", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("triggers 'acme' is closed");
    assertThatThrownBy(t::pendingCount).isInstanceOf(IllegalStateException.class);
  }
}
