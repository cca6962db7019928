package io.github.redisext.streams.internal;

import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.consumer.ConsumerStats;
import io.github.redisext.core.consumer.DeadLetterException;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.streams.BatchHandler;
import io.github.redisext.streams.Delivery;
import io.github.redisext.streams.ItemOutcome;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RetryPolicy;
import io.github.redisext.streams.StreamConsumer;
import io.github.redisext.streams.StreamEvent;
import io.github.redisext.streams.StreamHandler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running consumer: a {@link ConsumerKernel} over a {@link StreamStore} (or, in batch mode, a
 * {@link BatchStore}), with the handler wrapped for lifecycle events and the retry policy.
 */
public final class Consumer implements StreamConsumer {
  private final ConsumerKernel<?> kernel;
  private final StreamStore<?> store;
  private final String group;
  private final Runnable onClose;
  private final Duration shutdownGrace;
  private final Metrics metrics;
  private final Instrumented levels;
  private final AtomicBoolean detached = new AtomicBoolean();

  private Consumer(ConsumerKernel<?> kernel, StreamStore<?> store, ProcessOptions options,
      Runnable onClose, Metrics metrics, Instrumented levels) {
    this.kernel = kernel;
    this.metrics = metrics;
    this.levels = levels;
    metrics.attach(levels);
    this.shutdownGrace = options.consumer().shutdownGrace();
    this.store = store;
    this.group = options.group();
    this.onClose = onClose;
  }

  /** A generated consumer name: {@code host-pid-random}. */
  public static String generatedName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      String rt = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
      int at = rt.indexOf('@');
      host = at >= 0 ? rt.substring(at + 1) : "host";
    }
    return host + "-" + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String nameOf(ProcessOptions options) {
    return options.consumerName() != null ? options.consumerName() : generatedName();
  }

  /** {@code streams/<name>} tagged with the group and the consumer (what the bindings read). */
  private static MetricSource source(Engine<?> engine, ProcessOptions options, String consumer) {
    return MetricSource.of("streams", engine.keys().name()).withTag("group", options.group())
        .withTag("consumer", consumer);
  }

  /** The levels a metrics binding reads: the group's pending entries, the dead letters. */
  private static Instrumented levelsOf(Engine<?> engine, MetricSource source, String group) {
    return Instrumented.of(source, Map.of(Metric.PENDING, () -> engine.pendingCount(group),
        Metric.DEAD_LETTERS, engine::deadLetterCount));
  }

  /** What both modes set up: metrics, levels, and the store (its group ensured). */
  private record Setup<T>(Metrics metrics, Instrumented levels, StreamStore<T> store) {
    static <T> Setup<T> of(Engine<T> engine, ProcessOptions options) {
      String name = nameOf(options);
      MetricSource source = source(engine, options, name);
      Metrics metrics = Metrics.of(engine.client(), options.consumer().metrics(), source);
      StreamStore<T> store = new StreamStore<>(engine, options, name, metrics);
      store.ensureGroup();
      return new Setup<>(metrics, levelsOf(engine, source, options.group()), store);
    }
  }

  /** Starts a consumer of single entries. */
  public static <T> Consumer start(Engine<T> engine, ProcessOptions options,
      StreamHandler<T> handler, Runnable onClose) {
    Setup<T> su = Setup.of(engine, options);
    StreamStore<T> store = su.store();
    RetryPolicy<T> policy = options.retryPolicy();
    boolean events = engine.options().produceEvents();
    ConsumerKernel.Handler<Entry<T>> h = e -> {
      if (!e.begin()) {
        return; // superseded by a later delivery here: its settlement is skipped as stale
      }
      try {
        if (events) {
          engine.eventQuietly(Wire.event(e.id(), StreamEvent.STARTED));
        }
        handler.handle(e);
      } catch (Exception ex) {
        e.lastError(message(ex));
        if (!(ex instanceof DeadLetterException) && policy != null
            && !policy.shouldRetry(e.attempts() + 1, e.value())) {
          throw new DeadLetterException("the retry policy declined attempt " + (e.attempts() + 1)
              + " after: " + ex, ex);
        }
        throw ex;
      } finally {
        e.end();
      }
    };
    ConsumerKernel<Entry<T>> k = ConsumerKernel.start(store, h, options.consumer(),
        "redis-ext-streams", su.metrics());
    return new Consumer(k, store, options, onClose, su.metrics(), su.levels());
  }

  /** Starts a consumer of batches. */
  public static <T> Consumer startBatches(Engine<T> engine, ProcessOptions options,
      BatchHandler<T> handler, Runnable onClose) {
    Setup<T> su = Setup.of(engine, options);
    StreamStore<T> store = su.store();
    Metrics metrics = su.metrics();
    BatchStore<T> batches = new BatchStore<>(store, options.batchSize());
    RetryPolicy<T> policy = options.retryPolicy();
    ConsumerOptions co = options.consumer();
    Backoff backoff = Backoff.exponential(co.retryInitial(), co.retryMax());
    ConsumerKernel.Handler<Batch<T>> h = b -> {
      metrics.count(Metric.DELIVERED, b.entries().size());
      List<Delivery<T>> run = new ArrayList<>();
      List<Entry<T>> started = new ArrayList<>();
      for (Entry<T> e : b.entries()) {
        if (e.begin()) {
          started.add(e);
          run.add(e);
        }
      }
      List<ItemOutcome> outcomes;
      try {
        if (engine.options().produceEvents()) {
          for (Entry<T> e : started) {
            engine.eventQuietly(Wire.event(e.id(), StreamEvent.STARTED));
          }
        }
        outcomes = run.isEmpty() ? List.of() : handler.handle(run);
        if (outcomes == null || outcomes.size() != run.size()) {
          String err = "the batch handler returned " + (outcomes == null ? "null" : outcomes.size()
              + " outcomes") + " for " + run.size() + " entries";
          outcomes = new ArrayList<>();
          for (int i = 0; i < run.size(); i++) {
            outcomes.add(ItemOutcome.failure(err));
          }
        }
      } catch (Exception ex) {
        outcomes = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
          outcomes.add(ItemOutcome.failure(message(ex)));
        }
      } finally {
        started.forEach(Entry::end);
      }
      List<Settlement<Entry<T>>> decided = new ArrayList<>();
      for (int i = 0; i < started.size(); i++) {
        Entry<T> e = started.get(i);
        ItemOutcome o = outcomes.get(i);
        if (o == null) {
          o = ItemOutcome.failure("the batch handler returned a null outcome");
        }
        switch (o.kind()) {
          case SUCCESS -> {
            decided.add(Settlement.ack(e));
            metrics.count(Metric.HANDLED, 1);
          }
          case FAILURE, DEAD_LETTER -> {
            e.lastError(o.error());
            metrics.count(Metric.FAILED, 1);
            boolean dead = o.kind() == ItemOutcome.Kind.DEAD_LETTER
                || e.deliveries() >= co.maxAttempts()
                || (policy != null && !policy.shouldRetry(e.attempts() + 1, e.value()));
            if (dead) {
              decided.add(Settlement.deadLetter(e, o.error()));
              metrics.count(Metric.DEAD_LETTERED, 1);
            } else {
              Duration d = co.retryJitter() ? backoff.jittered(e.deliveries())
                  : backoff.delay(e.deliveries());
              decided.add(Settlement.retry(e, d, o.error()));
              metrics.count(Metric.RETRIED, 1);
            }
          }
        }
      }
      b.outcomes(decided);
    };
    // the kernel counts batches; the entries are reported above, one by one
    ConsumerKernel<Batch<T>> k = ConsumerKernel.start(batches, h, co, "redis-ext-streams",
        Metrics.of(MetricsListener.NONE, metrics.source()));
    return new Consumer(k, store, options, onClose, metrics, su.levels());
  }

  /** The failure text of the {@code failed} event: the message, as Python's {@code str(e)}. */
  static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
  }

  /** Whether it has shut down. */
  public boolean isClosed() {
    return kernel.isTerminated();
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String consumerName() {
    return store.consumer();
  }

  @Override
  public ConsumerStats stats() {
    return kernel.stats();
  }

  @Override
  public long duplicatesRefused() {
    return store.duplicates();
  }

  @Override
  public void close() {
    close(null);
  }

  @Override
  public boolean close(Duration grace) {
    try {
      return kernel.close(grace == null ? shutdownGrace : grace);
    } finally {
      if (detached.compareAndSet(false, true)) {
        metrics.detach(levels);
      }
      onClose.run();
    }
  }


  @Override
  public String toString() {
    return "StreamConsumer[group=" + group + ", consumer=" + store.consumer() + ", "
        + kernel.stats() + "]";
  }
}
