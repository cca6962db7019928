package io.github.redisext.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryCharacterThatCouldOpenMarkupOrLeaveAnAttribute() {
    assertThat(Html.esc("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    assertThat(Html.esc(null)).isEmpty();
    assertThat(Html.esc("a\u0000b\nc")).isEqualTo("a\uFFFDb\nc");
  }

  @Test
  void aPreviewCutsLongTextEscapedWithoutSplittingASurrogatePairAndSaysHowLongItWas() {
    String s = "x".repeat(9) + "\uD83D\uDE00" + "<tail>";
    String p = Html.preview(s, 10);
    assertThat(p).startsWith("xxxxxxxxx<span").doesNotContain("\uD83D").contains("(17 characters)");
    assertThat(Html.preview("<b>", 10)).isEqualTo("&lt;b&gt;");
    assertThat(Html.isCut(s, 10)).isTrue();
    assertThat(Html.isCut("short", 10)).isFalse();
  }

  @Test
  void timesAreShownRelativeToTheServerClock() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Html.relative(now.plusSeconds(12), now)).isEqualTo("in 12.0 s");
    assertThat(Html.relative(now.minusSeconds(300), now)).isEqualTo("5 min ago");
    assertThat(Html.span(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Html.span(Duration.ofHours(5))).isEqualTo("5 h");
    assertThat(Html.span(Duration.ofDays(3))).isEqualTo("3 d");
  }

  @Test
  void aChartHoldsOnlyNumbersAndAnEscapedTitle() {
    String svg = Chart.bars(new long[] {1, 0, 5}, new long[] {0, 2, 0}, 60, 20);
    assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("3 min: 6 processed, 2 failed")
        .contains("class=\"fail\"").contains("class=\"ok\"");
  }
}
