package io.github.redisext.events.internal;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.events.Event;
import io.github.redisext.events.EventQuery;
import io.github.redisext.events.EventStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The Redis side of an event queue: publish, read, search, count, registry (one script each). */
public final class EventStore<T> {
  /** Most events one publish script writes (a bigger publishAll pipelines several). */
  public static final int PUBLISH_CHUNK = 500;

  private final UnifiedJedis client;
  private final EventKeys keys;
  private final EventReader<T> reader;
  private final String ttlSeconds;
  private final List<String> publishKeys;

  /** The store of {@code keys}' type; events live {@code eventTtl}. */
  public EventStore(UnifiedJedis client, EventKeys keys, EventReader<T> reader,
      Duration eventTtl) {
    this.client = client;
    this.keys = keys;
    this.reader = reader;
    this.ttlSeconds = Long.toString(eventTtl.toSeconds());
    this.publishKeys = List.of(keys.counter(), keys.index(), keys.epoch());
  }

  /** What one publish script stored: ids {@code firstId ..}, all created at {@code createdAt}. */
  public record Published(long firstId, String createdAtText, Instant createdAt) {}

  /**
   * Publishes {@code count} payloads, {@code encoded.apply(i)} being the i-th one encoded, in
   * scripts of up to {@link #PUBLISH_CHUNK} events in one round trip (a pipeline: Redis runs the
   * first chunks while the next ones are still being written).
   */
  public List<Published> publish(int count, IntFunction<String> encoded, String workerId) {
    if (count <= PUBLISH_CHUNK) {
      return List.of(published(Scripts.PUBLISH.eval(client, publishKeys,
          args(0, count, encoded, workerId))));
    }
    List<List<String>> calls = new ArrayList<>();
    List<Response<Object>> responses = new ArrayList<>();
    try (AbstractPipeline p = client.pipelined()) {
      for (int i = 0; i < count; i += PUBLISH_CHUNK) {
        List<String> args = args(i, Math.min(count, i + PUBLISH_CHUNK), encoded, workerId);
        calls.add(args);
        responses.add(p.evalsha(Scripts.PUBLISH.sha(), publishKeys, args));
      }
      p.sync();
    }
    List<Published> out = new ArrayList<>(responses.size());
    RuntimeException first = null;
    for (int i = 0; i < responses.size(); i++) {
      try {
        out.add(published(responses.get(i).get()));
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          out.add(published(Scripts.PUBLISH.eval(client, publishKeys, calls.get(i))));
        } else if (first == null) {
          first = LuaScript.translate(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  private List<String> args(int from, int to, IntFunction<String> encoded, String workerId) {
    List<String> args = new ArrayList<>(6 + to - from);
    args.add(keys.eventPrefix());
    args.add(ttlSeconds);
    args.add(workerId);
    args.add(keys.channel());
    args.add(EventStatus.PROCESSING.name());
    args.add(Integer.toString(to - from));
    for (int i = from; i < to; i++) {
      args.add(encoded.apply(i));
    }
    return args;
  }

  private static Published published(Object o) {
    List<Object> r = Replies.toList(o);
    long sec = Replies.toLong(r.get(2));
    long usec = Replies.toLong(r.get(3));
    return new Published(Replies.toLong(r.get(0)), Replies.toStr(r.get(1)),
        Instant.ofEpochSecond(sec, usec * 1000));
  }

  /** The event {@code id}, or null when it does not exist (expired). */
  public Event<T> get(long id) {
    String key = keys.event(id);
    Map<byte[], byte[]> hash = KeyTypes.call(client,
        () -> client.hgetAll(key.getBytes(StandardCharsets.UTF_8)), key, "hash");
    if (hash == null || hash.isEmpty()) {
      return null;
    }
    return reader.fromMap(hash, id);
  }

  /** Exact count of live events matching {@code q} (range and status). */
  public long count(EventQuery q) {
    return Replies.toLong(Scripts.COUNT.eval(client, List.of(keys.index()), List.of(ttlSeconds,
        min(q), max(q), status(q), keys.eventPrefix())));
  }

  /** One page of matching events, newest first, and whether more match. */
  public Page<T> search(EventQuery q) {
    List<byte[]> args = new ArrayList<>();
    for (String s : List.of(ttlSeconds, min(q), max(q), status(q), Long.toString(q.offset()),
        Integer.toString(q.limit()), Long.toString(q.beforeId()), keys.eventPrefix())) {
      args.add(s.getBytes(StandardCharsets.UTF_8));
    }
    List<Object> reply = Replies.toList(Scripts.SEARCH.evalBinary(client,
        List.of(keys.index()), args));
    boolean more = Replies.toLong(reply.get(0)) == 1;
    List<Event<T>> events = new ArrayList<>(reply.size() - 1);
    for (int i = 1; i < reply.size(); i++) {
      events.add(reader.fromPairs(Replies.toList(reply.get(i)), 0));
    }
    return new Page<>(events, more);
  }

  /** A search result. */
  public record Page<T>(List<Event<T>> events, boolean more) {}

  /** Deletes subscription {@code name} (only if dead when {@code onlyDead}); true if it did. */
  public boolean removeSubscription(String name, boolean onlyDead) {
    EventKeys.Sub s = keys.sub(name);
    return Replies.toLong(Scripts.REMOVE.eval(client, List.of(s.state(), s.leases(), s.batches(),
        s.dead(), s.deadData(), keys.registry(), s.subscriber()),
        List.of(name, onlyDead ? "dead" : "any"))) == 1;
  }

  /** Adds (or removes) type names in {@code <prefix>:queue_types}; returns how many changed. */
  public static long register(UnifiedJedis client, String queueTypesKey, Collection<String> names,
      boolean add, Duration ttl) {
    List<String> args = new ArrayList<>(2 + names.size());
    args.add(add ? "add" : "remove");
    args.add(Long.toString(ttl.toSeconds()));
    args.addAll(names);
    return Replies.toLong(Scripts.REGISTER.eval(client, List.of(queueTypesKey), args));
  }

  private static String status(EventQuery q) {
    return q.status() == null ? "" : q.status().name();
  }

  private static String min(EventQuery q) {
    return q.createdFrom() == null ? "-inf" : score(q.createdFrom());
  }

  private static String max(EventQuery q) {
    return q.createdTo() == null ? "+inf" : score(q.createdTo());
  }

  /** Epoch seconds with six fraction digits, as the index scores are written. */
  static String score(Instant t) {
    long sec = t.getEpochSecond();
    long micros = t.getNano() / 1000;
    if (sec < 0) {
      return Double.toString(sec + micros / 1e6);
    }
    return sec + "." + String.format("%06d", micros);
  }
}
