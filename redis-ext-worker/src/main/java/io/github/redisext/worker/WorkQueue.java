package io.github.redisext.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.worker.internal.QueueKeys;
import io.github.redisext.worker.internal.Scripts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

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
 * <p>Every method that touches a key of the queue holding another Redis type than the worker keeps
 * there (say someone ran {@code SET <key>:dead oops}) throws {@link WrongTypeException} naming that
 * key, and changes nothing.
 *
 * @param <T> the task type
 */
public final class WorkQueue<T> {
  /** Most dead letters {@link #deadLetters(int)} returns in one call: 100,000. */
  public static final int MAX_DEAD_LETTERS_PER_CALL = 100_000;
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
   * @throws WrongTypeException if the list key holds another type (nothing is pushed)
   */
  public void push(T task) {
    Args.notNull(task, "task");
    String text = codec.encode(task);
    KeyTypes.call(client, () -> client.rpush(keys.queue(), text), keys.queue(), "list");
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
    String queue = keys.queue();
    if (texts.length <= PUSH_CHUNK) {
      KeyTypes.call(client, () -> client.rpush(queue, texts), queue, "list");
      return;
    }
    List<Response<Long>> replies = new ArrayList<>();
    try (AbstractPipeline p = client.pipelined()) {
      for (int from = 0; from < texts.length; from += PUSH_CHUNK) {
        replies.add(p.rpush(queue, Arrays.copyOfRange(texts, from,
            Math.min(texts.length, from + PUSH_CHUNK))));
      }
      p.sync();
    }
    for (Response<Long> r : replies) {
      try {
        r.get();
      } catch (JedisDataException e) {
        throw KeyTypes.translate(client, e, queue, "list");
      }
    }
  }

  /**
   * Tasks waiting in the list (LLEN); retries waiting for their backoff are not included.
   *
   * @throws WrongTypeException if the list key holds another type
   */
  public long length() {
    String k = keys.queue();
    return KeyTypes.call(client, () -> client.llen(k), k, "list");
  }

  /**
   * Tasks waiting for a retry (their backoff) or just recovered from a dead worker.
   *
   * @throws WrongTypeException if the delayed key holds another type
   */
  public long delayedCount() {
    String k = keys.delayed();
    return KeyTypes.call(client, () -> client.zcard(k), k, "zset");
  }

  /**
   * Tasks fetched by live or not yet recovered workers and not yet settled (including tasks
   * prefetched but not started). A gauge: it reads each registered worker in turn.
   *
   * @throws WrongTypeException if the workers key or a worker's in-flight or claim key holds
   *     another type
   */
  public long inFlightCount() {
    long n = 0;
    String workers = keys.workers();
    for (String w : KeyTypes.call(client, () -> client.zrange(workers, 0, -1), workers, "zset")) {
      String inflight = keys.inflight(w);
      String claim = keys.claim(w);
      n += KeyTypes.call(client, () -> client.hlen(inflight), inflight, "hash")
          + KeyTypes.call(client, () -> client.llen(claim), claim, "list");
    }
    return n;
  }

  /**
   * Tasks in the dead-letter list.
   *
   * @throws WrongTypeException if the dead-letter key holds another type
   */
  public long deadLetterCount() {
    String k = keys.dead();
    return KeyTypes.call(client, () -> client.llen(k), k, "list");
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
    String k = keys.dead();
    List<String> raw = KeyTypes.call(client, () -> client.lrange(k, 0, max - 1), k, "list");
    List<DeadLetter> out = new ArrayList<>(raw.size());
    for (String entry : raw) {
      out.add(parse(entry));
    }
    return out;
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
    List<byte[]> args = new ArrayList<>();
    for (DeadLetter d : letters) {
      args.add(d.entry().getBytes(StandardCharsets.UTF_8));
      args.add(d.rawPayloadUnsafe());
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
   * @throws WrongTypeException if the dead-letter key holds another type (it is not deleted)
   */
  public long purgeAllDeadLetters() {
    return Scripts.purgeAllDead(client, keys);
  }

  private static DeadLetter parse(String entry) {
    try {
      JsonObject o = JsonParser.parseString(entry).getAsJsonObject();
      String payload = str(o.get("payload"));
      byte[] raw;
      if (payload == null && o.has("payloadHex")) {
        raw = HexFormat.of().parseHex(o.get("payloadHex").getAsString());
        payload = new String(raw, StandardCharsets.UTF_8);
      } else {
        raw = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
      }
      return new DeadLetter(str(o.get("id")), payload, raw, str(o.get("error")),
          o.has("attempts") ? o.get("attempts").getAsInt() : 0,
          o.has("failedAt") ? Instant.ofEpochMilli(o.get("failedAt").getAsLong()) : null,
          str(o.get("worker")), entry);
    } catch (RuntimeException e) {
      return new DeadLetter(null, entry, entry.getBytes(StandardCharsets.UTF_8),
          "unreadable dead-letter entry: " + e.getMessage(), 0, null, null, entry);
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
