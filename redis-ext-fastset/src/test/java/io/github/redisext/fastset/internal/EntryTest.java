package io.github.redisext.fastset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryTest {
  @Test
  void parsesAddedAndRemovedMembersInOrder() {
    Entry e = Entry.parse("42 1700000000.123456\n+\"a\"\n-\"b\"\n+1.5\n-[1, 2]");
    assertThat(e.version()).isEqualTo(42);
    assertThat(e.epoch()).isEqualTo("1700000000.123456");
    assertThat(e.added()).containsExactly("\"a\"", "1.5");
    assertThat(e.removed()).containsExactly("\"b\"", "[1, 2]");
    assertThat(e.cleared()).isFalse();
    assertThat(e.reload()).isFalse();
  }

  @Test
  void parsesClearAndReloadMarkers() {
    assertThat(Entry.parse("7 e\n*").cleared()).isTrue();
    assertThat(Entry.parse("8 e\n!").reload()).isTrue();
    assertThat(Entry.parse("9 e")).isEqualTo(new Entry(9, "e", false, false, List.of(), List.of()));
    assertThat(Entry.parse("10").epoch()).isEmpty();
  }

  @Test
  void keepsMembersThatContainOperatorCharacters() {
    Entry e = Entry.parse("3 e\n+\"+-*!\"\n+\"\"");
    assertThat(e.added()).containsExactly("\"+-*!\"", "\"\"");
  }

  @Test
  void rejectsTextThatIsNotAnEntry() {
    assertThatThrownBy(() -> Entry.parse("x\n+a")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Entry.parse("1\n?a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("?a");
  }
}
