package io.github.redisext.worker.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.ConsumerStats;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.worker.TaskFailedException;
import io.github.redisext.worker.WorkerOptions;
import io.github.redisext.worker.WorkerStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The life of one {@code RedisWork}: starts the core {@link ConsumerKernel} over a {@link
 * TaskStore}, and stops it, on the thread calling {@code close()}, or on a short-lived thread of
 * its own when the stop comes from a handler ({@code close()} there, or a failure in
 * stop-on-failure mode): the kernel gives unstarted tasks back, waits for running handlers and
 * settles what they did, then the worker unregisters. A worker runs once.
 *
 * @param <T> the task type
 */
public final class WorkerRuntime<T> {
  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final String THREAD_PREFIX = "redis-ext-worker";
  private static final ThreadFactory STOPPERS = NamedThreads.factory(THREAD_PREFIX + "-stop",
      false);

  /** The user's handler. */
  @FunctionalInterface
  public interface Handler<T> {
    /** Handles one decoded task; an exception makes it a failed attempt. */
    void handle(T task) throws Exception;
  }

  private final UnifiedJedis client;
  private final WorkerScripts redis;
  private final Codec<T> codec;
  private final WorkerOptions options;
  private final Handler<T> handler;
  private final String workerId;
  private final Metrics metrics;
  private final Instrumented levels;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicReference<TaskFailedException> failure = new AtomicReference<>();

  private boolean started;
  private boolean stopping;
  private TaskStore<T> store;
  private ConsumerKernel<TaskStore.Task<T>> kernel;

  /** A worker; nothing runs before {@link #start()}. */
  public WorkerRuntime(UnifiedJedis client, WorkerScripts redis, Codec<T> codec,
      WorkerOptions options, Handler<T> handler, String workerId) {
    this.client = client;
    this.redis = redis;
    this.codec = codec;
    this.options = options;
    this.handler = handler;
    this.workerId = workerId;
    MetricSource source = MetricSource.of("worker", redis.keys().queue());
    this.metrics = Metrics.of(client, options.consumer().metrics(), source);
    Map<Metric, LongSupplier> readers = new LinkedHashMap<>();
    readers.put(Metric.WAITING, redis::length);
    readers.put(Metric.DELAYED, redis::delayedCount);
    readers.put(Metric.LEASED, redis::inFlightCount);
    readers.put(Metric.DEAD_LETTERS, redis::deadLetterCount);
    this.levels = Instrumented.of(source, readers);
  }

  private String queue() {
    return redis.keys().queue();
  }

  /**
   * Starts the kernel's threads; returns at once.
   *
   * @throws IllegalStateException if it was started or closed before
   */
  public synchronized void start() {
    if (stopping) {
      throw new IllegalStateException("worker '" + queue() + "' is closed");
    }
    if (started) {
      throw new IllegalStateException("worker '" + queue() + "' (" + workerId + ") was already "
          + "started (a worker runs once; create a new one)");
    }
    started = true;
    log.info("worker {} starting on queue '{}' with {}", workerId, queue(), options);
    store = new TaskStore<>(client, redis, codec, workerId, options.consumer().maxAttempts(),
        metrics);
    kernel = ConsumerKernel.start(store, this::handle, options.consumer(), THREAD_PREFIX, metrics);
    metrics.attach(levels);
  }

  private void handle(TaskStore.Task<T> task) throws Exception {
    try {
      handler.handle(task.task());
    } catch (Exception | Error e) {
      if (options.stopOnFailure() && failure.compareAndSet(null,
          new TaskFailedException(queue(), task.id(), task.attempt(), e))) {
        log.warn("worker {} on queue '{}' stops after the failure of task {} (stopOnFailure)",
            workerId, queue(), task.id());
        stopInBackground();
      }
      throw e;
    }
  }

  /** Whether {@link #start()} was called. */
  public synchronized boolean isStarted() {
    return started;
  }

  /** Whether the calling thread is one of the worker's handler threads. */
  public synchronized boolean isHandlerThread() {
    return kernel != null && kernel.isHandlerThread();
  }

  /** Starts the shutdown on a thread of its own and returns at once. Idempotent. */
  public void stopInBackground() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
      if (store != null) {
        store.stopClaiming(); // at once, on the calling (handler) thread
      }
    }
    STOPPERS.newThread(this::shutdown).start();
  }

  /** Stops the worker on this thread and returns once it has shut down. Idempotent. */
  public void stop() {
    boolean first;
    synchronized (this) {
      first = !stopping;
      stopping = true;
    }
    if (first) {
      shutdown();
    }
  }

  private void shutdown() {
    ConsumerKernel<TaskStore.Task<T>> k;
    synchronized (this) {
      k = kernel;
    }
    if (k != null) {
      metrics.detach(levels);
      k.close();
      store.unregister();
      log.info("worker {} on queue '{}' stopped: {}", workerId, queue(), stats());
    }
    terminated.countDown();
  }

  /** Waits until the worker has shut down; true if it did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits until the worker has shut down. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Whether the worker has shut down. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** The failure that stopped the worker in stop-on-failure mode, or null. */
  public TaskFailedException failure() {
    return failure.get();
  }

  /** The counters now. */
  public WorkerStats stats() {
    ConsumerKernel<TaskStore.Task<T>> k;
    TaskStore<T> s;
    synchronized (this) {
      k = kernel;
      s = store;
    }
    if (k == null) {
      return new WorkerStats(0, 0, 0, 0, 0);
    }
    ConsumerStats c = k.stats();
    return new WorkerStats(c.handled(), c.failed(), c.retried(),
        c.deadLettered() + s.deadLettered(), c.running());
  }
}
