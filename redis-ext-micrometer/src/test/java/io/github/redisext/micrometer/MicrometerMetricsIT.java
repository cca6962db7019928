package io.github.redisext.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.fastset.FastSet;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import io.github.redisext.uniqueid.UniqueId;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** What the registry shows equals what the primitives did, on real Redis. */
@RedisBackends({BackendKind.MOCK, BackendKind.STANDALONE, BackendKind.CLUSTER})
class MicrometerMetricsIT {
  private static final MicrometerOptions EVERY_SCRAPE = MicrometerOptions.builder()
      .gaugeRefresh(Duration.ZERO).gaugeTimeout(Duration.ofSeconds(5)).build();

  private final RedisBackend redis;

  MicrometerMetricsIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static double counter(MeterRegistry r, String name, String tagValue) {
    var c = r.find(name).tag("name", tagValue).counter();
    return c == null ? 0 : c.count();
  }

  private static double gauge(MeterRegistry r, String name, String tagValue) {
    Gauge g = r.find(name).tag("name", tagValue).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void aWorkerBoundThroughItsClientCountsHandledFailedRetriedAndDeadLetteredExactly() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (UnifiedJedis client = redis.newClient();
        MicrometerMetrics metrics = MicrometerMetrics.bind(client, registry, EVERY_SCRAPE)) {
      WorkQueue<Integer> queue = WorkQueue.create(client, "{jobs}", Integer.class);
      queue.pushAll(IntStream.range(0, 100).boxed().toList());
      assertThat(counter(registry, "redisext.worker.published", "{jobs}")).isEqualTo(100);
      WorkerOptions options = WorkerOptions.builder().concurrency(4).maxAttempts(2)
          .retryBackoff(Duration.ZERO, Duration.ZERO).build();
      try (RedisWork<Integer> work = RedisWork.create(client, "{jobs}", Integer.class, n -> {
        if (n % 10 == 0) {
          throw new IllegalStateException("task " + n + " fails");
        }
      }, options)) {
        work.startInBackground();
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.deadLetterCount() == 10
            && work.stats().processed() == 90);
        assertThat(gauge(registry, "redisext.worker.dead_letters", "{jobs}")).isEqualTo(10);
        assertThat(gauge(registry, "redisext.worker.waiting", "{jobs}")).isZero();
        assertThat(gauge(registry, "redisext.worker.delayed", "{jobs}")).isZero();
      }
      assertThat(counter(registry, "redisext.worker.handled", "{jobs}")).isEqualTo(90);
      assertThat(counter(registry, "redisext.worker.failed", "{jobs}")).isEqualTo(20);
      assertThat(counter(registry, "redisext.worker.retried", "{jobs}")).isEqualTo(10);
      assertThat(counter(registry, "redisext.worker.dead_lettered", "{jobs}")).isEqualTo(10);
      assertThat(counter(registry, "redisext.worker.delivered", "{jobs}")).isEqualTo(110);
      Timer handlerTime = registry.find("redisext.worker.handler_time").tag("name", "{jobs}")
          .timer();
      assertThat(handlerTime).isNotNull();
      assertThat(handlerTime.count()).isEqualTo(110);
      // the closed worker's gauges are gone; the queue's counters stay
      assertThat(registry.find("redisext.worker.dead_letters").gauge()).isNull();
    }
  }

  @Test
  void oneBindingCoversEveryPrimitiveOnTheClientCreatedBeforeOrAfterIt() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (UnifiedJedis client = redis.newClient();
        DebounceTask<String> before = DebounceTask.create(client, "{deb}", String.class,
            DebounceOptions.builder().defaultDelay(Duration.ofHours(1)).build())) {
      before.addAll(List.of("a", "b", "c"));
      try (MicrometerMetrics metrics = MicrometerMetrics.bind(client, registry, EVERY_SCRAPE)) {
        // created before the binding: its gauges appear at once, its counters from now on
        assertThat(gauge(registry, "redisext.debounce.pending", "{deb}")).isEqualTo(3);
        before.add("d");
        assertThat(counter(registry, "redisext.debounce.published", "{deb}")).isEqualTo(1);
        try (FastSet<String> set = FastSet.create(client, "{set}", String.class)) {
          set.addAll(List.of("x", "y"));
          assertThat(gauge(registry, "redisext.fastset.size", "{set}")).isEqualTo(2);
        }
        UniqueId ids = UniqueId.create(client, "{ids}");
        ids.getOrCreateAll(List.of("p", "q", "r"));
        assertThat(counter(registry, "redisext.uniqueid.created", "{ids}")).isEqualTo(3);
        assertThat(registry.find("redisext.fastset.size").gauge()).isNull();
        Router<Void> router = new Router<Void>().handler("t", String.class, (p, c) -> { });
        try (Timers<Void> timers = Timers.builder(client, (Void) null).include(router)
            .options(TimersOptions.builder().sharded("tm", 2).build()).build()) {
          timers.setTimer("t", "1", "x", Duration.ofHours(1));
          String name = registry.find("redisext.timers.published").counter().getId()
              .getTag("name");
          assertThat(gauge(registry, "redisext.timers.pending", name)).isEqualTo(1);
        }
      }
      // unbound: nothing more is counted, the gauges are gone
      before.add("e");
      assertThat(counter(registry, "redisext.debounce.published", "{deb}")).isEqualTo(1);
      assertThat(registry.find("redisext.debounce.pending").gauge()).isNull();
    }
  }

  @Test
  void aListenerInTheOptionsThatIsAlsoBoundToTheClientCountsOnce() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (UnifiedJedis client = redis.newClient();
        MicrometerMetrics metrics = MicrometerMetrics.bind(client, registry);
        DebounceTask<String> tasks = DebounceTask.create(client, "{once}", String.class,
            DebounceOptions.builder().metrics(metrics).build())) {
      tasks.addAll(List.of("a", "b"));
      assertThat(counter(registry, "redisext.debounce.published", "{once}")).isEqualTo(2);
    }
  }

  @Test
  void aListenerSetInOnePrimitivesOptionsSeesOnlyThatPrimitive() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (MicrometerMetrics metrics = MicrometerMetrics.of(registry);
        DebounceTask<String> mine = DebounceTask.create(redis.client(), "{mine}", String.class,
            DebounceOptions.builder().metrics(metrics).build());
        DebounceTask<String> other = DebounceTask.create(redis.client(), "{other}",
            String.class)) {
      mine.add("a");
      other.add("b");
      assertThat(counter(registry, "redisext.debounce.published", "{mine}")).isEqualTo(1);
      assertThat(registry.find("redisext.debounce.published").tag("name", "{other}").counter())
          .isNull();
      assertThat(gauge(registry, "redisext.debounce.pending", "{mine}")).isEqualTo(1);
    }
  }
}
