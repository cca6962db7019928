package io.github.redisext.timers;

import io.github.redisext.core.support.Args;
import io.github.redisext.timers.internal.DeadRecord;
import io.github.redisext.timers.internal.KeyLayout;
import io.github.redisext.timers.internal.Route;
import io.github.redisext.timers.internal.TimerStore;
import io.github.redisext.timers.internal.TimersEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *       {@link TimersOptions#maxAttempts()} attempts the timer is moved to the dead timers with
 *       its raw payload and the error ({@link #deadTimers()}, {@link #rescheduleDeadTimer}). A
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
  private final TimerStore store;
  private final TimersEngine<C> engine;

  private Timers(UnifiedJedis client, C context, TimersOptions options, List<Router<C>> routers) {
    this.options = options;
    this.keys = KeyLayout.of(options).requireUsable(client);
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
    this.store = new TimerStore(client, keys, options.wholeSecondScores());
    this.engine = new TimersEngine<>(store, options, routes, context);
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
    engine.set(List.of(engine.encode(new TimerRequest(topic, timerId, payload, delay))));
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
    Args.noNulls(timers, "timers");
    List<TimersEngine.Encoded> encoded = new ArrayList<>(timers.size());
    for (TimerRequest r : timers) {
      encoded.add(engine.encode(r));
    }
    engine.set(encoded);
  }

  /**
   * Removes a pending timer (payload and bookkeeping too).
   *
   * @return whether it was pending
   * @throws UnknownTopicException if no router handles the topic
   * @throws NullPointerException if an argument is null
   */
  public boolean removeTimer(String topic, String timerId) {
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
    Args.notNull(topic, "topic");
    Args.noNulls(timerIds, "timerIds");
    requireTopic(topic);
    List<String> members = new ArrayList<>(timerIds.size());
    for (String id : timerIds) {
      members.add(keys.timerKey(topic, id));
    }
    return engine.remove(members);
  }

  private void requireTopic(String topic) {
    engine.encodeCheckTopic(topic);
  }

  /**
   * Every pending timer (all shards), with its due time and raw payload. Reads the timeline in
   * pages of 1,000: not an atomic snapshot of a timeline that changes meanwhile.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   */
  public List<PendingTimer> pendingTimers() {
    return store.pending();
  }

  /**
   * Number of pending timers (ZCARD of every shard).
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   */
  public long pendingCount() {
    return store.pendingCount();
  }

  /**
   * Every dead timer (kept aside after failures), with raw payload and error.
   *
   * @throws io.github.redisext.core.WrongTypeException if a key it reads holds another Redis type
   */
  public List<DeadTimer> deadTimers() {
    return store.dead();
  }

  /**
   * Puts a dead timer back on the timeline with its stored payload, due after {@code delay}, with
   * fresh attempts.
   *
   * @param delay zero up to {@link TimerRequest#MAX_DELAY}
   * @return false if there is no such dead timer, or it has no payload to fire with
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the delay is out of range
   * @throws io.github.redisext.core.WrongTypeException if a key of the timers holds another Redis
   *     type (nothing was changed)
   */
  public boolean rescheduleDeadTimer(String topic, String timerId, Duration delay) {
    Args.notNull(topic, "topic");
    Args.notNull(timerId, "timerId");
    Args.inRange(delay, Duration.ZERO, TimerRequest.MAX_DELAY, "delay");
    String member = keys.timerKey(topic, timerId);
    String record = store.deadRecord(member);
    if (record == null) {
      return false;
    }
    DeadRecord r = DeadRecord.parse(record);
    if (r.payload() == null) {
      return false;
    }
    return store.revive(member, record, r.payload(), delay.toMillis());
  }

  /**
   * Deletes a dead timer for good.
   *
   * @return whether there was one
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.WrongTypeException if the dead-timers key holds another Redis
   *     type (nothing was changed)
   */
  public boolean deleteDeadTimer(String topic, String timerId) {
    Args.notNull(topic, "topic");
    Args.notNull(timerId, "timerId");
    return store.deleteDead(keys.timerKey(topic, timerId));
  }

  /**
   * One pass, for tests and custom schedulers: claims up to {@link
   * TimersOptions#concurrencyLimit()} due timers, runs their handlers concurrently and waits for
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
    return engine.handleReadyTimers();
  }

  /**
   * Runs the processing loop on the calling thread until {@link #close()} is called or the thread
   * is interrupted. Redis errors are logged and retried with backoff; they do not end the loop.
   *
   * @throws IllegalStateException if the loop already runs or the timers are closed
   */
  public void runForever() {
    engine.runForever();
  }

  /**
   * Runs the processing loop on a background thread named {@code redis-ext-timers-N}.
   *
   * @return this
   * @throws IllegalStateException if already started or closed
   */
  public Timers<C> start() {
    engine.start();
    return this;
  }

  /** Counters since this instance was built. */
  public TimersStats stats() {
    return engine.stats();
  }

  /** The options. */
  public TimersOptions options() {
    return options;
  }

  /**
   * Stops the loop, waits for running handlers up to {@link TimersOptions#shutdownTimeout()}
   * (then interrupts them: their timers fire again after their lease) and stops every thread.
   * Idempotent.
   */
  @Override
  public void close() {
    engine.close();
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
