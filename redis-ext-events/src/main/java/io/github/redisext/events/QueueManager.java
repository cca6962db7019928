package io.github.redisext.events;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.events.internal.EventStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * eventy's queue manager: registers event types in {@code <prefix>:queue_types} (a set every
 * process shares, with the event TTL), hands out one {@link EventQueue} per type, and lists the
 * types registered by any process (Python's included). Thread-safe.
 *
 * <pre>{@code
 * try (QueueManager manager = QueueManager.create(redis)) {
 *   EventQueue<Order> orders = manager.register(Order.class);
 *   manager.queueTypes();                       // [Order, ...] from every process
 *   manager.getEventQueue(Order.class).publish(new Order("ORD-1", 5.0));
 * }
 * }</pre>
 *
 * <p>After {@link #close()} (which closes its queues) every operation throws {@link
 * IllegalStateException}.
 */
public final class QueueManager implements AutoCloseable {
  private final UnifiedJedis client;
  private final EventQueueOptions options;
  private final String queueTypesKey;
  private final Map<String, EventQueue<?>> queues = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private QueueManager(UnifiedJedis client, EventQueueOptions options) {
    this.client = Args.notNull(client, "client");
    this.options = Args.notNull(options, "options");
    EventQueue.requireTaggedOnCluster(client, options.prefix(), "<type>");
    this.queueTypesKey = options.prefix() + ":queue_types";
  }

  /** A manager with the default options (prefix {@code eventy}, TTL 86,400 s). */
  public static QueueManager create(UnifiedJedis client) {
    return create(client, EventQueueOptions.defaults());
  }

  /** A manager whose queues use {@code options}. */
  public static QueueManager create(UnifiedJedis client, EventQueueOptions options) {
    return new QueueManager(client, options);
  }

  /** Registers {@code type} (its simple name) with JSON payloads and returns its queue. */
  public <T> EventQueue<T> register(Class<T> type) {
    Args.notNull(type, "type");
    return register(type.getSimpleName(), JsonCodec.of(type, JsonStyle.PYTHON));
  }

  /**
   * Registers the type {@code typeName} (added to {@code queue_types}, whose TTL is refreshed) and
   * returns its queue (the one already handed out, if any).
   */
  @SuppressWarnings("unchecked")
  public <T> EventQueue<T> register(String typeName, Codec<T> codec) {
    open();
    EventQueue.checkTypeName(typeName);
    Args.notNull(codec, "codec");
    EventStore.register(client, queueTypesKey, List.of(typeName), true, options.eventTtl());
    return (EventQueue<T>) queues.computeIfAbsent(typeName,
        n -> EventQueue.create(client, n, codec, options));
  }

  /** Removes {@code type} from the registry and closes its queue here; true if it was registered. */
  public boolean deregister(Class<?> type) {
    return deregister(Args.notNull(type, "type").getSimpleName());
  }

  /** Removes {@code typeName} from the registry and closes its queue here. */
  public boolean deregister(String typeName) {
    open();
    EventQueue.checkTypeName(typeName);
    EventQueue<?> q = queues.remove(typeName);
    if (q != null) {
      q.close();
    }
    return EventStore.register(client, queueTypesKey, List.of(typeName), false,
        options.eventTtl()) == 1;
  }

  /**
   * The queue of {@code type}, registered here or by any other process.
   *
   * @throws UnregisteredTypeException if no process registered it (or the registry expired)
   */
  public <T> EventQueue<T> getEventQueue(Class<T> type) {
    Args.notNull(type, "type");
    return getEventQueue(type.getSimpleName(), JsonCodec.of(type, JsonStyle.PYTHON));
  }

  /** The queue of {@code typeName}, registered here or by any other process. */
  @SuppressWarnings("unchecked")
  public <T> EventQueue<T> getEventQueue(String typeName, Codec<T> codec) {
    open();
    EventQueue.checkTypeName(typeName);
    EventQueue<?> q = queues.get(typeName);
    if (q != null) {
      return (EventQueue<T>) q;
    }
    boolean known = KeyTypes.call(client, () -> client.sismember(queueTypesKey, typeName),
        queueTypesKey, "set");
    if (!known) {
      throw new UnregisteredTypeException(typeName, options.prefix());
    }
    return (EventQueue<T>) queues.computeIfAbsent(typeName,
        n -> EventQueue.create(client, n, Args.notNull(codec, "codec"), options));
  }

  /** The type names registered by any process (read from Redis), sorted. */
  public Set<String> queueTypes() {
    open();
    return new TreeSet<>(KeyTypes.call(client, () -> client.smembers(queueTypesKey),
        queueTypesKey, "set"));
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("QueueManager '" + options.prefix() + "' is closed");
    }
  }

  /** Closes every queue it handed out. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (EventQueue<?> q : queues.values()) {
      q.close();
    }
    queues.clear();
  }

  @Override
  public String toString() {
    return "QueueManager[" + queueTypesKey + ", " + queues.keySet() + (closed ? ", closed" : "")
        + "]";
  }
}
