package io.github.redisext.worker;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.support.Args;
import io.github.redisext.worker.internal.QueueKeys;
import io.github.redisext.worker.internal.WorkerRuntime;
import io.github.redisext.worker.internal.WorkerScripts;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.UnifiedJedis;

/**
 * A reliable thread-pool worker consuming a Redis list: subclass it and implement {@link
 * #handle(Object)} (the Python original's shape), or hand a handler to {@link #create(UnifiedJedis,
 * String, Class, Handler, WorkerOptions)}; then {@link #start()} it. Tasks are JSON documents (or
 * whatever the {@link Codec} reads) pushed to the tail of the list by {@link WorkQueue} or by any
 * process with a plain {@code RPUSH key <json>}, as the Python original's producers do.
 *
 * <pre>{@code
 * record Email(String to, String subject) {}
 *
 * class Mailer extends RedisWork<Email> {
 *   Mailer(UnifiedJedis redis) {
 *     super(redis, "emails", Email.class, WorkerOptions.builder().concurrency(8).build());
 *   }
 *   @Override protected void handle(Email e) throws Exception { smtp.send(e.to(), e.subject()); }
 * }
 *
 * try (Mailer m = new Mailer(redis)) {
 *   m.startInBackground();          // or m.start() to block this thread
 *   WorkQueue.create(redis, "emails", Email.class).push(new Email("a@example.com", "hi"));
 *   ...
 * }                                  // close(): stop claiming, finish running handlers, give back the rest
 *
 * // or without a subclass:
 * RedisWork<Email> w = RedisWork.create(redis, "emails", Email.class,
 *     e -> smtp.send(e.to(), e.subject()), WorkerOptions.defaults());
 * }</pre>
 *
 * <p>The name is the list key: used as given on a standalone or sentinel server (the Python
 * layout), tagged ({@code "{emails}"}) on a cluster unless it already carries a hash tag, so
 * {@code "emails"} and {@code "{emails}"} both work everywhere.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>At least once.</b> A claim moves tasks atomically (one Lua script) from the list into
 *       an in-flight hash owned by this worker, under a lease the worker renews every third of
 *       its {@code lease}. A task leaves it only when {@code handle} returned (acknowledged),
 *       failed (retry or dead letter) or was given back unstarted. When the process dies (kill
 *       -9), its lease expires and any live worker on the queue puts its tasks back. A task may
 *       therefore run more than once (after a crash or a lost lease): make handlers idempotent.
 *   <li><b>Retries.</b> A failed task is retried after {@code retryBackoff initial * 2^(n-1)}
 *       (jittered, capped) until {@code maxAttempts} deliveries were made, then moved to the
 *       dead-letter list with its raw text, the error, the attempt count and the time. A delivery
 *       whose process died counts as an attempt.
 *   <li><b>Nothing lost.</b> A payload the codec cannot read (not valid UTF-8, malformed, JSON
 *       {@code null}, or of the wrong shape with a strict codec) goes to the dead-letter list at
 *       once with its raw bytes; no thread dies of it and {@code handle} never sees it. Every
 *       script checks the types of the keys it writes first: a key holding another type (a
 *       {@link io.github.redisext.core.WrongTypeException} naming it, logged by the worker's
 *       threads) changes nothing, and the tasks are handled once the key is fixed.
 *   <li><b>Back-pressure.</b> At most {@code concurrency} handlers run at once, and at most
 *       {@code concurrency + prefetch} tasks are held by this worker; claiming pauses when they
 *       are all taken.
 *   <li><b>Pickup.</b> An idle worker waits in a blocking BLMOVE, so a pushed task reaches a
 *       handler within about two round trips, not a polling interval.
 *   <li><b>Redis faults.</b> When Redis is unreachable every thread logs, backs off and resumes by
 *       itself; running handlers are not disturbed.
 * </ul>
 *
 * <p>Ordering is FIFO per claim (the list head first); with several handlers or workers tasks
 * naturally complete out of order, and retries come back after their delay.
 *
 * <p>Runs on core's {@link io.github.redisext.core.consumer.ConsumerKernel}: {@code concurrency
 * + 1} threads taking turns at claiming and handling (at most {@code concurrency} handle) and one
 * settling thread, all named {@code redis-ext-worker-N};
 * leases are renewed on core's shared scheduler. The client's pool needs about three connections
 * per worker besides those the handlers use. Metrics go to {@code options.consumer().metrics()}
 * under {@code MetricSource.of("worker", key())}.
 *
 * @param <T> the task type
 */
public abstract class RedisWork<T> implements AutoCloseable {
  private final String key;
  private final WorkerOptions options;
  private final String workerId;
  private final WorkQueue<T> queue;
  private final WorkerRuntime<T> runtime;

  /**
   * Handles one task of a worker made by {@link RedisWork#create}.
   *
   * @param <T> the task type
   */
  @FunctionalInterface
  public interface Handler<T> {
    /**
     * Handles {@code task}; returning acknowledges it, throwing makes it a failed attempt (see
     * {@link RedisWork#handle(Object)}).
     *
     * @throws Exception to fail this attempt
     */
    void handle(T task) throws Exception;
  }

  /**
   * A worker with default options for JSON tasks of class {@code type}.
   *
   * @param client any Jedis client (standalone, cluster, sentinel); not closed by the worker
   * @param key the list key, used as given (Python-compatible); on a cluster an untagged name is
   *     tagged ({@code "emails"} becomes {@code "{emails}"})
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  protected RedisWork(UnifiedJedis client, String key, Class<T> type) {
    this(client, key, type, WorkerOptions.defaults());
  }

  /**
   * A worker for JSON tasks of class {@code type}.
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  protected RedisWork(UnifiedJedis client, String key, Class<T> type, WorkerOptions options) {
    this(client, key, JsonCodec.of(Args.notNull(type, "type")), options);
  }

  /**
   * A worker whose tasks are read by {@code codec}.
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  protected RedisWork(UnifiedJedis client, String key, Codec<T> codec, WorkerOptions options) {
    Args.notNull(client, "client");
    Args.notNull(codec, "codec");
    this.options = Args.notNull(options, "options");
    QueueKeys keys = QueueKeys.of(client, key);
    this.key = keys.queue();
    this.workerId = "w" + ProcessHandle.current().pid() + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    WorkerScripts redis = new WorkerScripts(client, keys);
    this.queue = new WorkQueue<>(client, redis, codec, options.consumer().metrics());
    this.runtime = new WorkerRuntime<>(client, redis, codec, options, this::handle, workerId);
  }

  /**
   * A worker for JSON tasks of class {@code type} that runs {@code handler} (no subclass needed).
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  public static <T> RedisWork<T> create(UnifiedJedis client, String key, Class<T> type,
      Handler<? super T> handler, WorkerOptions options) {
    return create(client, key, JsonCodec.of(Args.notNull(type, "type")), handler, options);
  }

  /**
   * A worker whose tasks are read by {@code codec} and run by {@code handler}.
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  public static <T> RedisWork<T> create(UnifiedJedis client, String key, Codec<T> codec,
      Handler<? super T> handler, WorkerOptions options) {
    Args.notNull(handler, "handler");
    return new RedisWork<>(client, key, codec, options) {
      @Override
      protected void handle(T task) throws Exception {
        handler.handle(task);
      }
    };
  }

  /**
   * Handles one task. Called on one of the worker's handler threads, at most {@code
   * options().consumer().concurrency()} at a time. Returning acknowledges the task; throwing anything
   * makes it a failed attempt (retried later or dead-lettered). Interruption means the worker is
   * shutting down past its grace period.
   *
   * @param task the decoded task, never null (a payload that decodes to null, such as the JSON
   *     literal {@code null}, goes to the dead-letter list as undecodable, like a payload that is
   *     not valid UTF-8 or that the codec rejects)
   * @throws Exception to fail this attempt
   */
  protected abstract void handle(T task) throws Exception;

  /**
   * Runs the worker on its threads and blocks the caller until {@link #close()} is called (from
   * another thread or from a handler) or, with {@link WorkerOptions#stopOnFailure()}, a handler
   * failed. If the calling thread is interrupted, the worker is closed and this returns with the
   * interrupt flag set.
   *
   * @throws TaskFailedException in stop-on-failure mode, after the worker shut down, with the
   *     handler's exception as its cause
   * @throws IllegalStateException if the worker was already started, or is closed
   */
  public final void start() {
    runtime.start();
    try {
      runtime.awaitTermination();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      return;
    }
    TaskFailedException f = runtime.failure();
    if (f != null) {
      throw f;
    }
  }

  /**
   * Starts the worker's threads and returns at once. Stop it with {@link #close()}; in
   * stop-on-failure mode it stops by itself and {@link #failure()} tells why.
   *
   * @throws IllegalStateException if the worker was already started, or is closed
   */
  public final void startInBackground() {
    runtime.start();
  }

  /**
   * Waits until the worker has shut down (after {@link #close()}, or by itself in stop-on-failure
   * mode).
   *
   * @param timeout how long to wait at most; not negative. A timeout too long for a {@code long}
   *     of nanoseconds (about 292 years) is saturated to that, i.e. waits for ever in practice.
   * @return true if it has shut down within {@code timeout}
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws InterruptedException if interrupted while waiting
   */
  public final boolean awaitTermination(Duration timeout) throws InterruptedException {
    Args.nonNegative(timeout, "timeout");
    Duration max = Duration.ofNanos(Long.MAX_VALUE);
    return runtime.awaitTermination(timeout.compareTo(max) > 0 ? max : timeout);
  }

  /** Whether the worker has been started and has not shut down yet. */
  public final boolean isRunning() {
    return runtime.isStarted() && !runtime.isTerminated();
  }

  /** In stop-on-failure mode, the failure that stopped the worker; otherwise null. */
  public final TaskFailedException failure() {
    return runtime.failure();
  }

  /**
   * Stops the worker: claiming stops (a blocking claim in progress is cut at once when the client
   * is a {@code RedisClient} or {@code RedisClusterClient}, otherwise it ends within the {@code
   * idleWait}), claimed tasks not yet started go back to the head of the queue, running handlers
   * get {@code shutdownGrace} to finish (then they are interrupted), their settlements are
   * written, and every thread ends. Idempotent. Called from a handler, it only starts the shutdown
   * and returns. Afterwards {@link #start()} and {@link #startInBackground()} throw {@link
   * IllegalStateException}.
   */
  @Override
  public final void close() {
    if (runtime.isHandlerThread()) {
      runtime.stopInBackground();
      return;
    }
    runtime.stop();
    boolean interrupted = false;
    while (true) {
      try {
        runtime.awaitTermination();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** This worker's counters now. Thread-safe. */
  public final WorkerStats stats() {
    return runtime.stats();
  }

  /** A producer/admin view of the same queue (same client and codec). */
  public final WorkQueue<T> queue() {
    return queue;
  }

  /** The list key. */
  public final String key() {
    return key;
  }

  /** This worker's id: names its lease and in-flight keys, and appears in its log messages. */
  public final String workerId() {
    return workerId;
  }

  /** The options. */
  public final WorkerOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + key + ", " + workerId + "]";
  }
}
