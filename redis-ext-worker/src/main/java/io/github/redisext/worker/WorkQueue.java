package io.github.redisext.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.support.Args;
import io.github.redisext.worker.internal.QueueKeys;
import io.github.redisext.worker.internal.Scripts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * The producer and admin side of a {@link RedisWork} queue: push tasks, read the queue's gauges,
 * and list, requeue or purge dead letters. Thread-safe; holds no connection of its own.
 *
 * <p>A task is the codec's text (JSON by default) appended with {@code RPUSH} to the list key, used
 * as is: exactly what a Python producer of the original library does, so producers in both
 * languages can feed the same workers.
 *
 * <pre>{@code
 * WorkQueue<Email> emails = new WorkQueue<>(redis, "{emails}", Email.class);
 * emails.push(new Email("a@example.com", "hi"));
 * emails.pushAll(batch);                       // one round trip
 * long waiting = emails.length();
 * for (DeadLetter d : emails.deadLetters(100)) { log(d.error(), d.payload()); }
 * emails.requeueAllDeadLetters();
 * }</pre>
 *
 * @param <T> the task type
 */
public final class WorkQueue<T> {
  private static final int PUSH_CHUNK = 1000;
  private static final int DEAD_CHUNK = 500;

  private final UnifiedJedis client;
  private final QueueKeys keys;
  private final Codec<T> codec;

  /**
   * A queue of JSON-encoded tasks of class {@code type} (compact JSON, {@link JsonCodec#of(Class)}).
   *
   * @param client any Jedis client (standalone, cluster, sentinel)
   * @param key the list key, used as is; on a cluster it needs a hash tag, e.g. {@code "{emails}"}
   * @throws KeyNameException if the key is blank, or has no hash tag on a cluster client
   * @throws NullPointerException if an argument is null
   */
  public WorkQueue(UnifiedJedis client, String key, Class<T> type) {
    this(client, key, JsonCodec.of(Args.notNull(type, "type")));
  }

  /**
   * A queue whose tasks are written by {@code codec}.
   *
   * @throws KeyNameException if the key is blank, or has no hash tag on a cluster client
   * @throws NullPointerException if an argument is null
   */
  public WorkQueue(UnifiedJedis client, String key, Codec<T> codec) {
    this.client = Args.notNull(client, "client");
    this.codec = Args.notNull(codec, "codec");
    this.keys = QueueKeys.of(client, key);
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
   */
  public void push(T task) {
    Args.notNull(task, "task");
    client.rpush(keys.queue(), codec.encode(task));
  }

  /**
   * Appends many tasks in order, in one pipelined round trip (RPUSH commands of up to 1,000 tasks
   * each). Every task is encoded before anything is sent, so an encoding error pushes nothing.
   *
   * @throws NullPointerException if {@code tasks} is or contains null (the message names the
   *     element)
   * @throws io.github.redisext.core.CodecException if the codec cannot encode one of them
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
    if (texts.length <= PUSH_CHUNK) {
      client.rpush(keys.queue(), texts);
      return;
    }
    try (AbstractPipeline p = client.pipelined()) {
      for (int from = 0; from < texts.length; from += PUSH_CHUNK) {
        String[] chunk = java.util.Arrays.copyOfRange(texts, from,
            Math.min(texts.length, from + PUSH_CHUNK));
        p.rpush(keys.queue(), chunk);
      }
      p.sync();
    }
  }

  /** Tasks waiting in the list (LLEN); retries waiting for their backoff are not included. */
  public long length() {
    return client.llen(keys.queue());
  }

  /** Tasks waiting for a retry (their backoff) or just recovered from a dead worker. */
  public long delayedCount() {
    return client.zcard(keys.delayed());
  }

  /**
   * Tasks fetched by live or not yet recovered workers and not yet settled (including tasks
   * prefetched but not started). A gauge: it reads each registered worker in turn.
   */
  public long inFlightCount() {
    long n = 0;
    for (String w : client.zrange(keys.workers(), 0, -1)) {
      n += client.hlen(keys.inflight(w)) + client.llen(keys.claim(w));
    }
    return n;
  }

  /** Tasks in the dead-letter list. */
  public long deadLetterCount() {
    return client.llen(keys.dead());
  }

  /**
   * The oldest dead letters, up to {@code max}.
   *
   * @throws IllegalArgumentException if {@code max} is below 1
   */
  public List<DeadLetter> deadLetters(int max) {
    Args.positive(max, "max");
    List<String> raw = client.lrange(keys.dead(), 0, max - 1);
    List<DeadLetter> out = new ArrayList<>(raw.size());
    for (String entry : raw) {
      out.add(parse(entry));
    }
    return out;
  }

  /**
   * Puts dead letters back at the tail of the queue (their raw text, with a fresh attempt count)
   * and removes them from the dead-letter list, atomically per letter. Letters no longer in the
   * list (requeued or purged meanwhile) are skipped.
   *
   * @return how many were requeued
   * @throws NullPointerException if {@code letters} is or contains null
   */
  public long requeue(Collection<DeadLetter> letters) {
    Args.noNulls(letters, "letters");
    long n = 0;
    List<String> args = new ArrayList<>();
    for (DeadLetter d : letters) {
      args.add(d.entry());
      args.add(d.payload());
      if (args.size() >= 2 * DEAD_CHUNK) {
        n += Scripts.requeueDead(client, keys, args);
        args.clear();
      }
    }
    if (!args.isEmpty()) {
      n += Scripts.requeueDead(client, keys, args);
    }
    return n;
  }

  /**
   * Requeues every dead letter (see {@link #requeue(Collection)}).
   *
   * @return how many were requeued
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
   */
  public long purge(Collection<DeadLetter> letters) {
    Args.noNulls(letters, "letters");
    if (letters.isEmpty()) {
      return 0;
    }
    List<String> entries = new ArrayList<>(letters.size());
    for (DeadLetter d : letters) {
      entries.add(d.entry());
    }
    return Scripts.purgeDead(client, keys, entries);
  }

  /**
   * Deletes every dead letter.
   *
   * @return how many were removed
   */
  public long purgeAllDeadLetters() {
    return Scripts.purgeAllDead(client, keys);
  }

  private static DeadLetter parse(String entry) {
    try {
      JsonObject o = JsonParser.parseString(entry).getAsJsonObject();
      return new DeadLetter(str(o.get("id")), str(o.get("payload")), str(o.get("error")),
          o.has("attempts") ? o.get("attempts").getAsInt() : 0,
          o.has("failedAt") ? Instant.ofEpochMilli(o.get("failedAt").getAsLong()) : null,
          str(o.get("worker")), entry);
    } catch (RuntimeException e) {
      return new DeadLetter(null, entry, "unreadable dead-letter entry: " + e.getMessage(), 0, null,
          null, entry);
    }
  }

  private static String str(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  @Override
  public String toString() {
    return "WorkQueue[" + keys.queue() + "]";
  }
}
