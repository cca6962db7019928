package io.github.redisext.timers;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable options of {@link Timers}: key layout, loop timing, concurrency, leases and retries.
 *
 * <pre>{@code
 * TimersOptions python = TimersOptions.defaults();                  // timers_timeline, timers_payloads
 * TimersOptions env = TimersOptions.fromEnvironment();              // TIMERS_* variables applied
 * TimersOptions cluster = TimersOptions.builder().sharded("timers", 6).concurrencyLimit(32).build();
 * }</pre>
 *
 * <p>Two key layouts (see the module README):
 *
 * <ul>
 *   <li><b>Python-compatible</b> (default): the global keys of redis-timers ({@link
 *       #DEFAULT_TIMELINE_KEY}, {@link #DEFAULT_PAYLOADS_KEY}, lock keys {@code
 *       consume-lock--topic--id}). Shared with Python producers and consumers; standalone Redis
 *       (or Sentinel) only, because the lock keys cannot share a cluster slot with the timeline.
 *   <li><b>Sharded</b> ({@link Builder#sharded(String, int)}): shard {@code i} keeps its timeline,
 *       payloads and lock keys under the hash tag {@code {name:i}}, so every script touches one
 *       slot and the shards spread over the masters of a Redis Cluster.
 * </ul>
 */
public final class TimersOptions {
  /** Default timeline key (a ZSET), as in redis-timers: {@value}. */
  public static final String DEFAULT_TIMELINE_KEY = "timers_timeline";
  /** Default payloads key (a HASH), as in redis-timers: {@value}. */
  public static final String DEFAULT_PAYLOADS_KEY = "timers_payloads";
  /** Default separator between topic and timer id: {@value}. */
  public static final String DEFAULT_SEPARATOR = "--";
  /** Default prefix of lock keys (lock key = prefix + separator + timer key): {@value}. */
  public static final String LOCK_PREFIX = "consume-lock";
  /**
   * Default longest sleep of the loop without a wake-up: 1 s. The loop sleeps until the next due
   * time or a wake-up message; this is only the fallback for producers that publish no wake-ups
   * (Python's redis-timers).
   */
  public static final Duration DEFAULT_IDLE_WAIT = Duration.ofSeconds(1);
  /** Default lower jitter factor applied to the idle wait: {@value} (as redis-timers). */
  public static final double DEFAULT_JITTER_MIN = 0.5;
  /** Default upper jitter factor applied to the idle wait: {@value} (as redis-timers). */
  public static final double DEFAULT_JITTER_MAX = 2.0;
  /** Default number of handlers running at once per {@link Timers}: {@value} (as redis-timers). */
  public static final int DEFAULT_CONCURRENCY_LIMIT = 5;
  /** Default lease of a claimed timer (redis-timers' lock timeout): 30 s, renewed every third. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Default number of handler attempts before a timer is moved aside: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default delay before the first retry: 1 s, doubling per attempt. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
  /** Default longest delay between retries: 5 min. */
  public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMinutes(5);
  /** Default time {@link Timers#close()} waits for running handlers: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Default policy for due timers whose topic has no handler here: {@link
   * UnknownTopicPolicy#DEAD_LETTER} (see {@link UnknownTopicPolicy} for why).
   */
  public static final UnknownTopicPolicy DEFAULT_UNKNOWN_TOPICS = UnknownTopicPolicy.DEAD_LETTER;

  /** Longest {@link Builder#idleWait(Duration)}: 1 hour. */
  public static final Duration MAX_IDLE_WAIT = Duration.ofHours(1);
  /** Largest jitter factor of {@link Builder#jitter(double, double)}: {@value}. */
  public static final double MAX_JITTER = 100.0;
  /** Largest {@link Builder#concurrencyLimit(int)} (one handler thread each): {@value}. */
  public static final int MAX_CONCURRENCY_LIMIT = 10_000;
  /** Shortest {@link Builder#lease(Duration)}: 100 ms. */
  public static final Duration MIN_LEASE = Duration.ofMillis(100);
  /** Longest {@link Builder#lease(Duration)}: 1 day (it is renewed every third while handling). */
  public static final Duration MAX_LEASE = Duration.ofDays(1);
  /**
   * Longest retry delay of {@link Builder#retryBackoff(Duration, Duration)}: {@link
   * TimerRequest#MAX_DELAY} (a retry is a timer set again).
   */
  public static final Duration MAX_RETRY_BACKOFF = TimerRequest.MAX_DELAY;
  /** Longest {@link Builder#shutdownTimeout(Duration)}: 1 day. */
  public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofDays(1);
  /** Largest {@link Builder#maxAttempts(int)}: {@value}. */
  public static final int MAX_ATTEMPTS_LIMIT = 1_000_000;
  /** Largest number of shards of {@link Builder#sharded(String, int)}: {@value}. */
  public static final int MAX_SHARDS = 1024;

  /** Environment variable for {@link Builder#timelineKey(String)}. */
  public static final String ENV_TIMELINE_KEY = "TIMERS_TIMELINE_KEY";
  /** Environment variable for {@link Builder#payloadsKey(String)}. */
  public static final String ENV_PAYLOADS_KEY = "TIMERS_PAYLOADS_KEY";
  /** Environment variable for {@link Builder#separator(String)}. */
  public static final String ENV_SEPARATOR = "TIMERS_SEPARATOR";
  /** Environment variable for {@link Builder#idleWait(Duration)}, in (fractional) seconds. */
  public static final String ENV_HANDLING_SLEEP = "TIMERS_HANDLING_SLEEP";
  /** Environment variable for the lower jitter factor. */
  public static final String ENV_JITTER_MIN = "TIMERS_HANDLING_JITTER_MIN_VALUE";
  /** Environment variable for the upper jitter factor. */
  public static final String ENV_JITTER_MAX = "TIMERS_HANDLING_JITTER_MAX_VALUE";
  /** Environment variable for {@link Builder#concurrencyLimit(int)}. */
  public static final String ENV_CONCURRENCY_LIMIT = "TIMERS_CONCURRENT_PROCESSING_LIMIT";

  private static final TimersOptions DEFAULTS = new Builder().build();

  private final String timelineKey;
  private final String payloadsKey;
  private final String separator;
  private final String shardName;
  private final int shards;
  private final Duration idleWait;
  private final double jitterMin;
  private final double jitterMax;
  private final int concurrencyLimit;
  private final Duration lease;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final Duration maxRetryBackoff;
  private final boolean wholeSecondScores;
  private final boolean wakeUps;
  private final Duration shutdownTimeout;
  private final UnknownTopicPolicy unknownTopics;

  private TimersOptions(Builder b) {
    this.timelineKey = b.timelineKey;
    this.payloadsKey = b.payloadsKey;
    this.separator = b.separator;
    this.shardName = b.shardName;
    this.shards = b.shards;
    this.idleWait = b.idleWait;
    this.jitterMin = b.jitterMin;
    this.jitterMax = b.jitterMax;
    this.concurrencyLimit = b.concurrencyLimit;
    this.lease = b.lease;
    this.maxAttempts = b.maxAttempts;
    this.retryBackoff = b.retryBackoff;
    this.maxRetryBackoff = b.maxRetryBackoff;
    this.wholeSecondScores = b.wholeSecondScores;
    this.wakeUps = b.wakeUps;
    this.shutdownTimeout = b.shutdownTimeout;
    this.unknownTopics = b.unknownTopics;
  }

  /** The defaults (Python-compatible layout), ignoring the environment. */
  public static TimersOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The defaults with redis-timers' environment variables applied ({@code TIMERS_TIMELINE_KEY},
   * {@code TIMERS_PAYLOADS_KEY}, {@code TIMERS_SEPARATOR}, {@code TIMERS_HANDLING_SLEEP}, {@code
   * TIMERS_HANDLING_JITTER_MIN_VALUE}, {@code TIMERS_HANDLING_JITTER_MAX_VALUE}, {@code
   * TIMERS_CONCURRENT_PROCESSING_LIMIT}).
   *
   * @throws IllegalArgumentException naming the variable when a value cannot be used
   */
  public static TimersOptions fromEnvironment() {
    return builder().environment(System.getenv()).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Timeline ZSET key of the Python-compatible layout. */
  public String timelineKey() {
    return timelineKey;
  }

  /** Payloads HASH key of the Python-compatible layout. */
  public String payloadsKey() {
    return payloadsKey;
  }

  /** Separator between topic and timer id in a timer key. */
  public String separator() {
    return separator;
  }

  /** Whether the sharded (cluster-safe) layout is used. */
  public boolean isSharded() {
    return shardName != null;
  }

  /** Name of the sharded layout, or null for the Python-compatible one. */
  public String shardName() {
    return shardName;
  }

  /** Number of shards (1 for the Python-compatible layout). */
  public int shards() {
    return shards;
  }

  /** Longest sleep without a wake-up (before jitter). */
  public Duration idleWait() {
    return idleWait;
  }

  /** Lower jitter factor of the idle wait. */
  public double jitterMin() {
    return jitterMin;
  }

  /** Upper jitter factor of the idle wait. */
  public double jitterMax() {
    return jitterMax;
  }

  /** Most handlers running at once; 0 handles nothing (as redis-timers). */
  public int concurrencyLimit() {
    return concurrencyLimit;
  }

  /** Lease of a claimed timer, renewed every third of it while its handler runs. */
  public Duration lease() {
    return lease;
  }

  /** Handler attempts before a timer is moved aside. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Delay before the first retry (doubling per attempt). */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** Longest delay between retries. */
  public Duration maxRetryBackoff() {
    return maxRetryBackoff;
  }

  /** Whether due times are stored as whole seconds, exactly as redis-timers does. */
  public boolean wholeSecondScores() {
    return wholeSecondScores;
  }

  /** Whether setTimer publishes wake-ups and the loop listens for them. */
  public boolean wakeUps() {
    return wakeUps;
  }

  /** How long close() waits for running handlers. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** What the consumer does with due timers of topics without a handler here. */
  public UnknownTopicPolicy unknownTopics() {
    return unknownTopics;
  }

  @Override
  public String toString() {
    return "TimersOptions{" + (isSharded() ? "sharded=" + shardName + "x" + shards
        : "timelineKey=" + timelineKey + ", payloadsKey=" + payloadsKey)
        + ", separator=" + separator + ", idleWait=" + idleWait + ", jitter=" + jitterMin + ".."
        + jitterMax + ", concurrencyLimit=" + concurrencyLimit + ", lease=" + lease
        + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryBackoff + ".."
        + maxRetryBackoff + ", wholeSecondScores=" + wholeSecondScores + ", wakeUps=" + wakeUps
        + ", shutdownTimeout=" + shutdownTimeout + ", unknownTopics=" + unknownTopics + "}";
  }

  /** Builder of {@link TimersOptions}; every setter validates its value at once. */
  public static final class Builder {
    private String timelineKey = DEFAULT_TIMELINE_KEY;
    private String payloadsKey = DEFAULT_PAYLOADS_KEY;
    private String separator = DEFAULT_SEPARATOR;
    private String shardName;
    private int shards = 1;
    private Duration idleWait = DEFAULT_IDLE_WAIT;
    private double jitterMin = DEFAULT_JITTER_MIN;
    private double jitterMax = DEFAULT_JITTER_MAX;
    private int concurrencyLimit = DEFAULT_CONCURRENCY_LIMIT;
    private Duration lease = DEFAULT_LEASE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
    private boolean wholeSecondScores;
    private boolean wakeUps = true;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private UnknownTopicPolicy unknownTopics = DEFAULT_UNKNOWN_TOPICS;

    private Builder() {}

    private Builder(TimersOptions o) {
      timelineKey = o.timelineKey;
      payloadsKey = o.payloadsKey;
      separator = o.separator;
      shardName = o.shardName;
      shards = o.shards;
      idleWait = o.idleWait;
      jitterMin = o.jitterMin;
      jitterMax = o.jitterMax;
      concurrencyLimit = o.concurrencyLimit;
      lease = o.lease;
      maxAttempts = o.maxAttempts;
      retryBackoff = o.retryBackoff;
      maxRetryBackoff = o.maxRetryBackoff;
      wholeSecondScores = o.wholeSecondScores;
      wakeUps = o.wakeUps;
      shutdownTimeout = o.shutdownTimeout;
      unknownTopics = o.unknownTopics;
    }

    /**
     * Applies redis-timers' environment variables found in {@code env} (see {@link
     * TimersOptions#fromEnvironment()}); absent variables leave the current values.
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be used
     */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      String v;
      if ((v = env.get(ENV_TIMELINE_KEY)) != null) {
        timelineKey(v);
      }
      if ((v = env.get(ENV_PAYLOADS_KEY)) != null) {
        payloadsKey(v);
      }
      if ((v = env.get(ENV_SEPARATOR)) != null) {
        separator(v);
      }
      if ((v = env.get(ENV_HANDLING_SLEEP)) != null) {
        double s = parseDouble(ENV_HANDLING_SLEEP, v);
        if (!(s > 0) || s > MAX_IDLE_WAIT.getSeconds()) {
          throw new IllegalArgumentException(ENV_HANDLING_SLEEP + " must be between 0 (exclusive) "
              + "and " + MAX_IDLE_WAIT.getSeconds() + " seconds, got '" + v + "'");
        }
        idleWait(Duration.ofNanos(Math.max(1, Math.round(s * 1e9))));
      }
      double min = jitterMin;
      double max = jitterMax;
      if ((v = env.get(ENV_JITTER_MIN)) != null) {
        min = parseDouble(ENV_JITTER_MIN, v);
      }
      if ((v = env.get(ENV_JITTER_MAX)) != null) {
        max = parseDouble(ENV_JITTER_MAX, v);
      }
      try {
        jitter(min, max);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV_JITTER_MIN + "/" + ENV_JITTER_MAX + ": "
            + e.getMessage(), e);
      }
      if ((v = env.get(ENV_CONCURRENCY_LIMIT)) != null) {
        int limit;
        try {
          limit = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(ENV_CONCURRENCY_LIMIT + " must be an integer between "
              + "0 and " + MAX_CONCURRENCY_LIMIT + ", got '" + v + "'", e);
        }
        try {
          concurrencyLimit(limit);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(ENV_CONCURRENCY_LIMIT + ": " + e.getMessage(), e);
        }
      }
      return this;
    }

    private static double parseDouble(String name, String v) {
      try {
        return Double.parseDouble(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number, got '" + v + "'", e);
      }
    }

    /**
     * Timeline ZSET key of the Python-compatible layout (default {@value #DEFAULT_TIMELINE_KEY}).
     *
     * @throws KeyNameException if blank
     */
    public Builder timelineKey(String key) {
      this.timelineKey = requireKey(key, "timelineKey");
      return this;
    }

    /**
     * Payloads HASH key of the Python-compatible layout (default {@value #DEFAULT_PAYLOADS_KEY}).
     *
     * @throws KeyNameException if blank
     */
    public Builder payloadsKey(String key) {
      this.payloadsKey = requireKey(key, "payloadsKey");
      return this;
    }

    private static String requireKey(String key, String what) {
      if (key == null || key.isBlank()) {
        throw new KeyNameException(what + " must not be blank (got " + (key == null ? "null"
            : "'" + key + "'") + ")");
      }
      return key;
    }

    /**
     * Separator between topic and timer id (default {@value #DEFAULT_SEPARATOR}). Topics must not
     * contain it; timer ids may.
     *
     * @throws IllegalArgumentException if empty
     */
    public Builder separator(String separator) {
      Args.notNull(separator, "separator");
      if (separator.isEmpty()) {
        throw new IllegalArgumentException("separator must not be empty");
      }
      this.separator = separator;
      return this;
    }

    /**
     * Uses the sharded, cluster-safe layout: timers are spread by a hash of their timer key over
     * {@code shards} shards, shard {@code i} keeping all its keys under the hash tag {@code
     * {name:i}}. The number of shards must not change while timers are pending.
     *
     * @throws KeyNameException if the name is blank or contains '{' or '}'
     * @throws IllegalArgumentException if shards is not in 1..{@value #MAX_SHARDS}
     */
    public Builder sharded(String name, int shards) {
      requireKey(name, "sharded name");
      if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
        throw new KeyNameException("sharded name '" + name + "' must not contain '{' or '}': "
            + "shard keys are laid out as '{" + name.replaceAll("[{}]", "") + ":<i>}:...'");
      }
      Args.inRange(shards, 1, MAX_SHARDS, "shards");
      this.shardName = name;
      this.shards = shards;
      return this;
    }

    /** Back to the Python-compatible layout (the default). */
    public Builder pythonLayout() {
      this.shardName = null;
      this.shards = 1;
      return this;
    }

    /**
     * Longest sleep of the loop without a wake-up (default 1 s), multiplied by a random jitter
     * factor. Only matters for timers set by producers that publish no wake-ups (Python).
     *
     * @throws IllegalArgumentException unless positive and at most {@link #MAX_IDLE_WAIT}
     */
    public Builder idleWait(Duration idleWait) {
      this.idleWait = Args.inRange(idleWait, Duration.ofNanos(1), MAX_IDLE_WAIT, "idleWait");
      return this;
    }

    /**
     * Jitter factors applied to the idle wait (default 0.5..2.0).
     *
     * @throws IllegalArgumentException unless 0 &lt; min &lt;= max &lt;= {@value #MAX_JITTER}
     */
    public Builder jitter(double min, double max) {
      if (!(min > 0) || !(max >= min) || !(max <= MAX_JITTER)) {
        throw new IllegalArgumentException("jitter must satisfy 0 < min <= max <= " + MAX_JITTER
            + ", got min=" + min + " max=" + max);
      }
      this.jitterMin = min;
      this.jitterMax = max;
      return this;
    }

    /**
     * Most handlers running at once per {@link Timers} (default 5); 0 handles nothing.
     *
     * @throws IllegalArgumentException unless between 0 and {@value #MAX_CONCURRENCY_LIMIT}
     */
    public Builder concurrencyLimit(int limit) {
      this.concurrencyLimit = Args.inRange(limit, 0, MAX_CONCURRENCY_LIMIT, "concurrencyLimit");
      return this;
    }

    /**
     * Lease of a claimed timer (default 30 s): renewed every third while its handler runs; when a
     * consumer dies, its timers fire elsewhere once the lease ran out.
     *
     * @throws IllegalArgumentException unless between {@link #MIN_LEASE} (100 ms) and {@link
     *     #MAX_LEASE} (1 day)
     */
    public Builder lease(Duration lease) {
      this.lease = Args.inRange(lease, MIN_LEASE, MAX_LEASE, "lease");
      return this;
    }

    /**
     * Handler attempts before a timer is moved aside to the dead timers (default 5).
     *
     * @throws IllegalArgumentException unless between 1 and {@value #MAX_ATTEMPTS_LIMIT}
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = Args.inRange(attempts, 1, MAX_ATTEMPTS_LIMIT, "maxAttempts");
      return this;
    }

    /**
     * Retry delays: {@code initial * 2^(attempt-1)} capped at {@code max} (default 1 s .. 5 min).
     *
     * @throws IllegalArgumentException unless 0 &lt;= initial &lt;= max &lt;= {@link
     *     #MAX_RETRY_BACKOFF}
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      Args.inRange(initial, Duration.ZERO, MAX_RETRY_BACKOFF, "retryBackoff initial");
      Args.inRange(max, Duration.ZERO, MAX_RETRY_BACKOFF, "retryBackoff max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retryBackoff max must be >= initial, got " + initial
            + ".." + max);
      }
      this.retryBackoff = initial;
      this.maxRetryBackoff = max;
      return this;
    }

    /**
     * Stores due times as whole seconds, exactly as redis-timers does (default false: millisecond
     * precision). With whole seconds a timer fires up to 1 s early, like in Python.
     */
    public Builder wholeSecondScores(boolean whole) {
      this.wholeSecondScores = whole;
      return this;
    }

    /**
     * Whether setTimer publishes a wake-up when a timer becomes the earliest of its shard, and the
     * loop listens for it (default true). Without it the loop relies on the idle wait.
     */
    public Builder wakeUps(boolean wakeUps) {
      this.wakeUps = wakeUps;
      return this;
    }

    /**
     * How long {@link Timers#close()} waits for running handlers (default 30 s).
     *
     * @throws IllegalArgumentException unless between zero and {@link #MAX_SHUTDOWN_TIMEOUT}
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Args.inRange(timeout, Duration.ZERO, MAX_SHUTDOWN_TIMEOUT,
          "shutdownTimeout");
      return this;
    }

    /**
     * What to do with a due timer whose topic has no handler in this {@link Timers}' routers
     * (default {@link UnknownTopicPolicy#DEAD_LETTER}): move it to the dead timers at once, or
     * {@link UnknownTopicPolicy#LEAVE} it on the timeline for a consumer that serves its topic
     * (mixed Python/Java fleets sharing one timeline; see the module README).
     *
     * @throws NullPointerException if null
     */
    public Builder unknownTopics(UnknownTopicPolicy policy) {
      this.unknownTopics = Args.notNull(policy, "unknownTopics");
      return this;
    }

    /** The options. */
    public TimersOptions build() {
      return new TimersOptions(this);
    }
  }
}
