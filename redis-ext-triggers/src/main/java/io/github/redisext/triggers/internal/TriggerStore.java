package io.github.redisext.triggers.internal;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.ShardSchedule;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The triggers' {@link LeasedStore}: claims due triggers shard by shard (core's {@link
 * ShardSchedule}: only shards known to have something due, in rotating order; every shard again
 * after the idle wait, for triggers armed by processes whose wake-up was missed), renews, settles
 * and gives back through {@link TriggersRedis}. An adopted trigger (written by another writer)
 * whose TTL key is still alive when it falls due was re-armed by its writer: it goes back, due
 * when the key expires.
 */
public final class TriggerStore implements LeasedStore<TriggerStore.Item> {
  private static final Logger log = LoggerFactory.getLogger(TriggerStore.class);
  private static final JsonCodec<String> STRING = JsonCodec.of(String.class);

  /**
   * One delivery of a trigger.
   *
   * @param shard its shard
   * @param key its TTL key (the member of the due ZSET)
   * @param token the owner token of the claim
   * @param attempt this delivery's number
   * @param dueMs when it fell due, epoch ms (server clock)
   * @param firedMs when it was claimed, epoch ms (server clock)
   * @param adopted whether it was written by another writer
   */
  public record Item(int shard, String key, String token, int attempt, long dueMs, long firedMs,
      boolean adopted) {}

  private final TriggersRedis redis;
  private final Keys keys;
  private final Metrics metrics;
  private final int maxAttempts;
  private final Duration markerTtl;
  private final String id = UUID.randomUUID().toString().substring(0, 13);
  private final AtomicLong claims = new AtomicLong();
  private final ShardSchedule schedule;
  /** Server clock minus local clock, from the last claim reply. */
  private volatile long offsetMs;

  /** A store over {@code redis}'s keys. */
  public TriggerStore(TriggersRedis redis, Metrics metrics, int maxAttempts, Duration markerTtl,
      Duration idleWait) {
    this.redis = redis;
    this.keys = redis.keys();
    this.metrics = metrics;
    this.maxAttempts = maxAttempts;
    this.markerTtl = markerTtl;
    this.schedule = new ShardSchedule(keys.shards(), idleWait);
  }

  /** The server clock as last seen, in epoch ms. */
  public long nowMs() {
    return System.currentTimeMillis() + offsetMs;
  }

  /** Tells the store that shard {@code s} has a trigger due at {@code dueMs}. */
  public void lowerNextDue(int s, long dueMs) {
    schedule.lower(s, dueMs);
  }

  /** Looks at every shard at the next claim. */
  public void recheckAll() {
    schedule.recheckAll();
  }

  @Override
  public Claim<Item> claim(int max, Duration lease, Duration maxWait) {
    List<Item> out = new ArrayList<>();
    for (int s : schedule.due(nowMs())) {
      int room = max - out.size();
      if (room <= 0) {
        schedule.skipped(s);
        continue;
      }
      try {
        out.addAll(claimShard(s, room, lease));
      } catch (RuntimeException e) {
        Duration pause = schedule.failed(s, nowMs());
        log.warn("claiming triggers from {} failed ({}); retrying in {} ms", keys.due(s),
            e.toString(), pause.toMillis());
      }
    }
    return out.isEmpty() ? Claim.none(schedule.untilNext(nowMs())) : Claim.of(out);
  }

  private List<Item> claimShard(int s, int room, Duration lease) {
    String token = id + ":" + claims.incrementAndGet();
    long t0 = System.currentTimeMillis();
    TriggersRedis.ClaimReply r = redis.claim(s, room, lease.toMillis(), token, maxAttempts);
    offsetMs = r.nowMs() - (t0 + System.currentTimeMillis()) / 2;
    if (r.deadLettered() > 0) {
      metrics.count(Metric.DEAD_LETTERED, r.deadLettered());
      log.warn("{} trigger(s) of {} were dead-lettered: their consumers died or stalled {} times",
          r.deadLettered(), keys.due(s), maxAttempts);
    }
    schedule.claimed(s, r.items().size(), room, r.headScore(), r.nowMs());
    List<Item> items = new ArrayList<>(r.items().size());
    List<Item> adopted = new ArrayList<>();
    for (TriggersRedis.Claimed c : r.items()) {
      Item i = new Item(s, c.key(), token, c.attempt(), c.dueMs(), r.nowMs(), c.adopted());
      (c.adopted() ? adopted : items).add(i);
    }
    if (!adopted.isEmpty()) {
      items.addAll(rearmedOrDue(s, adopted));
    }
    return items;
  }

  /**
   * Of claimed adopted triggers, those whose TTL key is gone (expired: due); the others were set
   * again by their writer and go back, due when their key expires.
   */
  private List<Item> rearmedOrDue(int s, List<Item> adopted) {
    List<Long> ttls = new ArrayList<>(adopted.size());
    try (AbstractPipeline p = redis.client().pipelined()) {
      List<Response<Long>> rs = new ArrayList<>();
      for (Item i : adopted) {
        rs.add(p.pttl(i.key()));
      }
      p.sync();
      rs.forEach(r -> ttls.add(r.get()));
    }
    List<Item> due = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<String> members = new ArrayList<>();
    List<Long> dues = new ArrayList<>();
    for (int k = 0; k < adopted.size(); k++) {
      Item i = adopted.get(k);
      long ttl = ttls.get(k);
      if (ttl > 0) {
        tokens.add(i.token());
        members.add(i.key());
        dues.add(i.firedMs() + ttl);
      } else {
        due.add(i);
      }
    }
    if (!members.isEmpty()) {
      redis.giveBack(s, tokens, members, dues);
      log.debug("{} adopted trigger(s) of {} were set again by their writer; due later", members
          .size(), keys.due(s));
    }
    return due;
  }

  @Override
  public Collection<Item> renew(Collection<Item> held, Duration lease) {
    List<Item> lost = new ArrayList<>();
    RuntimeException error = null;
    for (List<Item> shard : byShard(held)) {
      if (shard.isEmpty()) {
        continue;
      }
      try {
        for (int k : redis.renew(shard.get(0).shard(), tokens(shard), members(shard),
            lease.toMillis())) {
          lost.add(shard.get(k));
        }
      } catch (RuntimeException e) {
        error = error == null ? e : error;
      }
    }
    if (error != null && lost.isEmpty()) {
      throw error;
    }
    return lost;
  }

  @Override
  public void settle(List<Settlement<Item>> batch) {
    List<List<Settlement<Item>>> acks = perShard();
    List<List<Settlement<Item>>> retries = perShard();
    List<List<Settlement<Item>>> dead = perShard();
    for (Settlement<Item> s : batch) {
      int shard = s.item().shard();
      switch (s.outcome()) {
        case ACK -> acks.get(shard).add(s);
        case RETRY -> retries.get(shard).add(s);
        case DEAD_LETTER -> dead.get(shard).add(s);
      }
    }
    // each script is idempotent (owner tokens): when a later call fails the kernel repeats the
    // batch and the applied ones find their leases gone, changing nothing
    long stale = 0;
    for (int s = 0; s < keys.shards(); s++) {
      List<Settlement<Item>> a = acks.get(s);
      if (!a.isEmpty()) {
        List<Item> items = a.stream().map(Settlement::item).toList();
        long st = redis.ack(s, tokens(items), members(items), markerTtl);
        stale += st;
        metrics.count(Metric.FIRED, items.size() - st);
      }
      List<Settlement<Item>> r = retries.get(s);
      if (!r.isEmpty()) {
        List<Item> items = r.stream().map(Settlement::item).toList();
        stale += redis.retry(s, tokens(items), members(items),
            r.stream().map(x -> x.retryDelay().toMillis()).toList());
      }
      List<Settlement<Item>> d = dead.get(s);
      if (!d.isEmpty()) {
        List<Item> items = d.stream().map(Settlement::item).toList();
        List<String> records = new ArrayList<>(items.size());
        for (Settlement<Item> x : d) {
          records.add(deadRecord(x.item(), x.error() == null ? "dead-lettered" : x.error()));
        }
        stale += redis.dead(s, tokens(items), members(items), records);
      }
    }
    if (stale > 0) {
      metrics.count(Metric.DUPLICATE_REFUSED, stale);
      log.warn("the lease of {} trigger(s) of tenant '{}' ran out, or they were re-armed or "
          + "cancelled, before they were settled (nothing changed for them)", stale,
          keys.tenant());
    }
  }

  /** The dead record JSON without its closing brace (dead.lua appends the failure time). */
  static String deadRecord(Item i, String error) {
    return "{\"error\":" + STRING.encode(error) + ",\"attempts\":" + i.attempt() + ",\"dueAt\":"
        + i.dueMs();
  }

  @Override
  public void giveBack(Collection<Item> items) {
    for (List<Item> shard : byShard(items)) {
      if (!shard.isEmpty()) {
        List<Long> none = new ArrayList<>();
        shard.forEach(i -> none.add(null));
        redis.giveBack(shard.get(0).shard(), tokens(shard), members(shard), none);
      }
    }
  }

  @Override
  public int attempt(Item item) {
    return item.attempt();
  }

  @Override
  public long dueAtMillis(Item item) {
    // the kernel measures the lag against the local clock: shift the server due time onto it
    return item.dueMs() - offsetMs;
  }

  @Override
  public String describe(Item item) {
    return item.key();
  }

  private <T> List<List<T>> perShard() {
    List<List<T>> l = new ArrayList<>(keys.shards());
    for (int s = 0; s < keys.shards(); s++) {
      l.add(new ArrayList<>());
    }
    return l;
  }

  private List<List<Item>> byShard(Collection<Item> items) {
    List<List<Item>> l = perShard();
    for (Item i : items) {
      l.get(i.shard()).add(i);
    }
    return l;
  }

  private static List<String> tokens(List<Item> items) {
    return items.stream().map(Item::token).toList();
  }

  private static List<String> members(List<Item> items) {
    return items.stream().map(Item::key).toList();
  }
}
