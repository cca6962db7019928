package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecStrictTest {
  record Task(int id, String pad) {}

  record Outer(String name, Task task, List<Task> more) {}

  static final class Bean {
    String a;
    int b;
  }

  @Test
  void lenientDecodingTurnsAWrongShapeIntoDefaults() {
    assertThat(JsonCodec.of(Task.class).decode("{\"wrong\":\"shape\"}")).isEqualTo(new Task(0, null));
    assertThat(JsonCodec.of(Task.class).isStrict()).isFalse();
  }

  @Test
  void strictDecodingRejectsUnknownAndMissingPropertiesKeepingTheRawText() {
    JsonCodec<Task> strict = JsonCodec.of(Task.class).strict();
    String raw = "{\"wrong\":\"shape\"}";
    assertThatThrownBy(() -> strict.decode(raw))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unknown property $.wrong")
        .hasMessageContaining("missing property $.id")
        .hasMessageContaining("missing property $.pad")
        .satisfies(e -> assertThat(((CodecException) e).rawText()).isEqualTo(raw));
  }

  @Test
  void strictDecodingAcceptsTheExactShapeIncludingExplicitNulls() {
    JsonCodec<Task> strict = JsonCodec.of(Task.class).strict();
    assertThat(strict.decode("{\"id\":7,\"pad\":\"x\"}")).isEqualTo(new Task(7, "x"));
    assertThat(strict.decode("{\"pad\":null,\"id\":7}")).isEqualTo(new Task(7, null));
    assertThat(strict.decode(strict.encode(new Task(3, "y")))).isEqualTo(new Task(3, "y"));
  }

  @Test
  void strictDecodingChecksNestedObjectsAndListElements() {
    JsonCodec<Outer> strict = JsonCodec.of(Outer.class).strict();
    assertThat(strict.decode("{\"name\":\"n\",\"task\":{\"id\":1,\"pad\":\"p\"},\"more\":[]}"))
        .isEqualTo(new Outer("n", new Task(1, "p"), List.of()));
    assertThatThrownBy(() -> strict.decode(
        "{\"name\":\"n\",\"task\":{\"id\":1,\"pad\":\"p\"},\"more\":[{\"id\":2,\"pad\":\"q\",\"x\":1}]}"))
        .isInstanceOf(CodecException.class).hasMessageContaining("unknown property $.more[0].x");
    assertThatThrownBy(() -> strict.decode("{\"name\":\"n\",\"task\":{\"id\":1},\"more\":[]}"))
        .isInstanceOf(CodecException.class).hasMessageContaining("missing property $.task.pad");
  }

  @Test
  void strictDecodingWorksForPlainClassesAndTakesAnyMap() {
    assertThatThrownBy(() -> JsonCodec.of(Bean.class).strict().decode("{\"a\":\"x\"}"))
        .isInstanceOf(CodecException.class).hasMessageContaining("missing property $.b");
    JsonCodec<Map<String, Object>> maps =
        JsonCodec.<Map<String, Object>>of(new TypeToken<Map<String, Object>>() {}.getType()).strict();
    assertThat(maps.decode("{\"anything\":[1,{\"b\":null}],\"z\":1.5}")).containsKeys("anything", "z");
  }

  @Test
  void strictDecodingRejectsAJsonNullDocument() {
    assertThat(JsonCodec.of(Task.class).decode("null")).isNull();
    assertThatThrownBy(() -> JsonCodec.of(Task.class).strict().decode(" null "))
        .isInstanceOf(CodecException.class).hasMessageContaining("JSON null")
        .satisfies(e -> assertThat(((CodecException) e).rawText()).isEqualTo(" null "));
  }

  @Test
  void strictnessSurvivesStyleChangesAndShowsInToString() {
    JsonCodec<Task> c = JsonCodec.of(Task.class).strict().withStyle(JsonStyle.PYTHON);
    assertThat(c.isStrict()).isTrue();
    assertThat(c.toString()).contains("strict");
    assertThat(c.encode(new Task(1, "a"))).isEqualTo("{\"id\": 1, \"pad\": \"a\"}");
  }
}
