package io.github.redisext.fastset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.fastset.internal.Follower.Action;
import io.github.redisext.fastset.internal.Follower.News;
import io.github.redisext.fastset.internal.Follower.Plan;
import io.github.redisext.fastset.internal.RemoteSet.Changes;
import io.github.redisext.fastset.internal.RemoteSet.Head;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one "apply these changes or reload" decision, for each way news arrives: a write's reply, a
 * version check, a pub/sub message and a load's replay. No Redis.
 */
class FollowerPlanTest {
  private static final String E = "100.1";
  private static final Head AT_5 = new Head(5, E);

  private static Entry entry(long v) {
    return Entry.parse(v + " " + E + "\n+\"m" + v + "\"");
  }

  /** A script's reply: head {@code v} and the entries after {@code from}, newest first. */
  private static News reply(long v, long from, long asOf) {
    List<Entry> newestFirst = new java.util.ArrayList<>();
    for (long x = v; x > from; x--) {
      newestFirst.add(entry(x));
    }
    return News.reply(new Changes(new Head(v, E), newestFirst), asOf);
  }

  @Test
  void contiguousEntriesAfterTheCachedVersionAreAppliedOldestFirst() {
    Plan p = Follower.plan(AT_5, false, reply(8, 3, 5));
    assertThat(p.action()).isEqualTo(Action.APPLY);
    assertThat(p.entries()).extracting(Entry::version).containsExactly(6L, 7L, 8L);
  }

  @Test
  void aHeadTheCacheAlreadyHoldsIsNothingToDo() {
    assertThat(Follower.plan(AT_5, false, reply(5, 5, 5)).action()).isEqualTo(Action.NOTHING);
    // a write's reply overtaken by a message that moved the cache further: not a reset
    assertThat(Follower.plan(new Head(7, E), false, reply(6, 5, 5)).action())
        .isEqualTo(Action.NOTHING);
  }

  @Test
  void aGapAnEntryTooBigToListOrEntriesThatStopShortMeanAReload() {
    News gap = News.reply(new Changes(new Head(8, E), List.of(entry(8), entry(7))), 5);
    assertThat(Follower.plan(AT_5, false, gap).action()).isEqualTo(Action.RELOAD);
    News big = News.reply(new Changes(new Head(6, E), List.of(Entry.parse("6 " + E + "\n!"))), 5);
    assertThat(Follower.plan(AT_5, false, big).action()).isEqualTo(Action.RELOAD);
    News noLog = News.reply(new Changes(new Head(9, E), List.of()), 5);
    assertThat(Follower.plan(AT_5, false, noLog).action()).isEqualTo(Action.RELOAD);
  }

  @Test
  void anotherEpochOrAVersionBelowTheQuestionIsADataResetAndReloadsWithAReason() {
    Plan otherEpoch = Follower.plan(AT_5, false,
        News.reply(new Changes(new Head(9, "200.2"), List.of()), 5));
    assertThat(otherEpoch.action()).isEqualTo(Action.RELOAD);
    assertThat(otherEpoch.reason()).contains("epoch");
    Plan below = Follower.plan(AT_5, false, reply(3, 3, 5));
    assertThat(below.action()).isEqualTo(Action.RELOAD);
    assertThat(below.reason()).contains("below");
  }

  @Test
  void aBrokenCacheAlwaysReloads() {
    assertThat(Follower.plan(AT_5, true, reply(5, 5, 5)).action()).isEqualTo(Action.RELOAD);
    assertThat(Follower.plan(AT_5, true, reply(6, 5, 5)).action()).isEqualTo(Action.RELOAD);
  }

  @Test
  void aMessageIsAHintWhereItDoesNotFitTheAnswerIsToCheckNotToReload() {
    assertThat(Follower.plan(AT_5, false, News.message(entry(6))).entries())
        .extracting(Entry::version).containsExactly(6L);
    assertThat(Follower.plan(AT_5, false, News.message(entry(4))).action())
        .isEqualTo(Action.NOTHING); // late
    assertThat(Follower.plan(AT_5, false, News.message(entry(8))).action())
        .isEqualTo(Action.CHECK); // gap
    assertThat(Follower.plan(AT_5, true, News.message(entry(6))).action())
        .isEqualTo(Action.CHECK); // broken
    assertThat(Follower.plan(AT_5, false,
        News.message(Entry.parse("6 200.2\n+\"x\""))).action()).isEqualTo(Action.CHECK);
    assertThat(Follower.plan(AT_5, false, News.message(Entry.parse("6 " + E + "\n!"))).action())
        .isEqualTo(Action.CHECK);
  }

  @Test
  void aLoadsReplayFitsTheEntriesWrittenDuringTheScanOrScansAgain() {
    Head scanStart = new Head(10, E);
    assertThat(Follower.plan(scanStart, false, reply(10, 10, 10)).action())
        .isEqualTo(Action.NOTHING);
    assertThat(Follower.plan(scanStart, false, reply(12, 10, 10)).entries()).hasSize(2);
    assertThat(Follower.plan(scanStart, false,
        News.reply(new Changes(new Head(12, E), List.of()), 10)).action())
        .isEqualTo(Action.RELOAD);
  }
}
