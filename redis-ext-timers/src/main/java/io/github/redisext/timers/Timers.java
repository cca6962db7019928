package io.github.redisext.timers;

import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.timers.internal.Consumption;
import io.github.redisext.timers.internal.Counters;
import io.github.redisext.timers.internal.DeadRecord;
import io.github.redisext.timers.internal.Firing;
import io.github.redisext.timers.internal.KeyLayout;
import io.github.redisext.timers.internal.Route;
import io.github.redisext.timers.internal.ServerClock;
import io.github.redisext.timers.internal.SinglePass;
import io.github.redisext.timers.internal.TimerWriter;
import io.github.redisext.timers.internal.TimersRedis;
import io.github.redisext.timers.internal.TimersStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Typed timers that fire a handler once, after a delay, across a fleet of processes; a Java port
 * of Python's redis-timers that shares its keys and JSON.
 *
 * <pre>{@code
 * record Reminder(String userId, String text) {}
 *
 * Router<AppContext> router = new Router<AppContext>()
 *     .handler("send_reminder", Reminder.class, (reminder, ctx) -> ctx.mailer().send(reminder));
 *
 * try (Timers<AppContext> timers = Timers.builder(redis, appContext).include(router).build()) {
 *   timers.setTimer("send_reminder", "user-42", new Reminder("42", "stand up"),
 *       Duration.ofMinutes(5));
 *   timers.start();          // or timers.runForever() on a thread of your own
 *   ...
 * }
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Exactly once per firing</b> among all consumers (Java or Python) that use the same
 *       keys: a timer is claimed by one script that takes its lock ({@code SET NX PX}, owner
 *       token) and hides it from other consumers for the lease. The lease is renewed while the
 *       handler runs; removal and release check the token, so a consumer whose lease ran out (a
 *       long GC pause) never removes a timer another consumer owns. The limit: a handler that
 *       keeps running after its lease was lost (the renewal could not reach Redis for a whole
 *       lease) may overlap with a second firing; {@link TimersStats#leaseLost()} counts such
 *       cases.
 *   <li><b>Nothing lost</b>: a handler that throws is retried with exponential backoff; after
 *       {@code maxAttempts} attempts (see {@link TimersOptions#consumer()}) the timer is moved to the dead timers with
 *       its raw payload and the error ({@link #deadLetters(int)}, {@link #requeue(Collection)}). A
 *       payload that cannot be decoded, a missing payload or (with {@link
 *       UnknownTopicPolicy#DEAD_LETTER}, the default) a topic without a handler is moved there at
 *       once. A key holding another Redis type fails an operation with a {@code
 *       WrongTypeException} naming it, before anything was written. A consumer killed mid-handler leaves its claim to expire; another consumer
 *       then fires the timer.
 *   <li><b>Low latency</b>: the loop sleeps until the earliest due time or a wake-up published
 *       by {@link #setTimer}; due times and "now" are the Redis server's clock.
 *   <li>Setting a timer again replaces its payload and due time (also while it is being handled:
 *       the new version is kept and fires later).
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the loop, waits for running handlers and stops every
 * thread (all named {@code redis-ext-timers-N}).
 *
 * @param <C> the type of the user context passed to every handler
 */
public final class Timers<C> implements AutoCloseable {
  private final TimersOptions options;
  private final KeyLayout keys;
  private final String name;
  private final TimersRedis redis;
  private final TimerWriter writer;
  private final Counters counters;
  private final SinglePass singlePass;
  private final Consumption consumption;
  private final Metrics metrics;
  private final Instrumented levels;
  private volatile boolean closed;

  private Timers(UnifiedJedis client, C context, TimersOptions options, List<Router<C>> routers) {
    this.options = options;
    this.keys = KeyLayout.of(options).requireUsable(client);
    this.name = options.isSharded() ? options.shardName() : options.timelineKey();
    Map<String, Route<?, C>> routes = new LinkedHashMap<>();
    for (Router<C> r : routers) {
      for (Map.Entry<String, Route<?, C>> e : r.routes().entrySet()) {
        String topic = e.getKey();
        if (topic.contains(options.separator())) {
          throw new IllegalArgumentException("topic '" + topic + "' contains the separator '"
              + options.separator() + "'; a timer key is topic + separator + id, so the topic "
              + "must not contain it");
        }
        if (routes.putIfAbsent(topic, e.getValue()) != null) {
          throw new IllegalArgumentException("topic '" + topic + "' has handlers in two routers");
        }
      }
    }
    ConsumerOptions consumer = options.consumer();
    MetricSource source = MetricSource.of("timers", name);
    Registry.announce(client, "timers", name, options.isSharded()
        ? Map.of("shards", Integer.toString(options.shards()), "separator", options.separator())
        : Map.of("timeline", options.timelineKey(), "payloads", options.payloadsKey(),
            "separator", options.separator()));
    Metrics metrics = Metrics.of(client, consumer.metrics(), source);
    this.redis = new TimersRedis(client, keys, options.wholeSecondScores());
    this.writer = new TimerWriter(redis, routes, options.wakeUps(), metrics);
    this.counters = new Counters(metrics);
    ServerClock clock = new ServerClock();
    TimersStore store = new TimersStore(redis, options.unknownTopics() == UnknownTopicPolicy.LEAVE
        ? routes.keySet() : null, clock, counters, consumer.idleWait(), options.jitterMin(),
        options.jitterMax());
    Firing<C> firing = new Firing<>(routes, context, keys, clock, counters);
    this.singlePass = new SinglePass(store, firing, consumer,
        options.firesNothing() ? 0 : consumer.concurrency());
    // the kernel waits at most the longest jittered idle wait; the store says how long to wait
    Duration longest = Duration.ofMillis((long) Math.ceil(consumer.idleWait().toMillis()
        * Math.max(1.0, options.jitterMax())));
    ConsumerOptions kernelOptions = consumer.toBuilder().idleWait(
        longest.compareTo(ConsumerOptions.MAX_DURATION) > 0 ? ConsumerOptions.MAX_DURATION
            : longest).build();
    this.consumption = new Consumption(redis, store, firing, kernelOptions, metrics,
        options.wakeUps(), options.firesNothing());
    this.metrics = metrics;
    Map<Metric, LongSupplier> readers = new LinkedHashMap<>();
    readers.put(Metric.PENDING, redis::pendingCount);
    readers.put(Metric.DEAD_LETTERS, redis::deadCount);
    this.levels = Instrumented.of(source, readers);
    metrics.attach(levels);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("timers '" + name + "' is closed");
    }
  }

  /**
   * A builder for timers on {@code client} passing {@code context} to every handler.
   *
   * @param client a standalone, sentinel or cluster client (cluster: sharded layout only)
   * @param context any object, may be null
   * @throws NullPointerException if client is null
   */
  public static <C> Builder<C> builder(UnifiedJedis client, C context) {
    return new Builder<>(Args.notNull(client, "client"), context);
  }

  /**
   * Sets a timer: after {@code delay} (server clock) its topic's handler gets {@code payload}.
   * Setting an existing timer (same topic and id) replaces its payload and due time. One script
   * call; a wake-up is published when it becomes the earliest timer of its shard.
   *
   * @param topic a topic registered in an included router
   * @param timerId the id within the topic (may contain the separator)
   * @param payload an instance of the topic's payload type
   * @param delay zero up to {@link TimerRequest#MAX_DELAY} (1,000 years)
   * @throws UnknownTopicException if no router handles the topic
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the id is empty, the delay out of range or the payload of
   *     the wrong type
   * @throws io.github.redisext.core.WrongTypeException if a key of the timers holds another Redis
   *     type (nothing was written)
   */
  public void setTimer(String topic, String timerId, Object payload, Duration delay) {
    requireOpen();
    writer.set(List.of(writer.encode(new TimerRequest(topic, timerId, payload, delay))));
  }

  /**
   * Sets many timers: one script call per shard and 1,000 timers (pipelined). All are checked
   * before any is written. A timer appearing twice ends with its last version. There is no limit
   * on the number of timers (100,000 at once are tested).
   *
   * @throws UnknownTopicException if a topic has no handler (nothing is written)
   * @throws NullPointerException if the collection or an element is null
   * @throws IllegalArgumentException if a payload has the wrong type (nothing is written)
   * @throws io.github.redisext.core.WrongTypeException if a key of the timers holds another Redis
   *     type (the key types of every shard involved are checked first, so nothing is written)
   */
  public void setTimers(Collection<TimerRequest> timers) {
    requireOpen();
    Args.noNulls(timers, "timers");
    List<TimerWriter.Encoded> encoded = new ArrayList<>(timers.size());
    for (TimerRequest r : timers) {
      encoded.add(writer.encode(r));
    }
    writer.set(encoded);
  }

  /**
   * Removes a pending timer (payload and bookkeeping too).
   *
   * @return whether it was pending
   * @throws UnknownTopicException if no router handles the topic
   * @throws NullPointerException if an argument is null
   */
  public boolean removeTimer(String topic, String timerId) {
    requireOpen();
    return removeTimers(topic, List.of(Args.notNull(timerId, "timerId"))) == 1;
  }

  /**
   * Removes pending timers of one topic.
   *
   * @return how many were pending
   * @throws UnknownTopicException if no router handles the topic
   * @throws NullPointerException if an argument or id is null
   * @throws io.github.redisext.core.WrongTypeException if a key of the timers holds another Redis
   *     type (nothing was removed)
   */
  public long removeTimers(String topic, Collection<String> timerIds) {
    requireOpen();
    Args.notNull(topic, "topic");
    Args.noNulls(timerIds, "timerIds");
    writer.requireTopic(topic);
    List<String> members = new ArrayList<>(timerIds.size());
    for (String id : timerIds) {
      members.add(keys.timerKey(topic, id));
    }
    return writer.remove(members);
  }

  /**
   * Every pending timer (all shards), with its due time and raw payload. Reads the timeline in
   * pages of 1,000: not an atomic snapshot of a timeline that changes meanwhile.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   */
  public List<PendingTimer> pendingTimers() {
    requireOpen();
    return redis.pending();
  }

  /**
   * Number of pending timers (ZCARD of every shard).
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   */
  public long pendingCount() {
    requireOpen();
    return redis.pendingCount();
  }

  /**
   * Up to {@code max} dead timers (kept aside after failures), each with its raw payload, error,
   * attempts, time of failure, {@link DeadLetter#topic() topic} and {@link DeadLetter#id() id}
   * (the timer id). Reads every shard's dead HASH with HSCAN: not an atomic snapshot.
   *
   * @throws IllegalArgumentException unless {@code max} is between 0 and {@link
   *     Integer#MAX_VALUE}
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   * @throws IllegalStateException if closed
   */
  public List<DeadLetter> deadLetters(int max) {
    requireOpen();
    Args.inRange(max, 0, Integer.MAX_VALUE, "max");
    List<DeadLetter> out = new ArrayList<>();
    for (TimersRedis.DeadEntry e : redis.dead(max)) {
      out.add(DeadRecord.toDeadLetter(keys, e));
    }
    return out;
  }

  /**
   * Number of dead timers (HLEN of every shard's dead HASH).
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   * @throws IllegalStateException if closed
   */
  public long deadLetterCount() {
    requireOpen();
    return redis.deadCount();
  }

  /**
   * Puts dead timers back on the timeline, due at once, with their stored payload and fresh
   * attempts. Each is compared with the stored record first: one that changed or vanished since it
   * was listed (or has no payload to fire with) is skipped.
   *
   * @return how many were put back
   * @throws NullPointerException if the collection or an element is null
   * @throws IllegalArgumentException if a dead letter is not a timer's (no topic)
   * @throws io.github.redisext.core.WrongTypeException if a key of the timers holds another Redis
   *     type (nothing was changed for that timer)
   * @throws IllegalStateException if closed
   */
  public long requeue(Collection<DeadLetter> deadLetters) {
    return requeue(deadLetters, Duration.ZERO);
  }

  /**
   * {@link #requeue(Collection)}, due after {@code delay}.
   *
   * @param delay zero up to {@link TimerRequest#MAX_DELAY}
   * @throws IllegalArgumentException if the delay is out of range
   */
  public long requeue(Collection<DeadLetter> deadLetters, Duration delay) {
    requireOpen();
    Args.noNulls(deadLetters, "deadLetters");
    Args.inRange(delay, Duration.ZERO, TimerRequest.MAX_DELAY, "delay");
    long n = 0;
    for (DeadLetter d : deadLetters) {
      String member = memberOf(d);
      String payload = DeadRecord.parse(d.ref()).payload();
      if (payload != null && redis.revive(member, d.ref(), payload, delay.toMillis())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Puts every dead timer back (see {@link #requeue(Collection)}).
   *
   * @return how many were put back
   * @throws IllegalStateException if closed
   */
  public long requeueAllDeadLetters() {
    return requeue(deadLetters(Integer.MAX_VALUE));
  }

  /**
   * Deletes dead timers for good, each only if its stored record is still the one listed.
   *
   * @return how many were deleted
   * @throws NullPointerException if the collection or an element is null
   * @throws IllegalArgumentException if a dead letter is not a timer's (no topic)
   * @throws io.github.redisext.core.WrongTypeException if a dead-timers key holds another Redis
   *     type (nothing was deleted from that shard)
   * @throws IllegalStateException if closed
   */
  public long purge(Collection<DeadLetter> deadLetters) {
    requireOpen();
    Args.noNulls(deadLetters, "deadLetters");
    List<List<TimersRedis.DeadEntry>> byShard = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      byShard.add(new ArrayList<>());
    }
    for (DeadLetter d : deadLetters) {
      String member = memberOf(d);
      byShard.get(keys.shardOf(member)).add(new TimersRedis.DeadEntry(member, d.ref()));
    }
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      List<TimersRedis.DeadEntry> list = byShard.get(s);
      for (int from = 0; from < list.size(); from += TimersRedis.BATCH) {
        n += redis.dropDead(s, list.subList(from, Math.min(list.size(), from + TimersRedis.BATCH)));
      }
    }
    return n;
  }

  /**
   * Deletes every dead timer for good.
   *
   * @return how many were deleted
   * @throws IllegalStateException if closed
   */
  public long purgeAllDeadLetters() {
    return purge(deadLetters(Integer.MAX_VALUE));
  }

  private String memberOf(DeadLetter d) {
    String topic = d.topic().orElseThrow(() -> new IllegalArgumentException("dead letter "
        + d.id() + " is not a timer's: it has no topic"));
    return keys.timerKey(topic, d.id());
  }

  /**
   * One pass, for tests and custom schedulers: claims up to {@code concurrency} (see {@link
   * TimersOptions#consumer()}) due timers, runs their handlers concurrently and waits for
   * them (Python's {@code handle_ready_timers}).
   *
   * @return the number of timers claimed (0 with a concurrency limit of 0)
   * @throws IllegalStateException if closed
   * @throws io.github.redisext.core.WrongTypeException if a key of a shard holds another Redis
   *     type (nothing of that shard was claimed; thrown after the timers claimed from the other
   *     shards were handled). A due timer whose own lock key holds another type is left alone and
   *     logged with the key.
   */
  public int handleReadyTimers() {
    requireOpen();
    return singlePass.run(keys.shards());
  }

  /**
   * Runs the processing loop on the calling thread until {@link #close()} is called or the thread
   * is interrupted. Redis errors are logged and retried with backoff; they do not end the loop.
   *
   * @throws IllegalStateException if the loop already runs or the timers are closed
   */
  public void runForever() {
    requireOpen();
    consumption.runForever();
  }

  /**
   * Runs the processing loop on a background thread named {@code redis-ext-timers-N}.
   *
   * @return this
   * @throws IllegalStateException if already started or closed
   */
  public Timers<C> start() {
    requireOpen();
    consumption.start();
    return this;
  }

  /** Counters since this instance was built (readable after close too). */
  public TimersStats stats() {
    return counters.snapshot();
  }

  /** The options. */
  public TimersOptions options() {
    return options;
  }

  /**
   * Stops the loop, gives claimed timers that did not start back (due again at once), waits for
   * running handlers up to the {@code shutdownGrace} of {@link TimersOptions#consumer()} (then
   * interrupts them: their timers fire again after their lease) and stops every thread. After it,
   * every operation but {@link #stats()} and {@link #options()} throws {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (!closed) {
        metrics.detach(levels);
      }
      closed = true;
    }
    consumption.close();
    singlePass.close();
  }

  @Override
  public String toString() {
    return "Timers" + options;
  }

  /**
   * Builder of {@link Timers}.
   *
   * @param <C> the context type
   */
  public static final class Builder<C> {
    private final UnifiedJedis client;
    private final C context;
    private final List<Router<C>> routers = new ArrayList<>();
    private TimersOptions options = TimersOptions.defaults();

    private Builder(UnifiedJedis client, C context) {
      this.client = client;
      this.context = context;
    }

    /**
     * Includes routers (their handlers are copied at {@link #build()}).
     *
     * @throws NullPointerException if a router is null
     */
    @SafeVarargs
    public final Builder<C> include(Router<C>... routers) {
      for (Router<C> r : routers) {
        this.routers.add(Args.notNull(r, "router"));
      }
      return this;
    }

    /**
     * The options (default {@link TimersOptions#defaults()}; see {@link
     * TimersOptions#fromEnvironment()}).
     *
     * @throws NullPointerException if null
     */
    public Builder<C> options(TimersOptions options) {
      this.options = Args.notNull(options, "options");
      return this;
    }

    /**
     * The timers.
     *
     * @throws IllegalArgumentException if a topic contains the separator or is in two routers
     * @throws io.github.redisext.core.KeyNameException if the layout cannot run on this client
     *     (the Python-compatible layout on a cluster)
     */
    public Timers<C> build() {
      return new Timers<>(client, context, options, routers);
    }
  }
}
