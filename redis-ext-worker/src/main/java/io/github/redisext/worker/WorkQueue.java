package io.github.redisext.worker;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.worker.internal.QueueKeys;
import io.github.redisext.worker.internal.WorkerScripts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The producer and admin side of a {@link RedisWork} queue: push tasks, read the queue's gauges,
 * and list, requeue or purge dead letters. Thread-safe; holds no connection of its own.
 *
 * <p>A task is the codec's text (JSON by default) appended with {@code RPUSH} to the list key:
 * exactly what a Python producer of the original library does, so producers in both languages can
 * feed the same workers. The name is the list key as given on a standalone or sentinel server,
 * tagged ({@code "{emails}"}) on a cluster unless it already carries a hash tag.
 *
 * <pre>{@code
 * WorkQueue<Email> emails = WorkQueue.create(redis, "emails", Email.class);
 * emails.push(new Email("a@example.com", "hi"));
 * emails.pushAll(batch);                       // one round trip
 * long waiting = emails.length();
 * for (DeadLetter d : emails.deadLetters(100)) { log(d.error(), d.payload()); }
 * emails.requeueAllDeadLetters();
 * }</pre>
 *
 * <p>Dead letters are core's {@link DeadLetter}: {@code rawPayload()} byte-exact, {@code error()},
 * {@code attempts()}, {@code failedAt()} (server clock), {@code consumer()} = the id of the worker
 * that gave up on the task; {@code ref()} is the stored entry, by which requeue and purge find it.
 *
 * <p>Every method that touches a key of the queue holding another Redis type than the worker keeps
 * there (say someone ran {@code SET <key>:dead oops}) throws {@link WrongTypeException} naming that
 * key, and changes nothing.
 *
 * @param <T> the task type
 */
public final class WorkQueue<T> {
  /** Most dead letters {@link #deadLetters(int)} returns in one call: 100,000. */
  public static final int MAX_DEAD_LETTERS_PER_CALL = 100_000;
  private static final int DEAD_CHUNK = 500;

  private final WorkerScripts redis;
  private final QueueKeys keys;
  private final Codec<T> codec;
  private final Metrics metrics;

  WorkQueue(UnifiedJedis client, WorkerScripts redis, Codec<T> codec, MetricsListener metrics) {
    this.redis = redis;
    this.keys = redis.keys();
    this.codec = codec;
    this.metrics = Metrics.of(client, metrics, MetricSource.of("worker", keys.queue()));
    Registry.announce(client, "worker", keys.queue(),
        Map.of("queue", keys.queue(), "dead", keys.dead()));
  }

  /**
   * A queue of JSON-encoded tasks of class {@code type} (compact JSON, {@link JsonCodec#of(Class)}).
   *
   * @param client any Jedis client (standalone, cluster, sentinel)
   * @param key the list key, used as given; on a cluster an untagged name is tagged
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  public static <T> WorkQueue<T> create(UnifiedJedis client, String key, Class<T> type) {
    return create(client, key, JsonCodec.of(Args.notNull(type, "type")));
  }

  /**
   * A queue whose tasks are written by {@code codec}.
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  public static <T> WorkQueue<T> create(UnifiedJedis client, String key, Codec<T> codec) {
    return create(client, key, codec, MetricsListener.NONE);
  }

  /**
   * A queue whose tasks are written by {@code codec} and whose pushes are reported to {@code
   * metrics} ({@code PUBLISHED}, under {@code MetricSource.of("worker", key())}).
   *
   * @throws KeyNameException if the key is blank or has braces that form no hash tag
   * @throws NullPointerException if an argument is null
   */
  public static <T> WorkQueue<T> create(UnifiedJedis client, String key, Codec<T> codec,
      MetricsListener metrics) {
    Args.notNull(client, "client");
    Args.notNull(codec, "codec");
    Args.notNull(metrics, "metrics");
    return new WorkQueue<>(client, new WorkerScripts(client, QueueKeys.of(client, key)), codec,
        metrics);
  }

  /** The list key. */
  public String key() {
    return keys.queue();
  }

  /**
   * Appends one task (RPUSH); it is durable in Redis when this returns.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws io.github.redisext.core.CodecException if the codec cannot encode it
   * @throws WrongTypeException if the list key holds another type (nothing is pushed)
   */
  public void push(T task) {
    Args.notNull(task, "task");
    redis.push(codec.encode(task));
    metrics.count(Metric.PUBLISHED, 1);
  }

  /**
   * Appends many tasks in order, in one pipelined round trip (RPUSH commands of up to 1,000 tasks
   * each); any number of tasks works (tested with 100,000). Every task is encoded before anything
   * is sent, so an encoding error pushes nothing. Not atomic as a whole: a connection lost midway
   * may leave the first chunks pushed (the call then throws).
   *
   * @throws NullPointerException if {@code tasks} is or contains null (the message names the
   *     element)
   * @throws io.github.redisext.core.CodecException if the codec cannot encode one of them
   * @throws WrongTypeException if the list key holds another type (nothing is pushed)
   */
  public void pushAll(Collection<? extends T> tasks) {
    Args.noNulls(tasks, "tasks");
    if (tasks.isEmpty()) {
      return;
    }
    String[] texts = new String[tasks.size()];
    int i = 0;
    for (T t : tasks) {
      texts[i++] = codec.encode(t);
    }
    redis.push(texts);
    metrics.count(Metric.PUBLISHED, texts.length);
  }

  /**
   * Tasks waiting in the list (LLEN); retries waiting for their backoff are not included.
   *
   * @throws WrongTypeException if the list key holds another type
   */
  public long length() {
    return redis.length();
  }

  /**
   * Tasks waiting for a retry (their backoff) or just recovered from a dead worker.
   *
   * @throws WrongTypeException if the delayed key holds another type
   */
  public long delayedCount() {
    return redis.delayedCount();
  }

  /**
   * Tasks fetched by live or not yet recovered workers and not yet settled (including tasks
   * prefetched but not started). A gauge: it reads each registered worker in turn.
   *
   * @throws WrongTypeException if the workers key or a worker's in-flight or claim key holds
   *     another type
   */
  public long inFlightCount() {
    return redis.inFlightCount();
  }

  /**
   * Tasks in the dead-letter list.
   *
   * @throws WrongTypeException if the dead-letter key holds another type
   */
  public long deadLetterCount() {
    return redis.deadLetterCount();
  }

  /**
   * The oldest dead letters, up to {@code max}.
   *
   * @param max 1 to {@link #MAX_DEAD_LETTERS_PER_CALL}
   * @throws IllegalArgumentException if {@code max} is out of that range
   * @throws WrongTypeException if the dead-letter key holds another type
   */
  public List<DeadLetter> deadLetters(int max) {
    Args.inRange(max, 1, MAX_DEAD_LETTERS_PER_CALL, "max");
    return redis.deadLetters(max);
  }

  /**
   * Puts dead letters back at the tail of the queue (their raw bytes, exactly as they were queued,
   * also when they are not UTF-8; with a fresh attempt count) and removes them from the
   * dead-letter list, atomically per letter. Letters no longer in the list (requeued or purged
   * meanwhile) are skipped.
   *
   * @return how many were requeued
   * @throws NullPointerException if {@code letters} is or contains null
   * @throws WrongTypeException if the dead-letter or list key holds another type (nothing of the
   *     current batch of up to 500 letters is changed)
   */
  public long requeue(Collection<DeadLetter> letters) {
    Args.noNulls(letters, "letters");
    long n = 0;
    List<DeadLetter> chunk = new ArrayList<>();
    for (DeadLetter d : letters) {
      chunk.add(d);
      if (chunk.size() >= DEAD_CHUNK) {
        n += redis.requeueDead(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      n += redis.requeueDead(chunk);
    }
    return n;
  }

  /**
   * Requeues every dead letter (see {@link #requeue(Collection)}).
   *
   * @return how many were requeued
   * @throws WrongTypeException if the dead-letter or list key holds another type
   */
  public long requeueAllDeadLetters() {
    long total = 0;
    while (true) {
      List<DeadLetter> batch = deadLetters(DEAD_CHUNK);
      if (batch.isEmpty()) {
        return total;
      }
      long n = requeue(batch);
      total += n;
      if (n == 0) {
        return total;
      }
    }
  }

  /**
   * Deletes the given dead letters.
   *
   * @return how many were removed
   * @throws NullPointerException if {@code letters} is or contains null
   * @throws WrongTypeException if the dead-letter key holds another type
   */
  public long purge(Collection<DeadLetter> letters) {
    Args.noNulls(letters, "letters");
    if (letters.isEmpty()) {
      return 0;
    }
    return redis.purgeDead(List.copyOf(letters));
  }

  /**
   * Deletes every dead letter.
   *
   * @return how many were removed
   * @throws WrongTypeException if the dead-letter key holds another type (it is not deleted)
   */
  public long purgeAllDeadLetters() {
    return redis.purgeAllDead();
  }

  @Override
  public String toString() {
    return "WorkQueue[" + keys.queue() + "]";
  }
}
