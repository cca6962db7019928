package io.github.redisext.debounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Decoding modes (issue 11, items 4 and 5): a strict codec sets JSON of the wrong shape aside in
 * the dead letters with its raw text, from pop() and from consume(); the default codec is lenient;
 * a JSON {@code null} task is set aside in either mode.
 */
@RedisBackends
class StrictDecodingIT {
  private static final String KEY = "{strict}";
  private static final String WRONG = "{\"wrong\": \"shape\"}";
  private static final String GOOD = "{\"id\": 1, \"pad\": \"x\"}";

  /** The task type. */
  record Task(int id, String pad) {}

  private final RedisBackend redis;
  private final List<DebounceTask<?>> opened = new ArrayList<>();

  StrictDecodingIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(DebounceTask::close);
  }

  private DebounceTask<Task> open(Codec<Task> codec) {
    DebounceTask<Task> t = DebounceTask.create(redis.client(), KEY, codec,
        DebounceOptions.defaults());
    opened.add(t);
    return t;
  }

  private void store(String... members) {
    for (int i = 0; i < members.length; i++) {
      redis.client().zadd(KEY, i, members[i]);
    }
  }

  @Test
  void aStrictCodecSetsJsonOfTheWrongShapeAsideWithItsRawTextInPop() {
    DebounceTask<Task> tasks = open(JsonCodec.of(Task.class).strict());
    store(WRONG, GOOD);
    assertThat(tasks.pop(10)).containsExactly(new Task(1, "x"));
    assertThat(tasks.deadLetters(1000)).singleElement().satisfies(d -> {
      assertThat(d.payload()).isEqualTo(WRONG);
      assertThat(d.error()).startsWith("CodecException: ").contains("strict");
      assertThat(d.attempts()).isZero();
    });
    assertThat(tasks.info()).isEqualTo(new DebounceInfo(0, 0, 0, 1));
  }

  @Test
  void aStrictCodecSetsJsonOfTheWrongShapeAsideWithItsRawTextInConsume() {
    DebounceTask<Task> tasks = open(JsonCodec.of(Task.class).strict());
    List<Task> handled = new CopyOnWriteArrayList<>();
    try (DebounceConsumer c = tasks.consume(handled::add)) {
      store(WRONG, GOOD);
      tasks.add(new Task(2, "y"), Duration.ZERO); // a wake-up for the consumer
      await().atMost(Duration.ofSeconds(10))
          .until(() -> tasks.info().equals(new DebounceInfo(0, 0, 0, 1)) && handled.size() == 2);
      assertThat(handled).containsExactlyInAnyOrder(new Task(1, "x"), new Task(2, "y"));
      assertThat(c.failed()).isZero();
    }
    assertThat(tasks.deadLetters(1000)).singleElement().satisfies(d -> {
      assertThat(d.payload()).isEqualTo(WRONG);
      assertThat(d.error()).startsWith("CodecException: ");
    });
  }

  @Test
  void theDefaultCodecIsLenientAndReadsTheWrongShapeWithDefaults() {
    // documented default (README): a producer may add a field before its consumers know it
    DebounceTask<Task> tasks = open(JsonCodec.of(Task.class));
    store(WRONG, "{\"id\": 3, \"pad\": \"z\", \"added\": \"later\"}");
    assertThat(tasks.pop(10)).containsExactly(new Task(0, null), new Task(3, "z"));
    assertThat(tasks.deadLetters(1000)).isEmpty();
  }

  @Test
  void aJsonNullTaskIsSetAsideByPopInBothModes() {
    for (Codec<Task> codec : List.of(JsonCodec.of(Task.class), JsonCodec.of(Task.class).strict())) {
      redis.flushAll();
      DebounceTask<Task> tasks = open(codec);
      store("null", GOOD);
      assertThat(tasks.pop(10)).as("%s", codec).containsExactly(new Task(1, "x"));
      assertThat(tasks.deadLetters(1000)).as("%s", codec).singleElement()
          .satisfies(d -> assertThat(d.payload()).isEqualTo("null"));
    }
  }

  @Test
  void aJsonNullTaskIsSetAsideByAConsumerAndNeverHandled() {
    DebounceTask<Task> tasks = open(JsonCodec.of(Task.class));
    List<Task> handled = new CopyOnWriteArrayList<>();
    try (DebounceConsumer c = tasks.consume(handled::add)) {
      store("null");
      tasks.add(new Task(1, "x"), Duration.ZERO);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> tasks.info().equals(new DebounceInfo(0, 0, 0, 1)) && handled.size() == 1);
      assertThat(handled).containsExactly(new Task(1, "x"));
      assertThat(c.failed()).isZero();
    }
    assertThat(tasks.deadLetters(1000)).singleElement()
        .satisfies(d -> assertThat(d.payload()).isEqualTo("null"));
  }
}
