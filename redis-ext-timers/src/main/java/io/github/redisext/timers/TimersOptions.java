package io.github.redisext.timers;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.consumer.ConsumerBuilder;
import io.github.redisext.core.consumer.ConsumerOptions;
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
 * TimersOptions cluster = TimersOptions.builder().sharded("timers", 6).concurrency(32).build();
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
  /**
   * Default number of handlers running at once per {@link Timers}: {@value} (as redis-timers;
   * core's consumers default to {@link ConsumerOptions#DEFAULT_CONCURRENCY}).
   */
  public static final int DEFAULT_CONCURRENCY = 5;
  /**
   * Default number of due timers claimed beyond the running ones: {@value} (core's default). A
   * claim takes what is free plus this, up to 1,000, in one script call; raise it for fast handlers
   * (the benchmark's 100,000 timers/s use 1,000), keep it small where several consumers should
   * share a burst evenly.
   */
  public static final int DEFAULT_PREFETCH = ConsumerOptions.DEFAULT_PREFETCH;
  /** Default lease of a claimed timer (redis-timers' lock timeout): 30 s, renewed every third. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** Default number of handler attempts before a timer is moved aside: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default delay before the first retry: 1 s, doubling per attempt. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
  /** Default longest delay between retries: 5 min. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
  /** Default time {@link Timers#close()} waits for running handlers: 30 s. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  /**
   * Default policy for due timers whose topic has no handler here: {@link
   * UnknownTopicPolicy#DEAD_LETTER} (see {@link UnknownTopicPolicy} for why).
   */
  public static final UnknownTopicPolicy DEFAULT_UNKNOWN_TOPICS = UnknownTopicPolicy.DEAD_LETTER;

  /** Longest {@link Builder#idleWait(Duration)}: 1 hour. */
  public static final Duration MAX_IDLE_WAIT = Duration.ofHours(1);
  /** Shortest {@link Builder#idleWait(Duration)}: 1 ms. */
  public static final Duration MIN_IDLE_WAIT = Duration.ofMillis(1);
  /** Largest jitter factor of {@link Builder#jitter(double, double)}: {@value}. */
  public static final double MAX_JITTER = 100.0;
  /** Largest {@link Builder#concurrency(int)} (one handler thread each): {@value}. */
  public static final int MAX_CONCURRENCY = ConsumerOptions.MAX_CONCURRENCY;
  /** Shortest {@link Builder#lease(Duration)}: 100 ms. */
  public static final Duration MIN_LEASE = ConsumerOptions.MIN_LEASE;
  /** Longest {@link Builder#lease(Duration)}: 1 day (it is renewed every third while held). */
  public static final Duration MAX_LEASE = Duration.ofDays(1);
  /** Longest retry delay of {@link Builder#retryBackoff(Duration, Duration)}: 7 days. */
  public static final Duration MAX_RETRY_BACKOFF = ConsumerOptions.MAX_DURATION;
  /** Longest {@link Builder#shutdownGrace(Duration)}: 1 day. */
  public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofDays(1);
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
  /** Environment variable for {@link Builder#concurrency(int)}. */
  public static final String ENV_CONCURRENCY = "TIMERS_CONCURRENT_PROCESSING_LIMIT";

  private static final TimersOptions DEFAULTS = new Builder().build();

  private final String timelineKey;
  private final String payloadsKey;
  private final String separator;
  private final String shardName;
  private final int shards;
  private final double jitterMin;
  private final double jitterMax;
  private final boolean firesNothing;
  private final ConsumerOptions consumer;
  private final boolean wholeSecondScores;
  private final boolean wakeUps;
  private final UnknownTopicPolicy unknownTopics;

  private TimersOptions(Builder b) {
    this.timelineKey = b.timelineKey;
    this.payloadsKey = b.payloadsKey;
    this.separator = b.separator;
    this.shardName = b.shardName;
    this.shards = b.shards;
    this.jitterMin = b.jitterMin;
    this.jitterMax = b.jitterMax;
    this.firesNothing = b.firesNothing;
    this.consumer = b.consumerOptions();
    this.wholeSecondScores = b.wholeSecondScores;
    this.wakeUps = b.wakeUps;
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

  /** Lower jitter factor of the idle wait. */
  public double jitterMin() {
    return jitterMin;
  }

  /** Upper jitter factor of the idle wait. */
  public double jitterMax() {
    return jitterMax;
  }

  /**
   * The consumer options: {@code concurrency}, {@code prefetch}, {@code lease}, {@code
   * maxAttempts}, {@code retryBackoff}, {@code retryJitter}, {@code shutdownGrace}, {@code
   * idleWait} (before jitter) and {@code metrics}. Timers' defaults differ from core's in
   * concurrency ({@value #DEFAULT_CONCURRENCY}) and retry jitter (off: failure n waits exactly
   * {@code min(initial * 2^(n-1), max)}).
   */
  public ConsumerOptions consumer() {
    return consumer;
  }

  /**
   * Whether the concurrency was set to 0 (as redis-timers' {@code
   * TIMERS_CONCURRENT_PROCESSING_LIMIT=0}): then nothing is fired ({@code handleReadyTimers()}
   * returns 0, the loop claims nothing) and {@link #consumer()} reports a concurrency of 1, the
   * least core's options take.
   */
  public boolean firesNothing() {
    return firesNothing;
  }

  /** Whether due times are stored as whole seconds, exactly as redis-timers does. */
  public boolean wholeSecondScores() {
    return wholeSecondScores;
  }

  /** Whether setTimer publishes wake-ups and the loop listens for them. */
  public boolean wakeUps() {
    return wakeUps;
  }

  /** What the consumer does with due timers of topics without a handler here. */
  public UnknownTopicPolicy unknownTopics() {
    return unknownTopics;
  }

  @Override
  public String toString() {
    return "TimersOptions{" + (isSharded() ? "sharded=" + shardName + "x" + shards
        : "timelineKey=" + timelineKey + ", payloadsKey=" + payloadsKey)
        + ", separator=" + separator + ", jitter=" + jitterMin + ".." + jitterMax
        + (firesNothing ? ", concurrency=0 (fires nothing)" : "") + ", consumer=" + consumer
        + ", wholeSecondScores=" + wholeSecondScores + ", wakeUps=" + wakeUps
        + ", unknownTopics=" + unknownTopics + "}";
  }

  /**
   * Builder of {@link TimersOptions}; every setter validates its value at once. The consumer
   * setters are core's ({@link ConsumerBuilder}) with the timers' defaults: retry delays exact
   * (not jittered, as redis-timers documents them), and the {@code metrics} listener hears {@code
   * PUBLISHED}, {@code FIRED} tagged with the topic, and the kernel's consumer metrics. Timers
   * narrow some ranges (the {@code MIN_*} / {@code MAX_*} constants).
   */
  public static final class Builder extends ConsumerBuilder<Builder> {
    private String timelineKey = DEFAULT_TIMELINE_KEY;
    private String payloadsKey = DEFAULT_PAYLOADS_KEY;
    private String separator = DEFAULT_SEPARATOR;
    private String shardName;
    private int shards = 1;
    private double jitterMin = DEFAULT_JITTER_MIN;
    private double jitterMax = DEFAULT_JITTER_MAX;
    private boolean firesNothing;
    private boolean wholeSecondScores;
    private boolean wakeUps = true;
    private UnknownTopicPolicy unknownTopics = DEFAULT_UNKNOWN_TOPICS;

    private Builder() {
      super(ConsumerOptions.builder().concurrency(DEFAULT_CONCURRENCY).prefetch(DEFAULT_PREFETCH)
          .lease(DEFAULT_LEASE).maxAttempts(DEFAULT_MAX_ATTEMPTS)
          .retryBackoff(DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX).retryJitter(false)
          .shutdownGrace(DEFAULT_SHUTDOWN_GRACE).idleWait(DEFAULT_IDLE_WAIT).build());
    }

    private Builder(TimersOptions o) {
      super(o.consumer);
      timelineKey = o.timelineKey;
      payloadsKey = o.payloadsKey;
      separator = o.separator;
      shardName = o.shardName;
      shards = o.shards;
      jitterMin = o.jitterMin;
      jitterMax = o.jitterMax;
      firesNothing = o.firesNothing;
      wholeSecondScores = o.wholeSecondScores;
      wakeUps = o.wakeUps;
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
        idleWait(Duration.ofMillis(Math.max(1, Math.round(s * 1e3))));
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
      if ((v = env.get(ENV_CONCURRENCY)) != null) {
        int limit;
        try {
          limit = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(ENV_CONCURRENCY + " must be an integer between "
              + "0 and " + MAX_CONCURRENCY + ", got '" + v + "'", e);
        }
        try {
          concurrency(limit);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(ENV_CONCURRENCY + ": " + e.getMessage(), e);
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
     * {name:i}}. The number of shards must not change while timers are pending. {@code "{x}"}
     * names the same shards as {@code "x"} (core's naming rule: both spellings work).
     *
     * @throws KeyNameException if the name is blank or has '{' or '}' other than around it
     * @throws IllegalArgumentException if shards is not in 1..{@value #MAX_SHARDS}
     */
    public Builder sharded(String name, int shards) {
      requireKey(name, "sharded name");
      if (name.length() > 2 && name.startsWith("{") && name.endsWith("}")
          && name.indexOf('{', 1) < 0 && name.indexOf('}') == name.length() - 1) {
        name = name.substring(1, name.length() - 1); // core's rule: "{x}" names what "x" names
      }
      if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
        throw new KeyNameException("sharded name '" + name + "' must not contain '{' or '}' "
            + "other than around the whole name: shard keys are laid out as '{"
            + name.replaceAll("[{}]", "") + ":<i>}:...' (each shard is its own hash tag)");
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
     * The consumer options at once (see {@link TimersOptions#consumer()}); the shortcut setters
     * below change single values of them. A concurrency set to 0 before is reset to the options'.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if its lease is longer than {@link #MAX_LEASE}, its idle
     *     wait longer than {@link #MAX_IDLE_WAIT} or its shutdown grace longer than {@link
     *     #MAX_SHUTDOWN_GRACE}
     */
    @Override
    public Builder consumer(ConsumerOptions options) {
      Args.notNull(options, "consumer");
      Args.inRange(options.lease(), MIN_LEASE, MAX_LEASE, "lease");
      Args.inRange(options.idleWait(), MIN_IDLE_WAIT, MAX_IDLE_WAIT, "idleWait");
      Args.inRange(options.shutdownGrace(), Duration.ZERO, MAX_SHUTDOWN_GRACE, "shutdownGrace");
      super.consumer(options);
      this.firesNothing = false;
      return this;
    }

    /**
     * Longest sleep of the loop without a wake-up (default 1 s), multiplied by a random jitter
     * factor. Only matters for timers set by producers that publish no wake-ups (Python).
     *
     * @throws IllegalArgumentException unless between {@link #MIN_IDLE_WAIT} (1 ms) and {@link
     *     #MAX_IDLE_WAIT} (1 hour)
     */
    @Override
    public Builder idleWait(Duration idleWait) {
      return super.idleWait(Args.inRange(idleWait, MIN_IDLE_WAIT, MAX_IDLE_WAIT, "idleWait"));
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
     * Most handlers running at once per {@link Timers} (default {@value #DEFAULT_CONCURRENCY});
     * 0 fires nothing, as in redis-timers (see {@link TimersOptions#firesNothing()}).
     *
     * @throws IllegalArgumentException unless between 0 and {@value #MAX_CONCURRENCY}
     */
    @Override
    public Builder concurrency(int n) {
      Args.inRange(n, 0, MAX_CONCURRENCY, "concurrency");
      this.firesNothing = n == 0;
      return super.concurrency(Math.max(1, n));
    }

    /**
     * Lease of a claimed timer (default 30 s): renewed every third while it is held; when a
     * consumer dies, its timers fire elsewhere once the lease ran out.
     *
     * @throws IllegalArgumentException unless between {@link #MIN_LEASE} (100 ms) and {@link
     *     #MAX_LEASE} (1 day)
     */
    @Override
    public Builder lease(Duration lease) {
      return super.lease(Args.inRange(lease, MIN_LEASE, MAX_LEASE, "lease"));
    }

    /**
     * How long {@link Timers#close()} waits for running handlers (default 30 s).
     *
     * @throws IllegalArgumentException unless between zero and {@link #MAX_SHUTDOWN_GRACE}
     */
    @Override
    public Builder shutdownGrace(Duration grace) {
      return super.shutdownGrace(Args.inRange(grace, Duration.ZERO, MAX_SHUTDOWN_GRACE,
          "shutdownGrace"));
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
