package io.github.redisext.triggers;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.consumer.DeadLetterException;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.core.support.Registry;
import io.github.redisext.core.support.Strings;
import io.github.redisext.triggers.internal.Adopter;
import io.github.redisext.triggers.internal.Keys;
import io.github.redisext.triggers.internal.Masters;
import io.github.redisext.triggers.internal.TriggerStore;
import io.github.redisext.triggers.internal.TriggersRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Key-expiry triggers of one tenant: {@link #set} arms a trigger that, once its ttl has passed,
 * runs the handler registered for its action {@link #on} exactly once across every process (at
 * least once if a handler fails or its process dies: retried, then kept as a dead letter).
 *
 * <p>A set is one script: the TTL key {@code <tenant>:EXPTRIGGER:<action>:<identifier>} with
 * value {@code trigger:<UTC ISO time>} (WIRE-FORMAT section 10, so Python's {@code
 * run_expiry_listener} still sees it expire), plus a due entry in a hash-tagged sorted set scored
 * by the Redis server clock and an identifier index. Consumers claim due entries with a lease on
 * core's {@link ConsumerKernel}, so firing never waits for, nor depends on, keyspace
 * notifications. Triggers written by others (Python's bare {@code SETEX}) are adopted into the
 * sorted sets from expired events of every master and from periodic sweeps.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379/8");
 * ExpiryTriggers triggers = ExpiryTriggers.create(redis, "acme")
 *     .on("process_message_batch", t -> batches.process(t.identifier()))
 *     .on("send:reminder", t -> reminders.send(t.identifier()))   // ':' works: escaped alike
 *     .start();
 * triggers.set("process_message_batch", "wa_123", Duration.ofMinutes(5));
 * triggers.set("process_message_batch", "wa_123", Duration.ofMinutes(5)); // re-arm: last wins
 * triggers.cancel("send:reminder", "user:42");
 * triggers.cancelAll("wa_123");
 * ...
 * triggers.close();
 * }</pre>
 *
 * <p>Thread-safe. Handlers may be registered before or after {@link #start()}; a trigger whose
 * action has no handler in the process that claims it fails (retried, then dead-lettered), so
 * register the same actions in every process of a tenant. After {@link #close()} every operation
 * throws {@link IllegalStateException}.
 */
public final class ExpiryTriggers implements AutoCloseable {
  /** Longest ttl of a trigger: 3,650 days. */
  public static final Duration MAX_TTL = Duration.ofDays(3_650);
  private static final JsonCodec<Object> RECORD = JsonCodec.of(Object.class);

  private final UnifiedJedis client;
  private final String tenant;
  private final TriggersOptions options;
  private final Keys keys;
  private final TriggersRedis redis;
  private final Metrics metrics;
  /** The levels a metrics binding reads on demand (pending triggers, dead letters). */
  private final Instrumented levels;
  private final Map<String, TriggerHandler> handlers = new ConcurrentHashMap<>();
  private final ThreadFactory threads = NamedThreads.factory("redis-ext-triggers", true);
  private ConsumerKernel<TriggerStore.Item> kernel;
  private TriggerStore store;
  private Adopter adopter;
  private Masters masters;
  private RedisSubscriber wakeUps;
  private volatile boolean closed;

  private ExpiryTriggers(UnifiedJedis client, String tenant, TriggersOptions options) {
    this.client = Args.notNull(client, "redis");
    this.tenant = TriggerKey.requireTenant(tenant);
    this.options = Args.notNull(options, "options");
    this.keys = new Keys(tenant, options.shards()).requireUsable(client);
    this.redis = new TriggersRedis(client, keys);
    MetricSource source = MetricSource.of("triggers", tenant);
    this.metrics = Metrics.of(client, options.consumer().metrics(), source);
    this.levels = Instrumented.of(source, Map.of(Metric.PENDING, this::pendingCount,
        Metric.DEAD_LETTERS, this::deadLetterCount));
    metrics.attach(levels);
    Registry.announce(client, "triggers", tenant,
        Map.of("shards", Integer.toString(keys.shards())));
  }

  /**
   * Triggers of {@code tenant} with the default options.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the tenant is blank or contains {@code ':'}
   */
  public static ExpiryTriggers create(UnifiedJedis redis, String tenant) {
    return create(redis, tenant, TriggersOptions.defaults());
  }

  /**
   * Triggers of {@code tenant} with {@code options}. Every process of a tenant must use the same
   * number of {@link TriggersOptions#shards() shards}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the tenant is blank or contains {@code ':'}
   */
  public static ExpiryTriggers create(UnifiedJedis redis, String tenant,
      TriggersOptions options) {
    return new ExpiryTriggers(redis, tenant, options);
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** The options. */
  public TriggersOptions options() {
    return options;
  }

  /** The TTL key of a trigger of this tenant (WIRE-FORMAT section 10). */
  public String key(String action, String identifier) {
    return keys.ttlKey(Args.notNull(action, "action"), Args.notNull(identifier, "identifier"));
  }

  /**
   * Registers the handler of {@code action} (replacing an earlier one). The action is escaped
   * like the key ({@code ':'} to {@code '_'}), so {@code "send:reminder"} and {@code
   * "send_reminder"} name the same action.
   *
   * @throws NullPointerException if an argument is null
   */
  public ExpiryTriggers on(String action, TriggerHandler handler) {
    checkOpen();
    Args.notNull(action, "action");
    handlers.put(TriggerKey.escape(action), Args.notNull(handler, "handler"));
    return this;
  }

  /**
   * Arms the trigger of {@code action} and {@code identifier} to fire after {@code ttl} (server
   * clock); setting it again moves the deadline (the last one wins) and resets its attempts.
   *
   * @return when it falls due (server clock)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code ttl} is not positive or longer than {@link #MAX_TTL}
   * @throws io.github.redisext.core.WrongTypeException if a key of the trigger holds another type
   *     (nothing was changed)
   */
  public Instant set(String action, String identifier, Duration ttl) {
    checkOpen();
    String key = key(action, identifier);
    long ms = ttlMillis(ttl);
    int s = keys.shardOfKey(key);
    TriggersRedis.SetReply r = redis.set(List.of(new TriggersRedis.Arms(s, keys.actionOf(key),
        List.of(key))), ms, TriggersRedis.triggerValueNow(), true);
    long now = r.nowMs()[0];
    metrics.count(Metric.PUBLISHED, 1);
    armedLocally(s, now + ms);
    return Instant.ofEpochMilli(now + ms);
  }

  /**
   * Arms the triggers of {@code action} for every identifier, each after {@code ttl}: one script
   * call per shard and 1,000 triggers, the calls pipelined (up to 32 per round trip). Each call
   * is atomic by itself, the calls together are not one transaction.
   *
   * @return how many were armed
   * @throws NullPointerException if an argument or identifier is null
   * @throws IllegalArgumentException if {@code ttl} is not positive or longer than {@link #MAX_TTL}
   * @throws io.github.redisext.core.WrongTypeException if a key holds another type (the triggers
   *     of the call that found it were not changed; the other calls' were)
   */
  public int setAll(String action, Collection<String> identifiers, Duration ttl) {
    checkOpen();
    Args.notNull(action, "action");
    Args.noNulls(identifiers, "identifiers");
    long ms = ttlMillis(ttl);
    String escapedAction = TriggerKey.escape(action);
    String prefix = keys.keyPrefix() + escapedAction + ":";
    List<List<String>> shardKeys = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      shardKeys.add(new ArrayList<>());
    }
    for (String id : identifiers) {
      String escaped = TriggerKey.escape(id);
      shardKeys.get(keys.shardOf(escaped)).add(prefix + escaped);
    }
    List<TriggersRedis.Arms> calls = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      List<String> k = shardKeys.get(s);
      for (int from = 0; from < k.size(); from += TriggersRedis.SET_CALL_SIZE) {
        int to = Math.min(k.size(), from + TriggersRedis.SET_CALL_SIZE);
        calls.add(new TriggersRedis.Arms(s, escapedAction, k.subList(from, to)));
      }
    }
    if (calls.isEmpty()) {
      return 0;
    }
    TriggersRedis.SetReply r = redis.set(calls, ms, TriggersRedis.triggerValueNow(), true);
    int n = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (r.applied()[i]) {
        n += calls.get(i).ttlKeys().size();
        armedLocally(calls.get(i).shard(), r.nowMs()[i] + ms);
      }
    }
    metrics.count(Metric.PUBLISHED, n);
    if (r.firstError() != null) {
      throw r.firstError();
    }
    return n;
  }

  private void armedLocally(int shard, long dueMs) {
    TriggerStore st;
    ConsumerKernel<TriggerStore.Item> k;
    synchronized (this) {
      st = store;
      k = kernel;
    }
    if (st != null) {
      st.lowerNextDue(shard, dueMs);
      k.wakeUp();
    }
  }

  private static long ttlMillis(Duration ttl) {
    Args.notNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive (a trigger fires after it), got "
          + ttl);
    }
    Args.inRange(ttl, Duration.ofMillis(1), MAX_TTL, "ttl");
    return Math.max(1, ttl.toMillis());
  }

  /**
   * Cancels a trigger: its due entry and its TTL key go. A handler running it now is not stopped.
   *
   * @return whether there was something to cancel
   * @throws NullPointerException if an argument is null
   */
  public boolean cancel(String action, String identifier) {
    checkOpen();
    boolean r = redis.cancel(key(action, identifier));
    if (r) {
      metrics.count(Metric.CANCELLED, 1);
    }
    return r;
  }

  /**
   * Cancels every trigger of {@code identifier} (all actions), found through the identifier
   * index (no SCAN). Triggers written by others are included once adopted (see the README).
   *
   * @return how many were cancelled
   * @throws NullPointerException if the identifier is null
   */
  public int cancelAll(String identifier) {
    checkOpen();
    int n = redis.cancelAll(TriggerKey.escape(Args.notNull(identifier, "identifier"))).size();
    metrics.count(Metric.CANCELLED, n);
    return n;
  }

  /** When the trigger falls due (server clock), if it is armed and not running. */
  public Optional<Instant> dueAt(String action, String identifier) {
    checkOpen();
    String key = key(action, identifier);
    int s = keys.shardOfKey(key);
    String leased = KeyTypes.call(client, () -> client.hget(keys.family(s).get(2), key),
        keys.family(s).get(2), "hash");
    if (leased != null) {
      return Optional.empty();
    }
    Double score = KeyTypes.call(client, () -> client.zscore(keys.due(s), key), keys.due(s),
        "zset");
    return score == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(score.longValue()));
  }

  /** Triggers armed and not yet fired (running ones included), over every shard. */
  public long pendingCount() {
    checkOpen();
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      int shard = s;
      n += KeyTypes.call(client, () -> client.zcard(keys.due(shard)), keys.due(shard), "zset");
    }
    return n;
  }

  /**
   * Starts firing in this process: the consumer (claiming due triggers of every shard), the
   * wake-up subscription and, per {@link TriggersOptions#listen()}, the expired-event listener on
   * every master; the sweep runs at once and then every {@link TriggersOptions#sweepInterval()}.
   * Reads {@code notify-keyspace-events} and adds only missing flags; without CONFIG it runs on
   * the sorted sets and sweeps alone ({@link #health()} says so, and a WARN).
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized ExpiryTriggers start() {
    checkOpen();
    if (kernel != null) {
      throw new IllegalStateException("triggers '" + tenant + "' are already started");
    }
    store = new TriggerStore(redis, metrics, options.consumer().maxAttempts(),
        options.firedMarkerTtl(), options.consumer().idleWait());
    kernel = ConsumerKernel.start(store, this::fire, options.consumer(), "redis-ext-triggers",
        metrics);
    TriggerStore st = store;
    ConsumerKernel<TriggerStore.Item> k = kernel;
    wakeUps = RedisSubscriber.start(client, threads, new RedisSubscriber.Listener() {
      @Override
      public void onMessage(String channel, String message) {
        int sp = message.indexOf(' ');
        try {
          st.lowerNextDue(Integer.parseInt(message.substring(0, sp)),
              Long.parseLong(message.substring(sp + 1)));
          k.wakeUp();
        } catch (RuntimeException e) {
          st.recheckAll(); // not ours to understand: look at every shard
          k.wakeUp();
        }
      }

      @Override
      public void onSubscribed() {
        st.recheckAll();
        k.wakeUp();
      }
    }, keys.channel());
    masters = new Masters(client);
    adopter = new Adopter(redis, masters, database(client), options.listen(),
        options.followDeletes(), options.configureEvents(), options.sweepInterval(), metrics,
        k::wakeUp, threads);
    adopter.start();
    return this;
  }

  private void fire(TriggerStore.Item item) throws Exception {
    TriggerKey k = TriggerKey.parse(item.key()).orElseThrow(() -> new DeadLetterException(
        "'" + item.key() + "' is not a trigger key (<tenant>:EXPTRIGGER:<action>:<identifier>)"));
    TriggerHandler h = handlers.get(k.action());
    if (h == null) {
      throw new IllegalStateException("no handler for action '" + k.action() + "' is registered "
          + "in this process (ExpiryTriggers.on)");
    }
    boolean late = item.firedMs() - item.dueMs() > options.lateAfter().toMillis();
    if (late) {
      metrics.count(Metric.LATE, 1);
    }
    h.handle(new Trigger(k.tenant(), k.action(), k.identifier(), item.key(),
        Instant.ofEpochMilli(item.dueMs()), Instant.ofEpochMilli(item.firedMs()), item.attempt(),
        item.adopted(), late));
  }

  /** The database of a standalone client's connections (CLIENT INFO), 0 on a cluster. */
  private static int database(UnifiedJedis client) {
    if (KeySpace.isCluster(client)) {
      return 0;
    }
    try {
      Object info = client.sendCommand(Protocol.Command.CLIENT, "INFO");
      String text = info instanceof byte[] b ? Strings.utf8(b) : String.valueOf(info);
      for (String part : text.trim().split(" ")) {
        if (part.startsWith("db=")) {
          return Integer.parseInt(part.substring(3));
        }
      }
    } catch (RuntimeException e) {
      // CLIENT INFO is Redis 6.2+; older servers and jedis-mock: database 0
    }
    return 0;
  }

  /**
   * Sweeps every master now: adopts the tenant's TTL keys written by others that are not in the
   * sorted sets yet (the start and every sweep interval do this too).
   *
   * @return how many were adopted
   * @throws IllegalStateException if not started or closed
   */
  public long sweep() {
    checkOpen();
    Adopter a;
    synchronized (this) {
      a = adopter;
    }
    if (a == null) {
      throw new IllegalStateException("triggers '" + tenant + "' are not started");
    }
    return a.sweepAll();
  }

  /** What the instance can rely on now (keyspace events, subscriptions, adoption counts). */
  public synchronized TriggersHealth health() {
    checkOpen();
    if (adopter == null) {
      return new TriggersHealth(false, false, false, List.of(), 0, 0);
    }
    List<String> problems = new ArrayList<>(adopter.eventProblems());
    if (!options.listen()) {
      problems.add("not listening to expired events (TriggersOptions.listen(false))");
    }
    return new TriggersHealth(true, problems.isEmpty(), adopter.subscribed(), problems,
        adopter.adopted(), adopter.sweeps());
  }

  // ------------------------------------------------------------------ dead letters

  /** Up to {@code max} dead triggers, over every shard. */
  public List<DeadLetter> deadLetters(int max) {
    checkOpen();
    Args.inRange(max, 0, Integer.MAX_VALUE, "max");
    List<DeadLetter> out = new ArrayList<>();
    for (int s = 0; s < keys.shards() && out.size() < max; s++) {
      String dead = keys.dead(s);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        String c = cursor;
        ScanResult<Map.Entry<String, String>> r = KeyTypes.call(client,
            () -> client.hscan(dead, c, new ScanParams().count(1000)), dead, "hash");
        for (Map.Entry<String, String> e : r.getResult()) {
          if (out.size() < max) {
            out.add(deadLetter(e.getKey(), e.getValue()));
          }
        }
        cursor = r.getCursor();
      } while (!"0".equals(cursor) && out.size() < max);
    }
    return out;
  }

  private static DeadLetter deadLetter(String key, String record) {
    DeadLetter.Builder b = DeadLetter.builder(key, Strings.utf8(key)).ref(key)
        .topic(TriggerKey.parse(key).map(TriggerKey::action).orElse(null));
    try {
      if (RECORD.decode(record) instanceof Map<?, ?> m) {
        b.error(String.valueOf(m.get("error")));
        if (m.get("attempts") instanceof Number n) {
          b.attempts(n.intValue());
        }
        if (m.get("failedAt") instanceof Number n) {
          b.failedAt(Instant.ofEpochMilli(n.longValue()));
        }
        return b.build();
      }
    } catch (RuntimeException e) {
      // not a record we wrote: keep it whole as the error text
    }
    return b.error(record).build();
  }

  /** How many triggers are dead, over every shard. */
  public long deadLetterCount() {
    checkOpen();
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      String dead = keys.dead(s);
      n += KeyTypes.call(client, () -> client.hlen(dead), dead, "hash");
    }
    return n;
  }

  /** Arms {@code letters} again, due at once with fresh attempts; returns how many were. */
  public long requeue(Collection<DeadLetter> letters) {
    checkOpen();
    long n = 0;
    for (Map.Entry<Integer, List<String>> e : byShard(letters).entrySet()) {
      n += redis.requeueDead(e.getKey(), e.getValue());
      ConsumerKernel<TriggerStore.Item> k;
      synchronized (this) {
        k = kernel;
      }
      if (k != null) {
        store.lowerNextDue(e.getKey(), Long.MIN_VALUE);
        k.wakeUp();
      }
    }
    return n;
  }

  /** Requeues every dead trigger; returns how many were. */
  public long requeueAllDeadLetters() {
    return inDeadBatches(this::requeue);
  }

  /** Deletes {@code letters} for good; returns how many were deleted. */
  public long purge(Collection<DeadLetter> letters) {
    checkOpen();
    long n = 0;
    for (Map.Entry<Integer, List<String>> e : byShard(letters).entrySet()) {
      String dead = keys.dead(e.getKey());
      String[] members = e.getValue().toArray(String[]::new);
      n += KeyTypes.call(client, () -> client.hdel(dead, members), dead, "hash");
    }
    return n;
  }

  /** Deletes every dead trigger; returns how many were deleted. */
  public long purgeAllDeadLetters() {
    return inDeadBatches(this::purge);
  }

  /** Applies {@code action} to every dead letter, 1,000 at a time; returns the sum it returns. */
  private long inDeadBatches(java.util.function.ToLongFunction<List<DeadLetter>> action) {
    long n = 0;
    for (List<DeadLetter> batch; !(batch = deadLetters(1000)).isEmpty(); ) {
      long r = action.applyAsLong(batch);
      n += r;
      if (r == 0) {
        break;
      }
    }
    return n;
  }

  private Map<Integer, List<String>> byShard(Collection<DeadLetter> letters) {
    Args.noNulls(letters, "letters");
    Map<Integer, List<String>> m = new LinkedHashMap<>();
    for (DeadLetter d : letters) {
      m.computeIfAbsent(keys.shardOfKey(d.ref()), x -> new ArrayList<>()).add(d.ref());
    }
    return m;
  }

  // ------------------------------------------------------------------ lifecycle

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("triggers '" + tenant + "' is closed");
    }
  }

  /**
   * Stops firing in this process: claims stop, unstarted triggers go back (due at once),
   * running handlers get {@link TriggersOptions#consumer()}'s shutdown grace; subscriptions and
   * sweeps end. Triggers stay armed in Redis. Idempotent; the client is not closed.
   */
  @Override
  public void close() {
    ConsumerKernel<TriggerStore.Item> k;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      k = kernel;
    }
    if (adopter != null) {
      adopter.close();
    }
    if (wakeUps != null) {
      wakeUps.close();
    }
    if (k != null) {
      k.close();
    }
    if (masters != null) {
      masters.close();
    }
    metrics.detach(levels);
  }

  @Override
  public String toString() {
    return "ExpiryTriggers[tenant=" + tenant + ", shards=" + keys.shards() + ", started="
        + (kernel != null) + ", closed=" + closed + "]";
  }
}
