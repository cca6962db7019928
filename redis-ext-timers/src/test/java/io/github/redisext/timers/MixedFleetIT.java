package io.github.redisext.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.internal.KeyLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

/**
 * Java consumers sharing a timeline with consumers that serve other topics (issue 11, item 9):
 * with {@link UnknownTopicPolicy#LEAVE} a Java consumer never touches a timer of a topic it does
 * not serve (a Python consumer's), with {@link UnknownTopicPolicy#DEAD_LETTER} (the default) it
 * moves it aside as before.
 */
@RedisBackends
class MixedFleetIT {
  private final RedisBackend redis;
  private final List<Timers<?>> opened = new ArrayList<>();
  private final Queue<String> javaFired = new ConcurrentLinkedQueue<>();
  private final Queue<String> otherFired = new ConcurrentLinkedQueue<>();

  MixedFleetIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeTimers() {
    opened.forEach(Timers::close);
  }

  /** Python layout on standalone and mock, sharded over 3 tags on the cluster. */
  private TimersOptions.Builder options() {
    TimersOptions.Builder b = TimersOptions.builder();
    return redis.isCluster() ? b.sharded("timers", 3) : b;
  }

  /** A Java consumer serving only "test_handler". */
  private Timers<Void> javaConsumer(TimersOptions o) {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("test_handler", TestPayload.class,
            (p, ctx) -> javaFired.add(p.message())))
        .options(o).build();
    opened.add(t);
    return t;
  }

  /** Another consumer, serving only "py-only" (what the Python processes do). */
  private Timers<Void> pyOnlyConsumer(TimersOptions o) {
    Timers<Void> t = Timers.builder(redis.client(), (Void) null)
        .include(new Router<Void>().handler("py-only", AnotherPayload.class,
            (p, ctx) -> otherFired.add(p.value())))
        .options(o).build();
    opened.add(t);
    return t;
  }

  /** Writes a due timer as redis-timers' producer does: whole-second score, compact JSON. */
  private String writePythonTimer(KeyLayout keys, String id, double score, String json) {
    String member = keys.timerKey("py-only", id);
    int s = keys.shardOf(member);
    redis.client().zadd(keys.timeline(s), score, member);
    redis.client().hset(keys.payloads(s), member, json);
    return member;
  }

  private long serverSeconds(KeyLayout keys) {
    return io.github.redisext.core.support.ServerTime.now(redis.client(), keys.timeline(0))
        .getEpochSecond();
  }

  @Test
  void leaveKeepsATimerOfATopicItDoesNotServeUntouchedForTheConsumersThatServeIt() {
    Timers<Void> java = javaConsumer(options().unknownTopics(UnknownTopicPolicy.LEAVE).build());
    KeyLayout keys = KeyLayout.of(java.options());
    double score = serverSeconds(keys) - 2;
    String member = writePythonTimer(keys, "t1", score, "{\"value\":\"from python\"}");
    int s = keys.shardOf(member);
    java.setTimer("test_handler", "mine", new TestPayload("mine", 1), Duration.ZERO);

    assertThat(java.handleReadyTimers()).isEqualTo(1);
    assertThat(java.handleReadyTimers()).isZero();

    assertThat(javaFired).containsExactly("mine");
    // untouched: same score, same payload, no lock, no attempts, no dead record
    assertThat(redis.client().zscore(keys.timeline(s), member)).isEqualTo(score);
    assertThat(redis.client().hget(keys.payloads(s), member)).isEqualTo("{\"value\":\"from python\"}");
    assertThat(redis.client().exists(keys.lockPrefix(s) + member)).isFalse();
    assertThat(redis.client().hget(keys.attempts(s), member)).isNull();
    assertThat(java.deadLetters(100)).isEmpty();
    assertThat(java.stats().deadLettered()).isZero();

    // a Python consumer sees it due (its ZRANGEBYSCORE -inf now) and can take its lock
    // (WIRE-FORMAT.md §8, steps 1 and 2)
    assertThat(redis.client().zscore(keys.timeline(s), member))
        .isLessThanOrEqualTo((double) serverSeconds(keys));
    String lock = keys.lockPrefix(s) + member;
    assertThat(redis.client().set(lock, "0123456789abcdef0123456789abcdef",
        SetParams.setParams().nx().px(30_000))).isEqualTo("OK");
    redis.client().del(lock);

    // and a consumer that serves the topic fires it, once
    Timers<Void> other = pyOnlyConsumer(options().unknownTopics(UnknownTopicPolicy.LEAVE).build());
    assertThat(other.handleReadyTimers()).isEqualTo(1);
    assertThat(otherFired).containsExactly("from python");
    assertThat(java.pendingCount()).isZero();
    assertThat(javaFired).containsExactly("mine");
  }

  @Test
  void leaveFindsItsOwnTimersBehindManyDueTimersOfOtherTopics() {
    // a claim looks at (free slots) * 2 + 64 due timers per page: 500 foreign ones fill
    // several pages in front of ours
    Timers<Void> java = javaConsumer(options().unknownTopics(UnknownTopicPolicy.LEAVE)
        .concurrency(5).build());
    KeyLayout keys = KeyLayout.of(java.options());
    for (int i = 0; i < 500; i++) {
      writePythonTimer(keys, "p" + i, 1.0 + i, "{\"value\":\"p\"}");
    }
    java.setTimer("test_handler", "mine", new TestPayload("mine", 1), Duration.ZERO);

    assertThat(java.handleReadyTimers()).isEqualTo(1);

    assertThat(javaFired).containsExactly("mine");
    assertThat(java.pendingCount()).isEqualTo(500);
    assertThat(java.deadLetters(100)).isEmpty();
  }

  @Test
  void leaveLoopFiresItsOwnTimersAndLeavesTheOthersOnTheTimeline() {
    Timers<Void> java = javaConsumer(options().unknownTopics(UnknownTopicPolicy.LEAVE)
        .idleWait(Duration.ofMillis(200)).build());
    KeyLayout keys = KeyLayout.of(java.options());
    double score = serverSeconds(keys) - 1;
    String member = writePythonTimer(keys, "loop", score, "{\"value\":\"loop\"}");
    java.setTimer("test_handler", "now", new TestPayload("now", 1), Duration.ZERO);
    java.setTimer("test_handler", "soon", new TestPayload("soon", 2), Duration.ofMillis(300));
    java.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> javaFired.size() == 2);
    java.setTimer("test_handler", "later", new TestPayload("later", 3), Duration.ofMillis(200));
    await().atMost(Duration.ofSeconds(10)).until(() -> javaFired.size() == 3);

    assertThat(javaFired).containsExactlyInAnyOrder("now", "soon", "later");
    int s = keys.shardOf(member);
    assertThat(redis.client().zscore(keys.timeline(s), member)).isEqualTo(score);
    assertThat(redis.client().exists(keys.lockPrefix(s) + member)).isFalse();
    assertThat(java.deadLetters(100)).isEmpty();
  }

  @Test
  void deadLetterIsTheDefaultAndMovesATimerOfAnUnservedTopicAsideAtOnce() {
    Timers<Void> java = javaConsumer(options().build());
    assertThat(java.options().unknownTopics()).isEqualTo(UnknownTopicPolicy.DEAD_LETTER);
    KeyLayout keys = KeyLayout.of(java.options());
    writePythonTimer(keys, "t1", serverSeconds(keys) - 1, "{\"value\":\"from python\"}");

    assertThat(java.handleReadyTimers()).isEqualTo(1);

    assertThat(java.pendingCount()).isZero();
    assertThat(java.deadLetters(100)).singleElement().satisfies(d -> {
      assertThat(d.topic()).contains("py-only");
      assertThat(d.payload()).isEqualTo("{\"value\":\"from python\"}");
      assertThat(d.error()).contains("no handler for topic 'py-only'");
    });
    assertThat(javaFired).isEmpty();
  }

  @Test
  void leaveTakesTheTopicAsTheTextBeforeTheFirstSeparatorLikeTheHandlerLookup() {
    Timers<Void> java = javaConsumer(options().unknownTopics(UnknownTopicPolicy.LEAVE).build());
    KeyLayout keys = KeyLayout.of(java.options());
    // served: topic "test_handler" (id "-a"), and a key without separator (its topic is itself)
    List<String> served = List.of("test_handler---a", "test_handler");
    List<String> foreign = List.of("test_handle--b", "xtest_handler--c", "test_handlerz--d",
        "test_handler-");
    for (String member : concat(served, foreign)) {
      int s = keys.shardOf(member);
      redis.client().zadd(keys.timeline(s), 1.0, member);
      redis.client().hset(keys.payloads(s), member, "{\"message\":\"" + member
          + "\",\"count\":0}");
    }
    java.setTimer("test_handler", "x--y", new TestPayload("x--y", 1), Duration.ZERO);

    assertThat(java.handleReadyTimers()).isEqualTo(3);

    assertThat(javaFired).containsExactlyInAnyOrder("x--y", "test_handler---a", "test_handler");
    List<String> left = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      left.addAll(redis.client().zrange(keys.timeline(s), 0, -1));
    }
    assertThat(left).containsExactlyInAnyOrderElementsOf(foreign);
    assertThat(java.deadLetters(100)).isEmpty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
