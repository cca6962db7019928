package io.github.redisext.debounce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PopReplyTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesTimesCountsAndMembersFromBulkStrings() {
    PopReply r = PopReply.parse(List.of(b("100.000000"), b("100.250000"), b(""), b("2"),
        b("{\"a\": 1}"), b("\"é\"")));
    assertThat(r.now()).isEqualTo(100.0);
    assertThat(r.nextDue()).isEqualTo(100.25);
    assertThat(r.nextLease()).isNaN();
    assertThat(r.recovered()).isEqualTo(2);
    assertThat(r.members()).containsExactly("{\"a\": 1}", "\"é\"");
    assertThat(r.nanosUntilNext()).isEqualTo(250_000_000L);
  }

  @Test
  void sleepsUntilTheEarlierOfNextDueAndNextLeaseDeadline() {
    assertThat(new PopReply(100, 105, 101.5, 0, List.of()).nanosUntilNext())
        .isEqualTo(1_500_000_000L);
    assertThat(new PopReply(100, Double.NaN, Double.NaN, 0, List.of()).nanosUntilNext())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(new PopReply(100, 99, Double.NaN, 0, List.of()).nanosUntilNext()).isZero();
  }
}
