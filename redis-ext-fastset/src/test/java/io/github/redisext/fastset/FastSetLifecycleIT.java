package io.github.redisext.fastset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Metrics reported to a listener, and what a closed set does. */
@RedisBackends
class FastSetLifecycleIT {
  private static final String KEY = "{fs-life}";
  private static final Duration LONG = Duration.ofHours(1);
  /** What a closed set still answers: its identity, configuration and counters. */
  private static final Set<String> ALLOWED_AFTER_CLOSE = Set.of("close", "key", "options", "stats",
      "toString", "getClass", "notify", "notifyAll", "wait");

  private final RedisBackend redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  FastSetLifecycleIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Counts what it is told, per source and metric. */
  static final class CountingListener implements MetricsListener {
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final Set<MetricSource> sources = ConcurrentHashMap.newKeySet();

    @Override
    public void count(MetricSource source, Metric metric, long amount) {
      sources.add(source);
      counts.computeIfAbsent(metric.name(), k -> new AtomicLong()).addAndGet(amount);
    }

    long get(Metric m) {
      AtomicLong v = counts.get(m.name());
      return v == null ? 0 : v.get();
    }
  }

  private FastSet<String> open(FastSetOptions options) {
    UnifiedJedis client = redis.newClient();
    toClose.add(client);
    FastSet<String> s = FastSet.create(client, KEY, String.class, options);
    toClose.add(s);
    return s;
  }

  @Test
  void aMetricsListenerSeesEveryMemberWrittenAndEveryFullReload() {
    CountingListener writes = new CountingListener();
    FastSet<String> set = open(FastSetOptions.builder().refreshInterval(LONG).metrics(writes)
        .build());
    assertThat(writes.get(Metric.RELOADED)).isEqualTo(1); // the first load
    assertThat(writes.get(Metric.PUBLISHED)).isZero();

    set.add("a");
    set.addAll(List.of("a", "b", "c"));
    set.add("a"); // already there: nothing written
    set.removeAll(List.of("b", "zz"));
    set.removeIf(s -> s.equals("c"));
    set.retainAll(List.of("a")); // nothing to remove
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(1 + 2 + 1 + 1);
    set.addAll(List.of("x", "y"));
    set.clear(); // a, x, y removed
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(5 + 2 + 3);
    assertThat(set.stats().writes()).isEqualTo(6);
    assertThat(writes.sources).containsExactly(MetricSource.of("fastset", KEY));

    // a peer that must reload (a change too big to list) reports RELOADED; its reads do not
    CountingListener peerMetrics = new CountingListener();
    FastSet<String> peer = open(FastSetOptions.builder().refreshInterval(LONG)
        .metrics(peerMetrics).build());
    FastSet<String> bigWriter = open(FastSetOptions.builder().refreshInterval(LONG)
        .maxDeltaMembers(10).build());
    bigWriter.addAll(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.size() == 50);
    assertThat(peerMetrics.get(Metric.RELOADED)).isEqualTo(2).isEqualTo(peer.stats().fullReloads());
    assertThat(peerMetrics.get(Metric.PUBLISHED)).isZero();
    assertThat(writes.get(Metric.PUBLISHED)).isEqualTo(10);
  }

  @Test
  void aListenerThatThrowsBreaksNoWrite() {
    MetricsListener faulty = new MetricsListener() {
      @Override
      public void count(MetricSource source, Metric metric, long amount) {
        throw new IllegalStateException("listener bug");
      }
    };
    FastSet<String> set = open(FastSetOptions.builder().refreshInterval(LONG).metrics(faulty)
        .build());
    assertThat(set.add("a")).isTrue();
    assertThat(set).containsExactly("a");
  }

  @Test
  void everyPublicOperationAfterCloseThrowsIllegalStateExceptionNamingTheSet() throws Exception {
    FastSet<String> set = open(FastSetOptions.builder().refreshInterval(LONG).build());
    set.add("a");
    set.close();
    List<String> checked = new ArrayList<>();
    for (Method m : FastSet.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || ALLOWED_AFTER_CLOSE.contains(m.getName())) {
        continue;
      }
      Object[] args = argumentsFor(m);
      assertThatThrownBy(() -> {
        try {
          Object r = m.invoke(set, args);
          if (r instanceof java.util.stream.BaseStream<?, ?> st) {
            st.iterator().hasNext();
          }
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }).as(m.toString()).isInstanceOf(IllegalStateException.class)
          .hasMessage("FastSet '" + KEY + "' is closed");
      checked.add(m.getName());
    }
    assertThat(checked).contains("contains", "size", "isEmpty", "iterator", "toArray", "add",
        "remove", "addAll", "removeAll", "retainAll", "removeIf", "clear", "containsAll",
        "symmetricDifferenceUpdate", "copy", "union", "intersection", "difference",
        "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjoint", "version", "refresh",
        "equals", "hashCode", "stream", "forEach", "spliterator");
    // what still answers
    assertThat(set.key()).isEqualTo(KEY);
    assertThat(set.stats().version()).isEqualTo(1);
    assertThat(set.options()).isNotNull();
    assertThat(set.toString()).isEqualTo("FastSet '" + KEY + "' (closed)");
    set.close();
  }

  private static Object[] argumentsFor(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t == Collection.class) {
        args[i] = List.of(); // empty: the cheapest call must still refuse
      } else if (t == Predicate.class) {
        args[i] = (Predicate<Object>) x -> true;
      } else if (t == Consumer.class) {
        args[i] = (Consumer<Object>) x -> { };
      } else if (t == IntFunction.class) {
        args[i] = (IntFunction<Object[]>) Object[]::new;
      } else if (t.isArray()) {
        args[i] = new Object[0];
      } else if (t == Object.class) {
        args[i] = "a";
      } else {
        throw new AssertionError("no argument for " + m);
      }
    }
    return args;
  }
}
