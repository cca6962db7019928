package io.github.redisext.fastset;

import com.google.common.collect.testing.SetTestSuiteBuilder;
import com.google.common.collect.testing.TestStringSetGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.Backends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * The {@link java.util.Set} contract, proven with Guava's {@code SetTestSuiteBuilder} (several
 * hundred generated tests per suite) on every backend: jedis-mock, a real redis-server and a real
 * cluster. Each generated test gets fresh FastSets on a key of its own, closed in tear-down.
 */
@RunWith(AllTests.class)
public class FastSetConformanceIT {
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static final int MAX_OPEN = 8;

  private FastSetConformanceIT() {}

  /** The suites, one per backend (plus the check-on-every-read mode on the mock). */
  public static Test suite() {
    TestSuite all = new TestSuite("FastSet java.util.Set conformance");
    for (BackendKind kind : Backends.DEFAULT_KINDS) {
      if (!Backends.isAvailable(kind)) {
        if (Backends.underCi()) {
          throw new IllegalStateException("CI=true but the " + kind + " backend cannot run here");
        }
        continue;
      }
      all.addTest(suite(kind, "push", FastSetOptions.defaults()));
    }
    all.addTest(suite(BackendKind.MOCK, "check-every-read", FastSetOptions.builder()
        .pushInvalidation(false).refreshInterval(Duration.ZERO).build()));
    return all;
  }

  private static Test suite(BackendKind kind, String mode, FastSetOptions options) {
    Generator g = new Generator(kind, options);
    return SetTestSuiteBuilder.using(g)
        .named("FastSet[" + kind.name().toLowerCase() + "," + mode + "]")
        .withFeatures(CollectionSize.ANY, CollectionFeature.GENERAL_PURPOSE)
        .withTearDown(g::closeAll)
        .createTestSuite();
  }

  private static final class Generator extends TestStringSetGenerator {
    private final BackendKind kind;
    private final FastSetOptions options;
    private final List<FastSet<String>> open = new ArrayList<>();

    Generator(BackendKind kind, FastSetOptions options) {
      this.kind = kind;
      this.options = options;
    }

    @Override
    protected Set<String> create(String[] elements) {
      FastSet<String> set = FastSet.create(Backends.get(kind).client(),
          "{conformance-" + KEYS.incrementAndGet() + "}", String.class, options);
      synchronized (open) {
        open.add(set);
        // with push invalidation each open set holds one pooled connection for its subscription;
        // the iterator testers create hundreds of sets in one test and drop all but the newest
        while (open.size() > MAX_OPEN) {
          open.remove(0).close();
        }
      }
      set.addAll(Arrays.asList(elements));
      return set;
    }

    void closeAll() {
      synchronized (open) {
        open.forEach(FastSet::close);
        open.clear();
      }
    }
  }
}
