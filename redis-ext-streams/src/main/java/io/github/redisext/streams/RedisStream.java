package io.github.redisext.streams;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.streams.internal.Consumer;
import io.github.redisext.streams.internal.Engine;
import io.github.redisext.streams.internal.Keys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Redis stream processed by consumer groups: producers {@link #add} entries, consumers {@link
 * #process} them with retries, leases, fenced acknowledgements and a dead-letter stream.
 * Wire-compatible with the Python {@code process-redis-events} library: keys {@code
 * stream:<name>}, {@code stream:dlq:<name>}, {@code stream:events:<name>}, one field {@code data}
 * holding JSON (written as Python's {@code json.dumps} writes it).
 *
 * <pre>{@code
 * RedisStream<Order> orders = RedisStream.create(redis, "{orders}", Order.class);
 * orders.add(new Order("A-1", 3));
 *
 * try (StreamConsumer c = orders.process(ProcessOptions.builder("billing")
 *     .startFrom(StartFrom.OLDEST).concurrency(8).build(), d -> {
 *       bill(d.value());                    // throw to retry (backoff), up to maxAttempts
 *       d.reportProgress(1.0, "billed");
 *     })) {
 *   ...
 * }
 * orders.deadLetters(100).forEach(dl -> log.warn("{}: {}", dl.id(), dl.error()));
 * }</pre>
 *
 * <p>Delivery is at least once: an entry whose consumer dies is taken over by another consumer
 * after the lease; an entry this consumer still runs is never handed out twice by it; an ack
 * from a consumer that lost the entry to another one is refused (counted in {@link
 * StreamConsumer#duplicatesRefused()}). A dead letter is written in the same script as its ack,
 * so it is never lost. Thread-safe; on a Redis Cluster the name needs a hash tag ({@code
 * {orders}}). After {@link #close()} (which closes every consumer it started) every operation
 * throws {@link IllegalStateException}.
 *
 * @param <T> the entry type
 */
public final class RedisStream<T> implements AutoCloseable {
  private final String name;
  private final Engine<T> engine;
  private final Set<StreamConsumer> consumers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private RedisStream(UnifiedJedis client, String name, Codec<T> codec, StreamOptions options) {
    this.name = name;
    this.engine = new Engine<>(Args.notNull(client, "client"), Keys.of(name, client),
        Args.notNull(codec, "codec"), Args.notNull(options, "options"));
    Registry.announce(client, "streams", name, Map.of("stream", key(), "dlq", deadLetterKey()));
  }

  /**
   * A stream of {@code type} values as JSON (Python's plain {@code json.dumps} form), default
   * options.
   *
   * @throws KeyNameException if the name is blank, or has no hash tag on a cluster client
   */
  public static <T> RedisStream<T> create(UnifiedJedis client, String name, Class<T> type) {
    return create(client, name, type, StreamOptions.defaults());
  }

  /**
   * A stream of {@code type} values as JSON (Python's plain {@code json.dumps} form).
   *
   * @throws KeyNameException if the name is blank, or has no hash tag on a cluster client
   */
  public static <T> RedisStream<T> create(UnifiedJedis client, String name, Class<T> type,
      StreamOptions options) {
    return create(client, name, JsonCodec.of(Args.notNull(type, "type"),
        JsonStyle.PYTHON_PLAIN), options);
  }

  /**
   * A stream whose {@code data} fields are written and read with {@code codec}.
   *
   * @throws KeyNameException if the name is blank, or has no hash tag on a cluster client
   */
  public static <T> RedisStream<T> create(UnifiedJedis client, String name, Codec<T> codec,
      StreamOptions options) {
    return new RedisStream<>(client, name, codec, options);
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("stream '" + name + "' is closed");
    }
  }

  /** The stream's name. */
  public String name() {
    return name;
  }

  /** Its key, {@code stream:<name>}. */
  public String key() {
    return engine.keys().stream();
  }

  /** Its dead-letter stream's key, {@code stream:dlq:<name>}. */
  public String deadLetterKey() {
    return engine.keys().dlq();
  }

  /** Its event stream's key, {@code stream:events:<name>}. */
  public String eventsKey() {
    return engine.keys().events();
  }

  /** Its options. */
  public StreamOptions options() {
    return engine.options();
  }

  /**
   * Adds one entry ({@code XADD stream:<name> * data <json>}, with the retention of the options).
   *
   * @return its id
   * @throws NullPointerException if {@code value} is null
   * @throws WrongTypeException if the key holds another type
   */
  public String add(T value) {
    open();
    return engine.add(Args.notNull(value, "value"));
  }

  /**
   * Adds entries in one pipeline (not one transaction: on an error some may have been added).
   *
   * @return their ids, in order
   * @throws IllegalArgumentException if {@code values} is null or holds a null
   * @throws WrongTypeException if the key holds another type
   */
  public List<String> addAll(Collection<? extends T> values) {
    open();
    Args.noNulls(values, "values");
    return values.isEmpty() ? List.of() : engine.addAll(values);
  }

  /** Entries in the stream now ({@code XLEN}); 0 if it does not exist. */
  public long length() {
    open();
    return engine.length();
  }

  /** What {@code XINFO STREAM} says; zeros if the stream does not exist. */
  public StreamInfo info() {
    open();
    return engine.info();
  }

  /** Its consumer groups ({@code XINFO GROUPS}); empty if the stream does not exist. */
  public List<GroupInfo> groups() {
    open();
    return engine.groups();
  }

  /**
   * Deletes the stream (its entries and groups; not its dead letters or events), like the Python
   * library's {@code clear()}.
   */
  public void clear() {
    open();
    engine.clear();
  }

  /**
   * Starts a consumer: creates the group if needed (at {@link ProcessOptions#startFrom()}), then
   * hands every entry to {@code handler} on {@code concurrency} threads until closed.
   *
   * @throws WrongTypeException if the key holds another type
   */
  public StreamConsumer process(ProcessOptions options, StreamHandler<T> handler) {
    open();
    Args.notNull(options, "options");
    Args.notNull(handler, "handler");
    return track(Consumer.start(engine, options, handler, this::forgetClosed));
  }

  /**
   * Starts a consumer in batch mode: {@code handler} receives up to {@link
   * ProcessOptions#batchSize()} entries per call and returns one outcome per entry. Stats of this
   * consumer count batches; metrics count entries.
   *
   * @throws WrongTypeException if the key holds another type
   */
  public StreamConsumer processBatches(ProcessOptions options, BatchHandler<T> handler) {
    open();
    Args.notNull(options, "options");
    Args.notNull(handler, "handler");
    return track(Consumer.startBatches(engine, options, handler, this::forgetClosed));
  }

  private StreamConsumer track(StreamConsumer c) {
    consumers.add(c);
    if (closed) {
      c.close();
      open();
    }
    return c;
  }

  private void forgetClosed() {
    consumers.removeIf(c -> c instanceof Consumer k && k.isClosed());
  }

  /**
   * Removes the entries every consumer group has acknowledged, never one still pending in a group
   * or not yet delivered to one; nothing when the stream has no group.
   *
   * @return entries removed
   */
  public long trimAcknowledged() {
    open();
    return engine.trimAcknowledged();
  }

  /** The oldest {@code max} lifecycle events of {@code stream:events:<name>}. */
  public List<StreamEvent> events(int max) {
    open();
    return engine.events(Args.positive(max, "max"));
  }

  /**
   * The oldest {@code max} dead letters: {@link DeadLetter#id()} is the original entry id, {@link
   * DeadLetter#payload()} its {@code data} without {@code _dlqMetadata} (or its fields as JSON),
   * {@code attempts}, {@code failedAt} and {@code consumer} from the metadata, {@link
   * DeadLetter#ref()} the dead-letter entry's own id.
   */
  public List<DeadLetter> deadLetters(int max) {
    open();
    return engine.deadLetters(Args.positive(max, "max"));
  }

  /** Dead letters now. */
  public long deadLetterCount() {
    open();
    return engine.deadLetterCount();
  }

  /**
   * Adds the given dead letters back to the stream as new entries, without their metadata, and
   * removes them from the dead letters (one script per 500; one already gone is skipped).
   *
   * @return how many were requeued
   */
  public int requeue(Collection<DeadLetter> letters) {
    open();
    return engine.requeue(Args.noNulls(letters, "letters"));
  }

  /**
   * Requeues every dead letter there is now (not ones written meanwhile by running consumers);
   * how many.
   */
  public int requeueAllDeadLetters() {
    open();
    long limit = engine.deadLetterCount();
    int total = 0;
    while (total < limit) {
      List<DeadLetter> page = engine.deadLetters((int) Math.min(500, limit - total));
      if (page.isEmpty()) {
        return total;
      }
      int n = engine.requeue(page);
      total += n;
      if (n == 0) {
        return total;
      }
    }
    return total;
  }

  /** Deletes the given dead letters; how many were removed. */
  public int purge(Collection<DeadLetter> letters) {
    open();
    return engine.purge(Args.noNulls(letters, "letters"));
  }

  /** Deletes every dead letter; how many there were. */
  public long purgeAllDeadLetters() {
    open();
    return engine.purgeAll();
  }

  /** Closes every consumer this object started; then every operation throws. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (StreamConsumer c : new ArrayList<>(consumers)) {
      c.close();
    }
    consumers.clear();
  }

  @Override
  public String toString() {
    return "RedisStream[" + engine.keys().stream() + ", consumers=" + consumers.size() + "]";
  }
}
