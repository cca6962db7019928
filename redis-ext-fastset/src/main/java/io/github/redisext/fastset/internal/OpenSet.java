package io.github.redisext.fastset.internal;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Registry;
import io.github.redisext.fastset.FastSetDecodeException;
import io.github.redisext.fastset.FastSetOptions;
import io.github.redisext.fastset.FastSetStats;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * One open FastSet behind the public {@code FastSet}: wires its parts along the data flow —
 * {@link Writer} → {@link RemoteSet} (scripts) → {@link Follower} (the one apply-or-reload
 * decision, fed also by {@link Invalidation}'s timer and subscription) → {@link LocalCache},
 * filled whole by the {@link Loader} — and owns the lifecycle: every operation but {@link
 * #close()} and the accessors of name, options and counters throws {@link IllegalStateException}
 * once closed. Thread-safe.
 *
 * @param <T> the element type
 */
public final class OpenSet<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenSet.class);

  private final String name;
  private final FastSetOptions options;
  private final SetCounters counters;
  private final Members<T> members;
  private final LocalCache<T> cache;
  private final Follower<T> follower;
  private final Writer<T> writer;
  private final Metrics metrics;
  private final Instrumented levels;
  private volatile Invalidation invalidation;

  private OpenSet(UnifiedJedis client, KeySpace keySpace, JsonCodec<T> codec,
      FastSetOptions options) {
    this.name = keySpace.name();
    this.options = options;
    this.metrics = Metrics.of(client, options.metrics(), MetricSource.of("fastset", name));
    Registry.announce(client, "fastset", name,
        Map.of("members", keySpace.key("value"), "version", keySpace.key("version")));
    this.counters = new SetCounters(metrics);
    RemoteSet remote = new RemoteSet(client, keySpace, options);
    this.members = new Members<>(codec, name, remote.valueKey());
    this.cache = new LocalCache<>(members);
    this.follower = new Follower<>(name, cache, remote, new Loader<>(remote, members, counters,
        name), counters, options.refreshInterval().isZero());
    this.writer = new Writer<>(remote, cache, follower, counters);
    Map<Metric, LongSupplier> readers = new LinkedHashMap<>();
    readers.put(Metric.SIZE, cache::size); // the local copy: no round trip
    this.levels = Instrumented.of(metrics.source(), readers);
  }

  /**
   * Loads the set, starts the refresh timer and the subscription.
   *
   * @param name the set's name; keys as {@link KeySpace#forName(String, UnifiedJedis)} says
   * @throws io.github.redisext.core.KeyNameException if the name is blank or has stray braces
   * @throws FastSetDecodeException if a member in Redis cannot be decoded
   */
  public static <T> OpenSet<T> open(UnifiedJedis client, String name, JsonCodec<T> codec,
      FastSetOptions options) {
    Objects.requireNonNull(client, "client must not be null");
    Objects.requireNonNull(codec, "codec must not be null");
    Objects.requireNonNull(options, "options must not be null");
    KeySpace keys = KeySpace.forName(name, client);
    OpenSet<T> s = new OpenSet<>(client, keys, codec, options);
    try {
      s.follower.load();
      s.invalidation = Invalidation.start(client, s.name, keys.key("changed"), options,
          s.follower);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    s.metrics.attach(s.levels);
    log.info("FastSet '{}' opened: {} members at version {} ({})", s.name, s.cache.size(),
        s.cache.version(), options);
    return s;
  }

  // ---------------------------------------------------------------- reads (local)

  /** Whether the cache holds {@code o} (no round trip unless a check is due). */
  public boolean contains(Object o) {
    beforeRead();
    return cache.contains(o);
  }

  /** The cache's size. */
  public int size() {
    beforeRead();
    return cache.size();
  }

  /** The cache at one version. */
  public LocalCache.Snapshot snapshot() {
    beforeRead();
    return cache.snapshot();
  }

  /** The cache's version. */
  public long version() {
    ensureOpen();
    return cache.version();
  }

  /** Reads check "closed" on the follower's one attention flag, not a second volatile read. */
  private void beforeRead() {
    follower.beforeRead();
  }

  // ---------------------------------------------------------------- writes

  /** The member text of an element. */
  public String encode(T element) {
    return members.encode(element);
  }

  /** The member text of an object that may not be an element, or null when it cannot be one. */
  public String encodeIfElement(Object o) {
    return members.encodeIfElement(o);
  }

  /**
   * Adds and removes members in one script; see {@link Writer#change}.
   *
   * @return members added plus removed, or -1 if {@code expected} no longer matched
   */
  public long change(Collection<String> adds, Collection<String> removes,
      LocalCache.Snapshot expected, Map<String, T> known) {
    ensureOpen();
    return writer.change(adds, removes, expected, known);
  }

  /** Removes every member; returns how many there were. */
  public long clear() {
    ensureOpen();
    return writer.clear();
  }

  /** Re-validates now (one round trip; more if the set changed). */
  public void refresh() {
    ensureOpen();
    follower.refresh();
  }

  // ---------------------------------------------------------------- lifecycle and counters

  /**
   * Throws unless open.
   *
   * @throws IllegalStateException naming the set once it is closed
   */
  public void ensureOpen() {
    follower.ensureOpen();
  }

  /** Whether the set was closed. */
  public boolean isClosed() {
    return follower.stopped();
  }

  /** The name the set was opened with. */
  public String name() {
    return name;
  }

  /** The options. */
  public FastSetOptions options() {
    return options;
  }

  /** Counters. */
  public FastSetStats stats() {
    Invalidation inv = invalidation;
    return new FastSetStats(name, cache.version(), cache.size(), counters.writes.sum(),
        counters.conflicts.sum(), counters.deltasApplied.sum(), counters.fullReloads.sum(),
        counters.versionChecks.sum(), counters.messages.sum(), counters.failedChecks.sum(),
        inv != null && inv.subscribed());
  }

  /** Stops the subscription and the timer; waits for their threads. Idempotent. */
  @Override
  public synchronized void close() {
    if (follower.stopped()) {
      return;
    }
    follower.stop();
    metrics.detach(levels);
    Invalidation inv = invalidation;
    if (inv != null) {
      inv.close();
    }
    log.info("FastSet '{}' closed at version {}", name, cache.version());
  }
}
