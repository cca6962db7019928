package io.github.redisext.worker;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.support.Args;
import io.github.redisext.worker.internal.Engine;
import io.github.redisext.worker.internal.QueueKeys;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.UnifiedJedis;

/**
 * A reliable thread-pool worker consuming a Redis list: subclass it, implement {@link
 * #handle(Object)}, and {@link #start()} it. Tasks are JSON documents (or whatever the {@link
 * Codec} reads) pushed to the tail of the list by {@link WorkQueue} or by any process with a plain
 * {@code RPUSH key <json>}, as the Python original's producers do.
 *
 * <pre>{@code
 * record Email(String to, String subject) {}
 *
 * class Mailer extends RedisWork<Email> {
 *   Mailer(UnifiedJedis redis) {
 *     super(redis, "{emails}", Email.class, WorkerOptions.builder().concurrency(8).build());
 *   }
 *   @Override protected void handle(Email e) throws Exception { smtp.send(e.to(), e.subject()); }
 * }
 *
 * try (Mailer m = new Mailer(redis)) {
 *   m.startInBackground();          // or m.start() to block this thread
 *   new WorkQueue<>(redis, "{emails}", Email.class).push(new Email("a@example.com", "hi"));
 *   ...
 * }                                  // close(): stop fetching, finish running handlers, give back the rest
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>At least once.</b> A fetch moves tasks atomically (one Lua script) from the list into
 *       an in-flight hash owned by this worker, under a lease the worker renews every third of
 *       {@link WorkerOptions#leaseTimeout()}. A task leaves it only when {@code handle} returned
 *       (acknowledged), failed (retry or dead letter) or was given back unstarted. When the
 *       process dies (kill -9), its lease expires and any live worker on the queue puts its tasks
 *       back. A task may therefore run more than once (after a crash or a lost lease): make
 *       handlers idempotent.
 *   <li><b>Retries.</b> A failed task is retried after {@code retryInitialDelay * 2^(n-1)}
 *       (jittered, capped) until {@link WorkerOptions#maxAttempts()} deliveries were made, then
 *       moved to the dead-letter list with its raw text, the error, the attempt count and the time.
 *       A delivery whose process died counts as an attempt.
 *   <li><b>Nothing lost.</b> A payload the codec cannot read (not valid UTF-8, malformed, JSON
 *       {@code null}, or of the wrong shape with a strict codec) goes to the dead-letter list at
 *       once with its raw bytes; no thread dies of it and {@code handle} never sees it. Every
 *       script checks the types of the keys it writes first: a key holding another type (a
 *       {@link io.github.redisext.core.WrongTypeException} naming it, logged by the worker's
 *       threads) changes nothing, and the tasks are handled once the key is fixed.
 *   <li><b>Back-pressure.</b> At most {@link WorkerOptions#concurrency()} handlers run at once, and
 *       at most {@code concurrency + prefetch} tasks are held by this worker; fetching pauses when
 *       they are all taken.
 *   <li><b>Redis faults.</b> When Redis is unreachable every thread logs, backs off and resumes by
 *       itself; running handlers are not disturbed.
 * </ul>
 *
 * <p>Ordering is FIFO per fetch (the list head first); with several handlers or workers tasks
 * naturally complete out of order, and retries come back after their delay.
 *
 * <p>Threads: one fetcher, {@code concurrency} handlers, one settler (acknowledgements) and one
 * keeper (lease), all named {@code redis-ext-worker-N}. The client's pool needs about three
 * connections per worker besides those the handlers use.
 *
 * @param <T> the task type
 */
public abstract class RedisWork<T> implements AutoCloseable {
  private final String key;
  private final WorkerOptions options;
  private final String workerId;
  private final WorkQueue<T> queue;
  private final Engine<T> engine;

  /**
   * A worker with default options for JSON tasks of class {@code type}.
   *
   * @param client any Jedis client (standalone, cluster, sentinel); not closed by the worker
   * @param key the list key, used as is (Python-compatible); on a cluster it needs a hash tag,
   *     e.g. {@code "{emails}"}
   * @throws KeyNameException if the key is blank, or has no hash tag on a cluster client
   * @throws NullPointerException if an argument is null
   */
  protected RedisWork(UnifiedJedis client, String key, Class<T> type) {
    this(client, key, type, WorkerOptions.defaults());
  }

  /**
   * A worker for JSON tasks of class {@code type}.
   *
   * @throws KeyNameException if the key is blank, or has no hash tag on a cluster client
   * @throws NullPointerException if an argument is null
   */
  protected RedisWork(UnifiedJedis client, String key, Class<T> type, WorkerOptions options) {
    this(client, key, JsonCodec.of(Args.notNull(type, "type")), options);
  }

  /**
   * A worker whose tasks are read by {@code codec}.
   *
   * @throws KeyNameException if the key is blank, or has no hash tag on a cluster client
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
    this.queue = new WorkQueue<>(client, key, codec);
    this.engine = new Engine<>(client, keys, codec, options, this::handle, workerId);
  }

  /**
   * Handles one task. Called on one of the worker's handler threads, at most {@link
   * WorkerOptions#concurrency()} at a time. Returning acknowledges the task; throwing anything
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
   * @throws IllegalStateException if the worker was already started
   */
  public final void start() {
    engine.start();
    try {
      engine.awaitTermination();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      return;
    }
    TaskFailedException f = engine.failure();
    if (f != null) {
      throw f;
    }
  }

  /**
   * Starts the worker's threads and returns at once. Stop it with {@link #close()}; in
   * stop-on-failure mode it stops by itself and {@link #failure()} tells why.
   *
   * @throws IllegalStateException if the worker was already started
   */
  public final void startInBackground() {
    engine.start();
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
    return engine.awaitTermination(timeout.compareTo(max) > 0 ? max : timeout);
  }

  /** Whether the worker has been started and has not shut down yet. */
  public final boolean isRunning() {
    return engine.isStarted() && !engine.isTerminated();
  }

  /** In stop-on-failure mode, the failure that stopped the worker; otherwise null. */
  public final TaskFailedException failure() {
    return engine.failure();
  }

  /**
   * Stops the worker: fetching stops (a blocking fetch in progress is cut at once when the client
   * is a {@code RedisClient} or {@code RedisClusterClient}, otherwise it ends within {@link
   * WorkerOptions#fetchTimeout()}), prefetched tasks not yet started go back to the head of the
   * queue, running handlers get {@link WorkerOptions#shutdownGrace()} to finish (then they are
   * interrupted), pending acknowledgements are written, and every thread ends. Idempotent. Called
   * from a handler, it only starts the shutdown and returns.
   */
  @Override
  public final void close() {
    engine.stop();
    if (!engine.isStarted()) {
      engine.closeUnstarted();
      return;
    }
    if (engine.isHandlerThread()) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        engine.awaitTermination();
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
    return engine.stats();
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
