package io.github.redisext.uniqueid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.ChildJvm;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs racing on one namespace, and one killed with SIGKILL in the middle. */
@RedisBackends
class UniqueIdProcessesIT {
  private static final int PROCESSES = 4;
  // a deadline only: the runs take 2-35 s, more when the machine is shared by parallel builds
  private static final Duration RUN = Duration.ofSeconds(120);

  private final RedisBackend redis;

  @TempDir
  Path dir;

  UniqueIdProcessesIT(RedisBackend redis) {
    this.redis = redis;
  }

  private void runChildren(List<String[]> argsPerChild) {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (String[] a : argsPerChild) {
        children.add(ChildJvm.start(ChildMain.class, a));
      }
      for (ChildJvm c : children) {
        c.awaitLine("READY"::equals, Duration.ofSeconds(30));
      }
      for (int i = 0; i < children.size(); i++) {
        redis.client().rpush("{ids}:go", "go");
      }
      for (ChildJvm c : children) {
        c.awaitLine("DONE"::equals, RUN);
        assertThat(c.waitFor(Duration.ofSeconds(10))).as("exit code").isZero();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void fourProcessesRacingOnOverlappingNamesGiveEachNameOneIdAndIdsOneToNWithoutGap()
      throws Exception {
    // jedis-mock runs Lua through luaj at 1,000-2,500 script calls/s on a busy 2-core machine,
    // so the full 4 x 25,000 would take 40-100 s there alone; the mock races 4 x 5,000 with the
    // same assertions, the real servers 4 x 25,000
    int perProcess = redis.kind() == BackendKind.MOCK ? 5_000 : 25_000;
    List<String[]> args = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      args.add(new String[] {redis.uri(), "{ids}", "names", Integer.toString(p),
          Integer.toString(perProcess), dir.resolve("names-" + p).toString()});
    }
    runChildren(args);

    Map<String, Long> idOf = new HashMap<>();
    List<String> conflicts = new ArrayList<>();
    int calls = 0;
    Map<String, Set<Integer>> askedBy = new HashMap<>();
    for (int p = 0; p < PROCESSES; p++) {
      for (String line : Files.readAllLines(dir.resolve("names-" + p), StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        long id = Long.parseLong(f[1]);
        Long prev = idOf.putIfAbsent(f[0], id);
        if (prev != null && prev != id) {
          conflicts.add(f[0] + ": " + prev + " vs " + id);
        }
        askedBy.computeIfAbsent(f[0], k -> new HashSet<>()).add(p);
        calls++;
      }
    }
    assertThat(calls).isEqualTo(PROCESSES * perProcess);
    assertThat(conflicts).isEmpty();
    // the names really overlapped: every shared-walk name was asked by all four processes
    assertThat(IntStream.range(0, perProcess / 2).allMatch(i -> askedBy.get("w" + i).size() == 4))
        .isTrue();
    int n = idOf.size();
    assertThat(idOf.values().stream().mapToLong(Long::longValue).sorted().toArray())
        .containsExactly(LongStream.rangeClosed(1, n).toArray());
    assertThat(redis.client().get("{ids}:auto")).isEqualTo(Integer.toString(n));
    assertThat(UniqueId.create(redis.client(), "{ids}").findAll(idOf.keySet())).isEqualTo(idOf);
  }

  @Test
  void sequenceIdsAreUniqueAcrossFourProcessesAndIncreasingInEach() throws Exception {
    int threads = 2;
    int perThread = 20_000;
    List<String[]> args = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      // two processes with blocks of 100, two with one INCR per id, on the same counter
      args.add(new String[] {redis.uri(), "{ids}", "seq", p % 2 == 0 ? "100" : "1",
          Integer.toString(threads), Integer.toString(perThread / (p % 2 == 0 ? 1 : 10)),
          dir.resolve("seq-" + p).toString()});
    }
    runChildren(args);

    Set<Long> all = new HashSet<>();
    long total = 0;
    for (int p = 0; p < PROCESSES; p++) {
      List<String> lines = Files.readAllLines(dir.resolve("seq-" + p), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(threads);
      for (String line : lines) {
        long[] ids = java.util.Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray();
        for (int i = 1; i < ids.length; i++) {
          assertThat(ids[i]).as("process %d, id %d", p, i).isGreaterThan(ids[i - 1]);
        }
        for (long id : ids) {
          assertThat(all.add(id)).as("id %d handed out twice", id).isTrue();
        }
        total += ids.length;
      }
    }
    assertThat(total).isEqualTo(2L * threads * perThread + 2L * threads * perThread / 10);
    long counter = Long.parseLong(redis.client().get("{ids}:seq"));
    assertThat(all.stream().mapToLong(Long::longValue).min().orElseThrow()).isPositive();
    assertThat(all.stream().mapToLong(Long::longValue).max().orElseThrow())
        .isLessThanOrEqualTo(counter);
    // only the two block processes can leave unused ids: at most one partial block each
    assertThat(counter - total).isBetween(0L, 2L * 99);
  }

  @Test
  void aProcessKilledMidRunLeavesNoBurnedOrDuplicatedIdAndSequencesMoveOnPastItsBlock() {
    long lastSeq;
    try (ChildJvm child = ChildJvm.start(ChildMain.class, redis.uri(), "{ids}", "forever")) {
      child.awaitLine("READY"::equals, Duration.ofSeconds(30));
      String line = child.awaitLine(l -> l.startsWith("PROGRESS 500 "), Duration.ofSeconds(30));
      lastSeq = Long.parseLong(line.split(" ")[2]);
      child.kill();
    }
    long counter = Long.parseLong(redis.client().get("{ids}:auto"));
    assertThat(counter).isGreaterThan(500);
    UniqueId ids = UniqueId.create(redis.client(), "{ids}");
    List<String> names = IntStream.range(0, (int) counter + 50).mapToObj(i -> "c" + i).toList();
    Map<String, Long> mapped = ids.findAll(names);
    // every id the counter gave out is mapped, in the order the child walked: c_i -> i + 1
    assertThat(mapped).hasSize((int) counter);
    for (int i = 0; i < counter; i++) {
      assertThat(mapped.get("c" + i)).isEqualTo(i + 1L);
    }
    // a new process continues after the killed one's reserved block
    UniqueId seq = UniqueId.create(redis.client(), "{ids}",
        UniqueIdOptions.builder().sequenceBlockSize(1000).build());
    long next = seq.next();
    assertThat(next).isGreaterThan(lastSeq);
    assertThat(next).isEqualTo(Long.parseLong(redis.client().get("{ids}:seq")) - 999);
  }
}
