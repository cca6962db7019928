package io.github.redisext.debounce.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.debounce.DebounceInfo;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceStats;
import io.github.redisext.debounce.DuplicatePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * One DebounceTask's state around its {@link Commands}: the codec (members in, tasks out, the
 * undecodable ones set aside), the counters and metrics, the wake-up subscription and the
 * waiting of {@code await}. Thread-safe.
 *
 * @param <T> the task type
 */
public final class Engine<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final UnifiedJedis client;
  private final Keys keys;
  private final Codec<T> codec;
  private final DebounceOptions options;
  private final Commands commands;
  private final Metrics metrics;
  private final Object wakeLock = new Object();
  private volatile WakeUps wakeUps;
  private volatile boolean closed;

  private final LongAdder added = new LongAdder();
  private final LongAdder popped = new LongAdder();
  private final LongAdder recovered = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder handled = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /** An engine for {@code keys}. */
  public Engine(UnifiedJedis client, Keys keys, Codec<T> codec, DebounceOptions options) {
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.options = options;
    this.commands = new Commands(client, keys,
        options.duplicatePolicy() == DuplicatePolicy.KEEP_FIRST, options.maxWait().orElse(null),
        options.wakeUps(), options.consumer().maxAttempts());
    this.metrics = Metrics.of(client, options.consumer().metrics(), metricSource());
    metrics.attach(levels);
  }

  /** The levels a metrics binding reads: one {@code info} call answers all four. */
  private final Instrumented levels = new Instrumented() {
    private final Set<Metric> read = Collections.unmodifiableSet(EnumSet.of(Metric.PENDING,
        Metric.WAITING, Metric.LEASED, Metric.DEAD_LETTERS));

    @Override
    public MetricSource metricSource() {
      return Engine.this.metricSource();
    }

    @Override
    public Set<Metric> levels() {
      return read;
    }

    @Override
    public Map<Metric, Long> readLevels() {
      DebounceInfo info = commands.info();
      Map<Metric, Long> m = new EnumMap<>(Metric.class);
      m.put(Metric.PENDING, info.remaining());
      m.put(Metric.WAITING, info.overdue());
      m.put(Metric.LEASED, info.processing());
      m.put(Metric.DEAD_LETTERS, info.deadLetters());
      return m;
    }
  };

  /** The keys. */
  public Keys keys() {
    return keys;
  }

  /** The options. */
  public DebounceOptions options() {
    return options;
  }

  /** The Redis operations. */
  public Commands commands() {
    return commands;
  }

  /** Where this instance reports metrics. */
  public Metrics metrics() {
    return metrics;
  }

  /** What metrics name this instance: {@code debounce}, its tasks key. */
  public MetricSource metricSource() {
    return MetricSource.of("debounce", keys.tasks());
  }

  /**
   * The member text of a task.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public String encode(T task, String what) {
    if (task == null) {
      throw new NullPointerException(what + " must not be null");
    }
    return codec.encode(task);
  }

  /** Adds members due after {@code delay}; returns how many were new (and counts them). */
  public long add(List<String> members, Duration delay) {
    long n = commands.add(members, delay);
    added.add(n);
    metrics.count(Metric.PUBLISHED, n);
    return n;
  }

  /** Pops (removes) up to {@code count} due members. */
  public PopReply pop(int count) {
    return counted(commands.pop(count));
  }

  /**
   * Claims up to {@code count} due members, leased to {@code token} for {@code lease}; each
   * comes with its failed deliveries so far.
   */
  public PopReply.Claimed claim(int count, String token, Duration lease) {
    PopReply.Claimed c = commands.claim(count, token, lease);
    counted(c.reply());
    return c;
  }

  private PopReply counted(PopReply r) {
    if (r.expiredDeadLettered() > 0) {
      countDeadLettered(r.expiredDeadLettered());
      metrics.count(Metric.DEAD_LETTERED, r.expiredDeadLettered());
      log.warn("debounce task '{}': {} task(s) whose consumer lease ran out had used all {} "
          + "attempts; moved to '{}'", keys.tasks(), r.expiredDeadLettered(),
          options.consumer().maxAttempts(), keys.dead());
    }
    if (r.recovered() > 0) {
      recovered.add(r.recovered());
      log.info("debounce task '{}': {} task(s) whose consumer lease ran out are due again",
          keys.tasks(), r.recovered());
    }
    popped.add(r.members().size());
    return r;
  }

  /**
   * Moves members to the dead letters; returns how many were stored (and counts them; the
   * consumer kernel reports its own dead letters to the metrics).
   */
  public long deadLetter(List<Commands.Dead> dead) {
    long n = commands.deadLetter(dead);
    countDeadLettered(n);
    return n;
  }

  /** Sets undecodable members aside (never seen by the kernel): counted and reported. */
  public long setAside(List<Commands.Dead> dead) {
    long n = deadLetter(dead);
    metrics.count(Metric.DEAD_LETTERED, n);
    return n;
  }

  private void countDeadLettered(long n) {
    deadLettered.add(n);
  }

  /**
   * Decodes a popped (unleased) member; one that cannot be decoded, or decodes to null, is moved
   * to the dead letters and null is returned.
   *
   * @throws RuntimeException when the dead letter cannot be written (Redis unreachable)
   */
  public T decodeOrDeadLetter(String member) {
    String error;
    try {
      T task = codec.decode(member);
      if (task != null) {
        return task;
      }
      // a codec that answers null: keep the text rather than hand out a null task
      error = "decoded to null";
    } catch (RuntimeException e) {
      error = undecodable(member, e);
    }
    setAside(List.of(new Commands.Dead("", member, false, error)));
    return null;
  }

  /** Logs a member that cannot be decoded; returns the error text to store with it. */
  String undecodable(String member, RuntimeException e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    log.error("debounce task '{}': member {} cannot be decoded, moved to '{}': {}", keys.tasks(),
        abbreviate(member), keys.dead(), error);
    return error;
  }

  /** Decodes a member (null when the codec answers null); throws when it cannot. */
  T decode(String member) {
    return codec.decode(member);
  }

  /**
   * Decodes popped (no longer stored) members in order, dead-lettering the ones that fail. If
   * even the dead letter cannot be written, the raw member is logged at ERROR in full, and the
   * other tasks are still returned.
   */
  public List<T> decodeAll(List<String> members) {
    List<T> out = new ArrayList<>(members.size());
    for (String m : members) {
      try {
        T t = decodeOrDeadLetter(m);
        if (t != null) {
          out.add(t);
        }
      } catch (RuntimeException e) {
        log.error("debounce task '{}': could not store undecodable member in '{}' ({}); its raw "
            + "text is: {}", keys.tasks(), keys.dead(), e.toString(), m);
      }
    }
    return out;
  }

  /** The counters. */
  public DebounceStats stats() {
    return new DebounceStats(added.sum(), popped.sum(), recovered.sum(), deadLettered.sum(),
        handled.sum(), failed.sum());
  }

  /** Counts a handled task. */
  public void countHandled() {
    handled.increment();
  }

  /** Counts a failed handler call. */
  public void countFailed() {
    failed.increment();
  }

  /**
   * The wake-up subscription, started on first use.
   *
   * @throws IllegalStateException if this instance is closed
   */
  public WakeUps wakeUps() {
    WakeUps w = wakeUps;
    if (w == null) {
      synchronized (wakeLock) {
        if (closed) {
          throw closedException();
        }
        w = wakeUps;
        if (w == null) {
          w = new WakeUps(client, keys.wakeChannel());
          wakeUps = w;
        }
      }
    }
    return w;
  }

  /**
   * Pops up to {@code count} due members, sleeping until something is due, a wake-up arrives,
   * or {@code deadlineNanos} (System.nanoTime; {@link Long#MAX_VALUE} for none) passes.
   *
   * @return the members, empty on timeout
   */
  public List<String> awaitMembers(int count, long deadlineNanos) throws InterruptedException {
    WakeUps w = wakeUps();
    long idle = options.consumer().idleWait().toNanos();
    while (true) {
      long gen = w.generation();
      PopReply r = pop(count);
      if (!r.members().isEmpty()) {
        return r.members();
      }
      long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE
          : deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      long sleep = Math.min(left, Math.min(r.nanosUntilNext(), w.subscribed() ? idle
          : Math.min(idle, 50_000_000L)));
      if (sleep > 0) {
        w.awaitChange(gen, sleep);
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…' (" + s.length()
        + " chars)";
  }

  /** Stops the wake-up subscription. */
  @Override
  public void close() {
    synchronized (wakeLock) {
      if (!closed) {
        metrics.detach(levels);
      }
      closed = true;
      if (wakeUps != null) {
        wakeUps.close();
        wakeUps = null;
      }
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Throws if {@link #close()} was called.
   *
   * @throws IllegalStateException naming the task if closed
   */
  public void ensureOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("debounce task '" + keys.tasks() + "' is closed");
  }
}
