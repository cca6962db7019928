package io.github.redisext.triggers.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.core.support.ServerTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Takes triggers written by other writers (a bare SETEX, e.g. Python's {@code RedisTrigger.set})
 * into the sorted sets, so they fire once through the consumers: from expired events of every
 * master (when listening; with {@code followDeletes}, {@code del} events cancel adopted ones) and
 * from sweeps (SCAN of the tenant's TTL keys on every master, with their expire time: PEXPIRETIME
 * on Redis 7, PTTL on 6.2), periodically and after every (re)subscription. On a cluster every
 * sweep re-reads the masters and follows topology changes.
 */
public final class Adopter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Adopter.class);
  private static final int SCAN_COUNT = 1000;
  /** Owed notes younger than this belong to a set still writing its TTL keys. */
  private static final long OWED_GRACE_MS = 10_000;

  private final TriggersRedis redis;
  private final Keys keys;
  private final Masters masters;
  private final String channel;
  private final String delChannel;
  private final boolean listen;
  private final boolean followDeletes;
  private final boolean configure;
  private final Duration sweepInterval;
  private final Metrics metrics;
  private final Runnable wakeUp;
  private final ThreadFactory threads;
  private final ScheduledExecutorService worker;
  private final Map<String, RedisSubscriber> subscribers = new ConcurrentHashMap<>();
  private final Map<String, String> eventProblems = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hasPexpiretime = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> expired = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> deleted = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong adopted = new AtomicLong();
  private final AtomicLong sweeps = new AtomicLong();
  private volatile boolean closed;

  /**
   * An adopter for {@code redis}'s tenant.
   *
   * @param db the database whose expired events to follow ({@code __keyevent@<db>__:expired})
   * @param wakeUp called after an adoption (the consumer claims at once)
   */
  public Adopter(TriggersRedis redis, Masters masters, int db, boolean listen,
      boolean followDeletes, boolean configure, Duration sweepInterval, Metrics metrics,
      Runnable wakeUp, ThreadFactory threads) {
    this.redis = redis;
    this.keys = redis.keys();
    this.masters = masters;
    this.channel = "__keyevent@" + db + "__:expired";
    this.delChannel = "__keyevent@" + db + "__:del";
    this.listen = listen;
    this.followDeletes = followDeletes;
    this.configure = configure;
    this.sweepInterval = sweepInterval;
    this.metrics = metrics;
    this.wakeUp = wakeUp;
    this.threads = threads;
    this.worker = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /** Starts listening (if asked) and sweeping; the first sweep runs at once. */
  public void start() {
    Map<String, UnifiedJedis> nodes = masters.refresh();
    for (Map.Entry<String, UnifiedJedis> e : nodes.entrySet()) {
      ServerSettings.checkEviction(e.getKey(), e.getValue());
    }
    follow(nodes);
    long every = sweepInterval.toMillis();
    worker.scheduleWithFixedDelay(this::sweepAllSafely, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Subscribes to new masters, unsubscribes from gone ones. */
  private void follow(Map<String, UnifiedJedis> nodes) {
    if (!listen || closed) {
      return;
    }
    for (Map.Entry<String, UnifiedJedis> e : nodes.entrySet()) {
      String name = e.getKey();
      if (subscribers.containsKey(name)) {
        continue;
      }
      String problem = ServerSettings.ensureExpiredEvents(name, e.getValue(), configure,
          followDeletes);
      if (problem != null) {
        eventProblems.put(name, problem);
        log.warn("triggers of tenant '{}': {}; expired events are not published there, so "
            + "triggers written by others (Python SETEX) are adopted by the sweep alone (every "
            + "{}); triggers armed by ExpiryTriggers.set fire on time regardless", keys.tenant(),
            problem, sweepInterval);
      } else {
        eventProblems.remove(name);
      }
      UnifiedJedis node = e.getValue();
      subscribers.put(name, RedisSubscriber.start(node, threads, new RedisSubscriber.Listener() {
        @Override
        public void onMessage(String ch, String key) {
          if (ch.equals(delChannel)) {
            onDeleted(key);
          } else {
            onExpired(key);
          }
        }

        @Override
        public void onSubscribed() {
          // events published while not subscribed are lost: catch up with a sweep of this node
          if (!closed) {
            worker.execute(() -> sweepNodeSafely(name, node));
          }
        }
      }, followDeletes ? new String[] {channel, delChannel} : new String[] {channel}));
    }
    for (String name : List.copyOf(subscribers.keySet())) {
      if (!nodes.containsKey(name)) {
        RedisSubscriber s = subscribers.remove(name);
        if (s != null) {
          s.close();
        }
        eventProblems.remove(name);
      }
    }
  }

  private void onExpired(String key) {
    if (keys.parse(key) == null) {
      return;
    }
    expired.add(key);
    if (draining.compareAndSet(false, true) && !closed) {
      worker.execute(this::drainExpired);
    }
  }

  private void onDeleted(String key) {
    if (keys.parse(key) == null) {
      return;
    }
    deleted.add(key);
    if (draining.compareAndSet(false, true) && !closed) {
      worker.execute(this::drainExpired);
    }
  }

  /** Cancels adopted triggers whose keys were deleted by their writer (and are still gone). */
  private void forgetDeleted() {
    Map<Integer, List<String>> byShard = new HashMap<>();
    for (String k; (k = deleted.poll()) != null; ) {
      byShard.computeIfAbsent(keys.shardOfKey(k), x -> new ArrayList<>()).add(k);
    }
    for (Map.Entry<Integer, List<String>> e : byShard.entrySet()) {
      try {
        List<String> gone = new ArrayList<>();
        for (String k : e.getValue()) {
          if (!redis.client().exists(k)) { // not written again since
            gone.add(k);
          }
        }
        if (!gone.isEmpty()) {
          long n = redis.forgetDeleted(e.getKey(), gone);
          if (n > 0) {
            metrics.count(Metric.CANCELLED, n);
          }
        }
      } catch (RuntimeException ex) {
        log.warn("cancelling {} deleted trigger(s) in {} failed ({}); they fire when due",
            e.getValue().size(), keys.due(e.getKey()), ex.toString());
      }
    }
  }

  private void drainExpired() {
    draining.set(false);
    List<String> batch = new ArrayList<>();
    for (String k; (k = expired.poll()) != null; ) {
      batch.add(k);
      if (batch.size() >= SCAN_COUNT) {
        adoptSafely(batch, null);
        batch = new ArrayList<>();
      }
    }
    adoptSafely(batch, null);
    forgetDeleted();
  }

  private void sweepAllSafely() {
    try {
      sweepAll();
    } catch (RuntimeException e) {
      log.warn("sweep of tenant '{}' triggers failed ({}); next one in {}", keys.tenant(),
          e.toString(), sweepInterval);
    }
  }

  /** Sweeps every master now (refreshing the masters first); returns how many were adopted. */
  public long sweepAll() {
    long before = adopted.get();
    Map<String, UnifiedJedis> nodes = masters.refresh();
    follow(nodes);
    for (Map.Entry<String, UnifiedJedis> e : nodes.entrySet()) {
      sweepNode(e.getKey(), e.getValue());
    }
    if (redis.cluster()) {
      writeOwedTtlKeys();
    }
    sweeps.incrementAndGet();
    return adopted.get() - before;
  }

  /**
   * On a cluster a set writes the TTL keys after its script (they live in other slots); a process
   * that died in between left their notes in the owed ZSETs: write those TTL keys now (each
   * expiring at its trigger's due time), so a Python listener still sees them.
   */
  private void writeOwedTtlKeys() {
    for (int s = 0; s < keys.shards() && !closed; s++) {
      try {
        for (int round = 0; round < 100 && !closed; round++) {
          Map.Entry<Long, List<TriggersRedis.Owed>> o = redis.owed(s, OWED_GRACE_MS, SCAN_COUNT);
          if (o.getValue().isEmpty()) {
            break;
          }
          int n = redis.writeOwed(s, o.getKey(), o.getValue());
          if (n > 0) {
            log.warn("triggers of tenant '{}': wrote {} TTL keys that a process armed without "
                + "writing them (it stopped between its set script and the keys' SETs)",
                keys.tenant(), n);
          }
        }
      } catch (RuntimeException e) {
        log.warn("triggers of tenant '{}': owed TTL keys of shard {} not written ({}); next "
            + "sweep in {}", keys.tenant(), s, e.toString(), sweepInterval);
      }
    }
  }

  private void sweepNodeSafely(String name, UnifiedJedis node) {
    try {
      sweepNode(name, node);
    } catch (RuntimeException e) {
      log.warn("catch-up sweep of {} failed ({}); the periodic sweep follows", name, e.toString());
    }
  }

  private void sweepNode(String name, UnifiedJedis node) {
    ScanParams params = new ScanParams().match(keys.scanPattern()).count(SCAN_COUNT);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> r = node.scan(cursor, params);
      cursor = r.getCursor();
      List<String> found = r.getResult().stream().filter(k -> keys.parse(k) != null).toList();
      if (!found.isEmpty()) {
        adoptSafely(found, expireTimes(name, node, found));
      }
    } while (!"0".equals(cursor) && !closed);
  }

  /** The expire times (epoch ms) of {@code found}; -1 or -2 for none / gone. */
  private List<Long> expireTimes(String name, UnifiedJedis node, List<String> found) {
    if (hasPexpiretime.getOrDefault(name, true)) {
      try {
        return pipelined(node, found, true, 0);
      } catch (JedisDataException e) {
        hasPexpiretime.put(name, false); // Redis 6.2: no PEXPIRETIME
      }
    }
    long now = ServerTime.now(node, found.get(0)).toEpochMilli();
    return pipelined(node, found, false, now);
  }

  private static List<Long> pipelined(UnifiedJedis node, List<String> found, boolean expireTime,
      long now) {
    List<Long> out = new ArrayList<>(found.size());
    try (AbstractPipeline p = node.pipelined()) {
      List<Response<Long>> rs = new ArrayList<>(found.size());
      for (String k : found) {
        rs.add(expireTime ? p.pexpireTime(k) : p.pttl(k));
      }
      p.sync();
      for (Response<Long> r : rs) {
        long v = r.get();
        out.add(expireTime || v < 0 ? v : now + v);
      }
    }
    return out;
  }

  /** Adopts {@code found} (due times, or null: expired now) shard by shard. */
  private void adoptSafely(List<String> found, List<Long> dueMs) {
    if (found.isEmpty()) {
      return;
    }
    Map<Integer, List<String>> byShard = new HashMap<>();
    Map<Integer, List<Long>> dues = new HashMap<>();
    for (int i = 0; i < found.size(); i++) {
      long due = dueMs == null ? -1 : dueMs.get(i);
      if (dueMs != null && due < 0) {
        continue; // no expiry (-1: never fires) or gone meanwhile (-2: its event tells)
      }
      int s = keys.shardOfKey(found.get(i));
      byShard.computeIfAbsent(s, x -> new ArrayList<>()).add(found.get(i));
      dues.computeIfAbsent(s, x -> new ArrayList<>()).add(due);
    }
    long n = 0;
    for (Map.Entry<Integer, List<String>> e : byShard.entrySet()) {
      try {
        n += redis.adopt(e.getKey(), e.getValue(), dues.get(e.getKey())).size();
      } catch (RuntimeException ex) {
        log.warn("adopting {} trigger(s) into {} failed ({}); the next sweep tries again",
            e.getValue().size(), keys.due(e.getKey()), ex.toString());
      }
    }
    if (n > 0) {
      adopted.addAndGet(n);
      metrics.count(Metric.ADOPTED, n);
      wakeUp.run();
    }
  }

  /** How many triggers were adopted so far. */
  public long adopted() {
    return adopted.get();
  }

  /** How many full sweeps completed. */
  public long sweeps() {
    return sweeps.get();
  }

  /** Why expired events are not available on some masters (empty: they are everywhere). */
  public List<String> eventProblems() {
    return List.copyOf(eventProblems.values());
  }

  /** Whether every master's subscription is up (false when not listening). */
  public boolean subscribed() {
    return listen && !subscribers.isEmpty()
        && subscribers.values().stream().allMatch(RedisSubscriber::isSubscribed);
  }

  /** Total subscriptions made (1 per master + reconnects). */
  public int subscriptionCount() {
    return subscribers.values().stream().mapToInt(RedisSubscriber::subscriptionCount).sum();
  }

  @Override
  public void close() {
    closed = true;
    subscribers.values().forEach(RedisSubscriber::close);
    subscribers.clear();
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
