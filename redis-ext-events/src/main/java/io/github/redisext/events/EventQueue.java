package io.github.redisext.events;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.core.support.Registry;
import io.github.redisext.events.internal.EventKeys;
import io.github.redisext.events.internal.EventReader;
import io.github.redisext.events.internal.EventStore;
import io.github.redisext.events.internal.SubscriberList;
import io.github.redisext.events.internal.SubscriptionRunner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A durable, typed event queue in Redis with eventy's key layout: publish events (ids 1, 2, 3 ...
 * from a counter), read them back by id, search and count them, and consume them through durable
 * subscriptions that survive lost notifications, consumer crashes and restarts. Events expire after
 * the event TTL.
 *
 * <p><b>Guarantees.</b> {@link #publish} is one Lua script (counter, event hash, TTL, index, cleanup
 * of expired index entries, notification): all or nothing, no process-wide lock. {@link #count} and
 * {@link #search} are exact: expired events are neither counted nor listed. A {@link Subscription}
 * is named and durable in Redis: it receives every event published after its position at least
 * once, in id order ({@link DeliveryMode#BROADCAST}) or split among the consumers sharing its name
 * ({@link DeliveryMode#SHARED}); pub/sub only wakes it, a lost message costs at most {@code
 * idleWait}. Events that expired before a subscription read them are counted as missed and logged.
 * A payload that does not decode (Python's pickle) is returned as raw bytes by reads and
 * dead-lettered by subscriptions, never a crash. Thread-safe.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * try (EventQueue<Order> orders = EventQueue.create(redis, Order.class)) {
 *   Subscription billing = orders.subscribe("billing", e -> bill(e.payload()));
 *   Event<Order> e = orders.publish(new Order("ORD-123", 99.99));
 *   orders.getEvent(e.id());                       // Optional[Event[id=1, ...]]
 *   orders.count(EventQuery.all());                // 1
 *   ...
 *   billing.close();                               // the subscription stays in Redis
 * }
 * }</pre>
 *
 * <p>After {@link #close()} every operation throws {@link IllegalStateException}.
 *
 * @param <T> the payload type
 */
public final class EventQueue<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);

  private final UnifiedJedis client;
  private final String typeName;
  private final Codec<T> codec;
  private final EventQueueOptions options;
  private final String workerId;
  private final EventKeys keys;
  private final EventStore<T> store;
  private final EventReader<T> reader;
  private final Metrics metrics;
  private final Instrumented levels;
  private final List<SubscriptionRunner<T>> running = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService scheduler;
  private RedisSubscriber wakeUps;
  private volatile boolean closed;

  private EventQueue(UnifiedJedis client, String typeName, Codec<T> codec,
      EventQueueOptions options) {
    this.client = Args.notNull(client, "client");
    this.typeName = checkTypeName(typeName);
    this.codec = Args.notNull(codec, "codec");
    this.options = Args.notNull(options, "options");
    this.workerId = options.workerId() != null ? options.workerId()
        : UUID.randomUUID().toString();
    requireTaggedOnCluster(client, options.prefix(), typeName);
    this.keys = new EventKeys(options.prefix(), typeName);
    this.reader = new EventReader<>(codec, typeName);
    this.store = new EventStore<>(client, keys, reader, options.eventTtl());
    MetricSource source = MetricSource.of("events", typeName);
    this.metrics = Metrics.of(client, options.metrics(), source);
    // live events (exact: ZCOUNT of the index past the TTL), read when a metrics binding asks
    this.levels = Instrumented.of(source, Map.of(Metric.SIZE,
        () -> store.count(EventQuery.all())));
    metrics.attach(levels);
    Registry.announce(client, "events", typeName, Map.of("prefix", options.prefix()));
  }

  /**
   * A queue of {@code type}'s events (type name = its simple name, as eventy's {@code __name__}),
   * JSON payloads like eventy's JsonSerializer (Python separators, UTF-8), default options.
   */
  public static <T> EventQueue<T> create(UnifiedJedis client, Class<T> type) {
    return create(client, type, EventQueueOptions.defaults());
  }

  /** A queue of {@code type}'s events with {@code options}. */
  public static <T> EventQueue<T> create(UnifiedJedis client, Class<T> type,
      EventQueueOptions options) {
    Args.notNull(type, "type");
    return create(client, type.getSimpleName(), JsonCodec.of(type, JsonStyle.PYTHON), options);
  }

  /**
   * A queue of events named {@code typeName} (the Python class name for interop) whose payloads
   * {@code codec} writes and reads.
   *
   * @throws KeyNameException if the type name is blank or has braces, or the prefix has no hash tag
   *     on a cluster client
   */
  public static <T> EventQueue<T> create(UnifiedJedis client, String typeName, Codec<T> codec,
      EventQueueOptions options) {
    return new EventQueue<>(client, typeName, codec, options);
  }

  static String checkTypeName(String typeName) {
    if (typeName == null || typeName.isBlank()) {
      throw new KeyNameException("an event type name is required (got " + (typeName == null
          ? "null" : "'" + typeName + "'") + "; an anonymous class has no simple name)");
    }
    if (typeName.indexOf('{') >= 0 || typeName.indexOf('}') >= 0) {
      throw new KeyNameException("event type name '" + typeName + "' must not contain braces; "
          + "put the hash tag into the prefix");
    }
    return typeName;
  }

  static void requireTaggedOnCluster(UnifiedJedis client, String prefix, String typeName) {
    if (KeySpace.isCluster(client) && KeySpace.hashTag(prefix) == null) {
      throw new KeyNameException("prefix '" + prefix + "' has no hash tag: on a Redis Cluster the "
          + "keys of event type " + typeName + " ('" + prefix + ":counter:" + typeName + "', '"
          + prefix + ":events:" + typeName + ":1', '" + prefix + ":index:" + typeName
          + "', ...) would land in different slots and could not be written atomically; use a "
          + "prefix with a hash tag, e.g. '{" + prefix.replace("{", "").replace("}", "")
          + "}' (Python eventy accepts it as a plain key_prefix)");
    }
  }

  /** The event type name ({@code {type}} in the keys). */
  public String typeName() {
    return typeName;
  }

  /** The options. */
  public EventQueueOptions options() {
    return options;
  }

  /** The {@code worker_id} written into the events this queue publishes. */
  public String workerId() {
    return workerId;
  }

  /**
   * Publishes one event atomically (one script): a new id from the counter, the event hash with
   * status PROCESSING and the event TTL, the index entry, cleanup of index entries whose events
   * expired, and the notification on the channel.
   *
   * @return the stored event
   * @throws NullPointerException if {@code payload} is null
   * @throws io.github.redisext.core.WrongTypeException if a key of the type holds another type
   */
  public Event<T> publish(T payload) {
    return publishAll(List.of(Args.notNull(payload, "payload"))).get(0);
  }

  /**
   * Publishes many events: up to {@value EventStore#PUBLISH_CHUNK} per script, all scripts in one
   * round trip; ids are consecutive within a script.
   *
   * @return the stored events, in order
   * @throws IllegalArgumentException if a payload is null
   */
  public List<Event<T>> publishAll(Collection<? extends T> payloads) {
    open();
    Args.noNulls(payloads, "payloads");
    if (payloads.isEmpty()) {
      return List.of();
    }
    List<T> values = new ArrayList<>(payloads);
    String[] encoded = new String[values.size()];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = codec.encode(values.get(i)); // all first: a payload that fails publishes none
    }
    List<EventStore.Published> done = store.publish(encoded.length, i -> encoded[i], workerId);
    List<Event<T>> out = new ArrayList<>(values.size());
    int i = 0;
    for (EventStore.Published p : done) {
      int n = Math.min(EventStore.PUBLISH_CHUNK, values.size() - i);
      for (int k = 0; k < n; k++, i++) {
        out.add(new Event<>(p.firstId() + k, EventStatus.PROCESSING.name(), p.createdAtText(),
            p.createdAt(), workerId, encoded[i].getBytes(StandardCharsets.UTF_8),
            values.get(i), null));
      }
    }
    metrics.count(Metric.PUBLISHED, values.size());
    return out;
  }

  /**
   * The event {@code id}, or empty when there is none (never published, or expired).
   *
   * @throws IllegalArgumentException if {@code id} is below 1
   */
  public Optional<Event<T>> getEvent(long id) {
    open();
    Args.inRange(id, 1, Long.MAX_VALUE, "id");
    return Optional.ofNullable(store.get(id));
  }

  /**
   * One page of live events matching {@code query}, newest first: eventy's offset paging ({@link
   * EventPage#nextPageId()}) or the id cursor ({@link EventPage#nextCursor()}), which stays stable
   * while events are published. Expired events never appear, so pages are full until the end.
   */
  public EventPage<T> search(EventQuery query) {
    open();
    Args.notNull(query, "query");
    EventStore.Page<T> p = store.search(query);
    List<Event<T>> events = p.events();
    if (!p.more()) {
      return new EventPage<>(events, null, 0);
    }
    return new EventPage<>(events, Long.toString(query.offset() + events.size()),
        events.get(events.size() - 1).id());
  }

  /** How many live events there are (exact: expired ones are not counted). */
  public long count() {
    return count(EventQuery.all());
  }

  /** How many live events match {@code query}'s created-at range and status (paging ignored). */
  public long count(EventQuery query) {
    open();
    return store.count(Args.notNull(query, "query"));
  }

  /** {@link #subscribe(String, EventHandler, SubscriptionOptions)} with the default options. */
  public Subscription subscribe(String name, EventHandler<T> handler) {
    return subscribe(name, handler, SubscriptionOptions.defaults());
  }

  /**
   * Starts consuming the durable subscription {@code name}, creating it in Redis if it does not
   * exist (starting at {@link SubscriptionOptions#start()}); an existing one continues after its
   * position. Several consumers may use one name: in {@link DeliveryMode#SHARED} mode they split
   * the events, in {@link DeliveryMode#BROADCAST} mode one handles at a time and the others take
   * over when it dies.
   *
   * @throws IllegalArgumentException if the subscription exists with another mode, or the name is
   *     blank or has braces
   */
  public synchronized Subscription subscribe(String name, EventHandler<T> handler,
      SubscriptionOptions options) {
    open();
    checkSubscriptionName(name);
    Args.notNull(handler, "handler");
    Args.notNull(options, "options");
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(
          NamedThreads.factory("redis-ext-events", true));
    }
    SubscriptionRunner<T> r;
    try {
      r = new SubscriptionRunner<>(client, keys, name, reader, handler, options, workerId,
          this.options.eventTtl(), scheduler, () -> forget(name));
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      if (String.valueOf(e.getMessage()).contains("exists in mode")) {
        throw new IllegalArgumentException(e.getMessage().replaceFirst("^ERR ", ""), e);
      }
      throw e;
    }
    running.add(r);
    if (wakeUps == null) {
      wakeUps = RedisSubscriber.start(client, NamedThreads.factory("redis-ext-events-wakeup",
          true), new RedisSubscriber.Listener() {
            @Override
            public void onMessage(String channel, String message) {
              wakeAll();
            }

            @Override
            public void onSubscribed() {
              wakeAll(); // whatever was published while not subscribed is read now
            }
          }, keys.channel());
    }
    return r;
  }

  private void wakeAll() {
    for (SubscriptionRunner<T> r : running) {
      r.wakeUp();
    }
  }

  private void forget(String name) {
    running.removeIf(r -> !r.isRunning());
  }

  private static void checkSubscriptionName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a subscription name is required (got " + (name == null
          ? "null" : "'" + name + "'") + ")");
    }
    if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
      throw new IllegalArgumentException("subscription name '" + name + "' must not contain "
          + "braces (it is part of the keys; the hash tag belongs in the prefix)");
    }
  }

  /**
   * Deletes the durable subscription {@code name} (position, batches, dead letters, presence) and
   * stops its consumers in this process. Consumers in other processes recreate it at their next
   * claim, from the oldest retained event.
   *
   * @return whether it existed
   */
  public boolean unsubscribe(String name) {
    open();
    checkSubscriptionName(name);
    for (SubscriptionRunner<T> r : running) {
      if (r.name().equals(name)) {
        r.close();
      }
    }
    return store.removeSubscription(name, false);
  }

  /** Every durable subscription of this type in Redis (any process's), alive or dead. */
  public List<SubscriberInfo> searchSubscribers() {
    open();
    return SubscriberList.read(client, keys);
  }

  /**
   * Deletes the subscriptions whose presence ran out (no consumer heartbeat within their presence
   * timeout).
   *
   * @return the names removed
   */
  public List<String> removeDeadSubscriptions() {
    open();
    List<String> removed = new ArrayList<>();
    for (SubscriberInfo i : SubscriberList.read(client, keys)) {
      if (!i.alive() && store.removeSubscription(i.name(), true)) {
        removed.add(i.name());
      }
    }
    return removed;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("EventQueue '" + typeName + "' is closed");
    }
  }

  /** Stops this queue's subscriptions (they stay in Redis) and its threads. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    metrics.detach(levels);
    for (SubscriptionRunner<T> r : running) {
      r.close();
    }
    running.clear();
    if (wakeUps != null) {
      wakeUps.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    log.debug("event queue {} closed", typeName);
  }

  @Override
  public String toString() {
    return "EventQueue[" + keys.prefix() + ":*:" + typeName + (closed ? ", closed" : "") + "]";
  }
}
