package io.github.redisext.fastset.internal;

import io.github.redisext.core.CodecException;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.core.support.Replies;
import io.github.redisext.fastset.FastSetDecodeException;
import io.github.redisext.fastset.FastSetOptions;
import io.github.redisext.fastset.FastSetStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The engine behind {@code FastSet}: the local cache, its version, catching up from change entries
 * or a full reload, the write scripts, the refresh timer (which also runs the subscription's
 * pings) and the pub/sub listener.
 *
 * <p>Thread-safety: the cache ({@link #values}, {@link #version}, {@link #snapshot}) is only changed
 * while holding {@link #lock}; readers never lock: they read the volatile map reference (replaced
 * whole on a reload, changed in place by a delta) and the iteration snapshot (an array built under
 * the lock for one version).
 *
 * @param <T> the element type
 */
public final class SetEngine<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SetEngine.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int FULL_SCAN_ATTEMPTS = 3;
  /** The prefix of check_keys()'s error for a version key holding no integer (changelog_lib.lua). */
  private static final String BAD_VERSION = "redis-ext FastSet: ";

  private final UnifiedJedis client;
  private final String key;
  private final String valueKey;
  private final String versionKey;
  private final String channel;
  private final List<String> keys;
  private final JsonCodec<T> codec;
  private final FastSetOptions options;
  private final boolean alwaysCheck;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile ConcurrentHashMap<T, String> values = new ConcurrentHashMap<>();
  private volatile long version;
  /** The incarnation of the set the cache belongs to ({@code <key>:epoch}, '' when none). */
  private volatile String epoch = "";
  private volatile Snapshot snapshot;
  /** True when a read must take the slow path: a check is due or the cache is broken. */
  private volatile boolean attention;
  private volatile boolean checkDue;
  private volatile FastSetDecodeException broken;
  private volatile boolean closed;
  private ScheduledExecutorService timer;
  /** The timer's threads, joined by close(): an executor counts as terminated a moment before its thread ends. */
  private final java.util.List<Thread> timerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private RedisSubscriber subscriber;
  private final CountDownLatch firstSubscription = new CountDownLatch(1);

  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong deltasApplied = new AtomicLong();
  private final AtomicLong fullReloads = new AtomicLong();
  private final AtomicLong versionChecks = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong failedChecks = new AtomicLong();

  private SetEngine(UnifiedJedis client, KeySpace keySpace, JsonCodec<T> codec,
      FastSetOptions options) {
    this.client = client;
    this.key = keySpace.name();
    this.valueKey = keySpace.key("value");
    this.versionKey = keySpace.key("version");
    this.channel = keySpace.key("changed");
    this.keys = List.of(valueKey, versionKey, keySpace.key("log"), keySpace.key("epoch"));
    this.codec = codec.withStyle(JsonStyle.PYTHON_ASCII);
    this.options = options;
    this.alwaysCheck = options.refreshInterval().isZero();
    this.attention = alwaysCheck;
  }

  /**
   * Loads the set, starts the refresh timer and the subscription.
   *
   * @throws io.github.redisext.core.KeyNameException if the key is blank or has no hash tag on a
   *     cluster
   * @throws FastSetDecodeException if a member in Redis cannot be decoded
   */
  public static <T> SetEngine<T> open(UnifiedJedis client, String key, JsonCodec<T> codec,
      FastSetOptions options) {
    Objects.requireNonNull(client, "client must not be null");
    Objects.requireNonNull(codec, "codec must not be null");
    Objects.requireNonNull(options, "options must not be null");
    KeySpace ks = KeySpace.verbatim(key).requireSingleSlot(client);
    SetEngine<T> e = new SetEngine<>(client, ks, codec, options);
    try {
      e.start();
    } catch (RuntimeException ex) {
      e.close();
      throw ex;
    }
    return e;
  }

  private static String threadName() {
    return "redis-ext-fastset-" + THREADS.incrementAndGet();
  }

  private void start() {
    lock.lock();
    try {
      reload();
    } finally {
      lock.unlock();
    }
    if (!alwaysCheck || options.pushInvalidation()) {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, threadName());
        th.setDaemon(true);
        timerThreads.add(th);
        return th;
      });
      t.setRemoveOnCancelPolicy(true);
      if (!alwaysCheck) {
        long ms = Math.max(1, options.refreshInterval().toMillis());
        t.scheduleAtFixedRate(this::markCheckDue, ms, ms, TimeUnit.MILLISECONDS);
      }
      timer = t;
    }
    if (options.pushInvalidation()) {
      subscriber = RedisSubscriber.start(client, threadName(), new Listener(), channel);
      try {
        if (!firstSubscription.await(options.subscribeTimeout().toMillis(),
            TimeUnit.MILLISECONDS) && !options.subscribeTimeout().isZero()) {
          log.warn("FastSet '{}': not subscribed to {} after {}; going on with timeout refresh "
              + "until the subscription is up", key, channel, options.subscribeTimeout());
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new RedisExtException("interrupted while subscribing FastSet '" + key + "'", ie);
      }
    }
    log.info("FastSet '{}' opened: {} members at version {} ({})", key, values.size(), version,
        options);
  }

  // ---------------------------------------------------------------- reads

  /** The slow path is taken only when a check is due or the cache is broken. */
  public void beforeRead() {
    if (attention) {
      slowRead();
    }
  }

  private void slowRead() {
    if (closed) {
      return; // after close() reads answer from the last cached state
    }
    if (alwaysCheck || checkDue) {
      lock.lock();
      try {
        if (alwaysCheck || checkDue) {
          checkDue = false;
          updateAttention();
          try {
            catchUp();
          } catch (FastSetDecodeException e) {
            markBroken(e);
          } catch (RuntimeException e) {
            failedChecks.incrementAndGet();
            log.warn("FastSet '{}': version check failed ({}); serving the cached version {}", key,
                e.getMessage(), version);
          }
        }
      } finally {
        lock.unlock();
      }
    }
    FastSetDecodeException b = broken;
    if (b != null) {
      throw new FastSetDecodeException(b.key(), b.rawText(), b.getMessage(), b);
    }
  }

  /** Whether the cache holds {@code o} (no round trip). */
  public boolean contains(Object o) {
    beforeRead();
    return values.containsKey(o);
  }

  /** The cache's size (no round trip). */
  public int size() {
    beforeRead();
    return values.size();
  }

  /**
   * The elements of the cache at one version.
   *
   * @param elements the elements; the array is shared and must not be changed
   * @param version the version they are the content of
   * @param epoch the incarnation of the set they belong to
   */
  public record Snapshot(Object[] elements, long version, String epoch) {}

  /** The cache at one version (built under the lock, kept until the next change). */
  public Snapshot snapshot() {
    beforeRead();
    Snapshot s = snapshot;
    if (s == null) {
      lock.lock();
      try {
        s = snapshot;
        if (s == null) {
          s = new Snapshot(values.keySet().toArray(), version, epoch);
          snapshot = s;
        }
      } finally {
        lock.unlock();
      }
    }
    return s;
  }

  /** The cache's version. */
  public long version() {
    return version;
  }

  /** The member text of an element (PYTHON_ASCII JSON). */
  public String encode(T element) {
    return codec.encode(element);
  }

  /**
   * The member text of an object that may not be an element, or null when it cannot be one (wrong
   * type, not encodable).
   */
  @SuppressWarnings("unchecked")
  public String encodeIfElement(Object o) {
    try {
      return codec.encode((T) o);
    } catch (RuntimeException e) {
      // ClassCastException (another type), CodecException, reflection failures: not an element
      return null;
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Adds and removes members in one script.
   *
   * @param expected the snapshot the change is conditional on (same version and epoch in Redis), or
   *     null for an unconditional change
   * @param known the elements of members to add, when the caller has them (the cache then takes the
   *     caller's objects instead of decoding the members again)
   * @return the number of members actually added and removed, or -1 if {@code expected} did not
   *     match (the cache has then caught up with the remote version)
   */
  public long change(Collection<String> adds, Collection<String> removes, Snapshot expected,
      Map<String, T> known) {
    ensureOpen();
    if (expected == null && adds.isEmpty() && removes.isEmpty()) {
      return 0;
    }
    long seen = version;
    List<String> args = new ArrayList<>(6 + adds.size() + removes.size());
    args.add(expected == null ? "" : expected.version() + " " + expected.epoch());
    args.add(Long.toString(seen));
    args.add(Integer.toString(options.changeLogLength()));
    args.add(channel);
    args.add(Integer.toString(options.maxDeltaMembers()));
    args.add(Integer.toString(adds.size()));
    args.addAll(adds);
    args.addAll(removes);
    List<Object> reply = Replies.toList(run(Scripts.CHANGE, args));
    long changed = Replies.toLong(reply.get(1));
    if (changed > 0) {
      writes.incrementAndGet();
    } else if (changed < 0) {
      conflicts.incrementAndGet();
    }
    integrate(seen, Replies.toLong(reply.get(0)), Replies.toStr(reply.get(2)),
        reply.subList(3, reply.size()), known);
    return changed;
  }

  /**
   * Removes every member.
   *
   * @return the number of members removed
   */
  public long clear() {
    ensureOpen();
    long seen = version;
    List<Object> reply = Replies.toList(run(Scripts.CLEAR, List.of(Long.toString(seen),
        Integer.toString(options.changeLogLength()), channel)));
    long removed = Replies.toLong(reply.get(1));
    if (removed > 0) {
      writes.incrementAndGet();
    }
    integrate(seen, Replies.toLong(reply.get(0)), Replies.toStr(reply.get(2)),
        reply.subList(3, reply.size()), Map.of());
    return removed;
  }

  /** Brings the cache to the version a write replied with, using the entries it returned. */
  private void integrate(long seen, long remote, String remoteEpoch, List<Object> newestFirst,
      Map<String, T> known) {
    lock.lock();
    try {
      if (!remoteEpoch.equals(epoch)) {
        log.info("FastSet '{}': the set's epoch is {}, the cache's {} (data reset?); reloading", key,
            remoteEpoch, epoch);
        reload();
        return;
      }
      if (remote < seen) {
        log.info("FastSet '{}': remote version {} is below the cached {} (data reset?); reloading",
            key, remote, seen);
        reload();
        return;
      }
      if (remote <= version && broken == null) {
        return;
      }
      applyOrCatchUp(parse(newestFirst), remote, known);
    } catch (FastSetDecodeException e) {
      markBroken(e);
    } finally {
      lock.unlock();
    }
  }

  /** Re-validates now (one round trip; more if the set changed). */
  public void refresh() {
    ensureOpen();
    lock.lock();
    try {
      checkDue = false;
      updateAttention();
      catchUp();
    } catch (FastSetDecodeException e) {
      markBroken(e);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- catching up (under the lock)

  private void catchUp() {
    versionChecks.incrementAndGet();
    List<Object> r = Replies.toList(run(Scripts.CHANGES, List.of(Long.toString(version),
        Integer.toString(options.changeLogLength()))));
    long remote = Replies.toLong(r.get(0));
    String remoteEpoch = Replies.toStr(r.get(1));
    if (remote == version && remoteEpoch.equals(epoch) && broken == null) {
      return;
    }
    if (remote < version || !remoteEpoch.equals(epoch) || broken != null) {
      if (broken == null) {
        log.info("FastSet '{}': remote version {} epoch {}, cached version {} epoch {} (data "
            + "reset?); reloading", key, remote, remoteEpoch, version, epoch);
      }
      reload();
      return;
    }
    applyOrCatchUp(parse(r.subList(2, r.size())), remote, Map.of());
  }

  /**
   * Applies the entries after the cached version in order up to {@code remote}; anything missing
   * (a gap, an entry too big to list) means a full reload.
   */
  private void applyOrCatchUp(List<Entry> newestFirst, long remote, Map<String, T> known) {
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Entry e = newestFirst.get(i);
      if (e.version() <= version) {
        continue;
      }
      if (e.version() != version + 1 || e.reload() || !e.epoch().equals(epoch)) {
        reload();
        return;
      }
      applyLive(e, known);
    }
    if (version < remote) {
      reload();
    }
  }

  private void applyLive(Entry e, Map<String, T> known) {
    snapshot = null;
    apply(values, e, known);
    version = e.version();
    deltasApplied.incrementAndGet();
  }

  private void apply(ConcurrentHashMap<T, String> map, Entry e, Map<String, T> known) {
    if (e.cleared()) {
      map.clear();
    }
    for (String m : e.added()) {
      T t = known.get(m);
      map.put(t != null ? t : decodeChecked(m), m);
    }
    for (String m : e.removed()) {
      map.remove(decodeChecked(m));
    }
  }

  private List<Entry> parse(List<Object> raw) {
    List<Entry> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      out.add(Entry.parse(Replies.toStr(o)));
    }
    return out;
  }

  /**
   * Loads the whole set: SSCAN in batches between two version reads, made exact by applying the
   * log entries written meanwhile; when writers that do not log (Python) keep changing it, one
   * atomic SMEMBERS in a script.
   */
  private void reload() {
    fullReloads.incrementAndGet();
    ScanParams params = new ScanParams().count(options.scanBatch());
    for (int attempt = 1; attempt <= FULL_SCAN_ATTEMPTS; attempt++) {
      List<Object> start = Replies.toList(run(Scripts.EPOCH, List.of()));
      long before = Replies.toLong(start.get(0));
      String startEpoch = Replies.toStr(start.get(1));
      ConcurrentHashMap<T, String> fresh = new ConcurrentHashMap<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        String at = cursor;
        ScanResult<String> page = KeyTypes.call(client, () -> client.sscan(valueKey, at, params),
            valueKey, "set");
        for (String m : page.getResult()) {
          fresh.put(decodeChecked(m), m);
        }
        cursor = page.getCursor();
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
      List<Object> r = Replies.toList(run(Scripts.CHANGES, List.of(Long.toString(before),
          Integer.toString(options.changeLogLength()))));
      long after = Replies.toLong(r.get(0));
      boolean sameEpoch = startEpoch.equals(Replies.toStr(r.get(1)));
      if (after == before && sameEpoch) {
        install(fresh, before, startEpoch);
        return;
      }
      if (after > before && sameEpoch
          && replay(fresh, before, after, startEpoch, parse(r.subList(2, r.size())))) {
        install(fresh, after, startEpoch);
        return;
      }
      log.debug("FastSet '{}': set changed without a log entry during a scan (v{} -> v{}); "
          + "scanning again", key, before, after);
    }
    List<Object> all = Replies.toList(run(Scripts.SNAPSHOT, List.of()));
    ConcurrentHashMap<T, String> fresh = new ConcurrentHashMap<>(all.size() * 2);
    for (Object o : all.subList(2, all.size())) {
      String m = Replies.toStr(o);
      fresh.put(decodeChecked(m), m);
    }
    install(fresh, Replies.toLong(all.get(0)), Replies.toStr(all.get(1)));
  }

  /**
   * Runs one of the scripts on this set's keys. Each checks every key first and changes nothing
   * when one is wrong.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key holds another type
   * @throws RedisExtException if the version key holds no integer
   */
  private Object run(LuaScript script, List<String> args) {
    try {
      return script.eval(client, keys, args);
    } catch (JedisDataException e) {
      String m = e.getMessage();
      int at = m == null ? -1 : m.indexOf(BAD_VERSION);
      if (at >= 0) {
        throw new RedisExtException("FastSet '" + key + "': "
            + m.substring(at + BAD_VERSION.length()), e);
      }
      throw e;
    }
  }

  private boolean replay(ConcurrentHashMap<T, String> map, long from, long to, String inEpoch,
      List<Entry> newestFirst) {
    long v = from;
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Entry e = newestFirst.get(i);
      if (e.version() <= v) {
        continue;
      }
      if (e.version() != v + 1 || e.reload() || !e.epoch().equals(inEpoch)) {
        return false;
      }
      apply(map, e, Map.of());
      v = e.version();
    }
    return v == to;
  }

  private void install(ConcurrentHashMap<T, String> fresh, long v, String inEpoch) {
    snapshot = null;
    values = fresh;
    version = v;
    epoch = inEpoch;
    broken = null;
    updateAttention();
  }

  private T decodeChecked(String member) {
    T value;
    try {
      value = codec.decode(member);
    } catch (CodecException e) {
      throw new FastSetDecodeException(key, member, "FastSet '" + key + "': member " + quote(member)
          + " of " + valueKey + " is not valid JSON for " + codec.type().getTypeName() + ": "
          + e.getMessage(), e);
    }
    if (value == null) {
      throw new FastSetDecodeException(key, member, "FastSet '" + key + "': member " + quote(member)
          + " of " + valueKey + " is JSON null, which a java.util.Set element cannot be", null);
    }
    String canonical;
    try {
      canonical = codec.encode(value);
    } catch (CodecException e) {
      throw new FastSetDecodeException(key, member, "FastSet '" + key + "': member " + quote(member)
          + " of " + valueKey + " decodes to a value that cannot be written back: "
          + e.getMessage(), e);
    }
    if (!canonical.equals(member)) {
      throw new FastSetDecodeException(key, member, "FastSet '" + key + "': member " + quote(member)
          + " of " + valueKey + " is not the canonical JSON of its value as "
          + codec.type().getTypeName() + " (Python's json.dumps(v, sort_keys=True) gives "
          + quote(canonical) + "); it was written by another writer or for another element type",
          null);
    }
    return value;
  }

  private static String quote(String s) {
    return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…' (" + s.length()
        + " chars)";
  }

  private void markBroken(FastSetDecodeException e) {
    if (broken == null) {
      log.error("FastSet '{}': cannot use member {}: {}", key, quote(String.valueOf(e.rawText())),
          e.getMessage());
    }
    broken = e;
    updateAttention();
  }

  private void markCheckDue() {
    checkDue = true;
    attention = true;
  }

  private void updateAttention() {
    attention = alwaysCheck || checkDue || broken != null;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("FastSet '" + key + "' is closed");
    }
  }

  // ---------------------------------------------------------------- push invalidation

  private final class Listener implements RedisSubscriber.Listener {
    @Override
    public void onMessage(String ch, String message) {
      messages.incrementAndGet();
      if (closed) {
        return;
      }
      lock.lock();
      try {
        Entry e = Entry.parse(message);
        if (!e.epoch().equals(epoch)) {
          // another incarnation of the set: a late message from before a reset, or the first news
          // of one; the version check tells which
          catchUp();
          return;
        }
        if (e.version() <= version && broken == null) {
          return;
        }
        if (e.version() == version + 1 && !e.reload() && broken == null) {
          applyLive(e, Map.of());
        } else {
          catchUp();
        }
      } catch (FastSetDecodeException e) {
        markBroken(e);
      } catch (RuntimeException e) {
        log.warn("FastSet '{}': could not follow change '{}' ({}); re-validating on the next read",
            key, message.length() > 100 ? message.substring(0, 100) + "…" : message, e.toString());
        markCheckDue();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onSubscribed() {
      if (closed) {
        return;
      }
      lock.lock();
      try {
        catchUp();
      } catch (FastSetDecodeException e) {
        markBroken(e);
      } catch (RuntimeException e) {
        log.warn("FastSet '{}': re-validation after (re)subscribing failed ({}); re-validating on "
            + "the next read", key, e.toString());
        markCheckDue();
      } finally {
        lock.unlock();
        firstSubscription.countDown();
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle and counters

  /** Whether the instance was closed. */
  public boolean isClosed() {
    return closed;
  }

  /** The key prefix. */
  public String key() {
    return key;
  }

  /** The options. */
  public FastSetOptions options() {
    return options;
  }

  /** Counters. */
  public FastSetStats stats() {
    RedisSubscriber s = subscriber;
    return new FastSetStats(key, version, values.size(), writes.get(), conflicts.get(),
        deltasApplied.get(), fullReloads.get(), versionChecks.get(), messages.get(),
        failedChecks.get(), s != null && s.isSubscribed());
  }

  /** Stops the subscription and the timer; waits for their threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RedisSubscriber s = subscriber;
    if (s != null) {
      s.close();
    }
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
      try {
        if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("FastSet '{}': refresh timer did not stop within 5 s", key);
        }
        for (Thread th : timerThreads) {
          th.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("FastSet '{}' closed at version {}", key, version);
  }
}
