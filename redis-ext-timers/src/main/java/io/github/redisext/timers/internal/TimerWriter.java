package io.github.redisext.timers.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.timers.TimerRequest;
import io.github.redisext.timers.UnknownTopicException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the timers: checks and encodes requests, writes them shard by shard (one
 * script call per shard and {@link TimersRedis#BATCH} timers, pipelined), removes timers, and
 * publishes a wake-up when a write puts a new head on a shard's timeline. Thread-safe.
 */
public final class TimerWriter {
  private static final Logger log = LoggerFactory.getLogger(TimerWriter.class);

  private final TimersRedis redis;
  private final KeyLayout keys;
  private final Map<String, Route<?, ?>> routes;
  private final boolean wakeUps;
  private final Metrics metrics;

  /** A writer for the topics of {@code routes}. */
  public TimerWriter(TimersRedis redis, Map<String, ? extends Route<?, ?>> routes,
      boolean wakeUps, Metrics metrics) {
    this.redis = redis;
    this.keys = redis.keys();
    this.routes = Map.copyOf(routes);
    this.wakeUps = wakeUps;
    this.metrics = metrics;
  }

  /** An encoded timer: timer key, delay ms, payload JSON. */
  public record Encoded(String member, long delayMs, String json) {}

  /**
   * Checks that a topic has a handler.
   *
   * @throws UnknownTopicException if not
   */
  public void requireTopic(String topic) {
    if (!routes.containsKey(topic)) {
      throw new UnknownTopicException(topic, routes.keySet());
    }
  }

  /**
   * Checks and encodes a request.
   *
   * @throws UnknownTopicException if its topic has no handler
   * @throws IllegalArgumentException if its payload is of another type than the topic's
   */
  public Encoded encode(TimerRequest r) {
    Route<?, ?> route = routes.get(r.topic());
    if (route == null) {
      throw new UnknownTopicException(r.topic(), routes.keySet());
    }
    return new Encoded(keys.timerKey(r.topic(), r.timerId()), r.delay().toMillis(),
        encodePayload(route, r.payload()));
  }

  private static <P> String encodePayload(Route<P, ?> route, Object payload) {
    if (!route.type().isInstance(payload)) {
      throw new IllegalArgumentException("payload for topic '" + route.topic() + "' must be a "
          + route.type().getName() + ", got " + payload.getClass().getName());
    }
    return route.codec().encode(route.type().cast(payload));
  }

  /** Sets encoded timers: one script call per shard and batch. */
  public void set(List<Encoded> timers) {
    List<List<Encoded>> byShard = byShard(timers, Encoded::member);
    requireTypesIfSeveral(byShard, true);
    for (int s = 0; s < keys.shards(); s++) {
      List<Encoded> list = byShard.get(s);
      if (list.isEmpty()) {
        continue;
      }
      List<List<String>> chunks = new ArrayList<>();
      for (int from = 0; from < list.size(); from += TimersRedis.BATCH) {
        List<Encoded> chunk = list.subList(from, Math.min(list.size(), from + TimersRedis.BATCH));
        List<String> args = new ArrayList<>(chunk.size() * 3);
        for (Encoded e : chunk) {
          args.add(e.member());
          args.add(Long.toString(e.delayMs()));
          args.add(e.json());
        }
        chunks.add(args);
      }
      List<TimersRedis.SetReply> replies = redis.set(s, chunks);
      metrics.count(Metric.PUBLISHED, list.size());
      if (!wakeUps) {
        continue;
      }
      // the last reply tells the head after every batch; wake consumers if it is one of ours
      TimersRedis.SetReply last = replies.get(replies.size() - 1);
      if (last.headMember() != null && containsMember(list, last.headMember())) {
        publishWakeUp(s, DueTimer.scoreToMs(last.headScore()));
      }
    }
  }

  private static boolean containsMember(List<Encoded> chunk, String member) {
    if (chunk.size() == 1) {
      return chunk.get(0).member().equals(member);
    }
    Set<String> set = new HashSet<>();
    for (Encoded e : chunk) {
      set.add(e.member());
    }
    return set.contains(member);
  }

  private void publishWakeUp(int shard, long dueMs) {
    try {
      redis.publish(WakeUps.message(shard, dueMs));
    } catch (RuntimeException e) {
      log.debug("publishing a wake-up on {} failed; consumers find the timer at their idle wait",
          keys.channel(), e);
    }
  }

  /** Removes timers by timer key; returns how many were pending. */
  public long remove(List<String> members) {
    List<List<String>> byShard = byShard(members, m -> m);
    requireTypesIfSeveral(byShard, false);
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      List<String> list = byShard.get(s);
      for (int from = 0; from < list.size(); from += TimersRedis.BATCH) {
        n += redis.remove(s, list.subList(from, Math.min(list.size(), from + TimersRedis.BATCH)));
      }
    }
    return n;
  }

  private <T> List<List<T>> byShard(List<T> items, java.util.function.Function<T, String> member) {
    List<List<T>> out = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      out.add(new ArrayList<>());
    }
    for (T t : items) {
      out.get(keys.shardOf(member.apply(t))).add(t);
    }
    return out;
  }

  /**
   * When an operation writes to several shards: checks every involved shard's key types first, so
   * a wrong type in a later shard does not leave the earlier shards written.
   */
  private void requireTypesIfSeveral(List<? extends List<?>> byShard, boolean withDead) {
    int involved = 0;
    for (List<?> l : byShard) {
      if (!l.isEmpty()) {
        involved++;
      }
    }
    if (involved < 2) {
      return; // one script call (or one pipeline of calls with the same keys): checked inside
    }
    for (int s = 0; s < byShard.size(); s++) {
      if (!byShard.get(s).isEmpty()) {
        redis.requireTypes(s, withDead);
      }
    }
  }
}
