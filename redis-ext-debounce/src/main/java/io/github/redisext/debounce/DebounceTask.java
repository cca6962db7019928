package io.github.redisext.debounce;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.debounce.internal.Engine;
import io.github.redisext.debounce.internal.KernelConsumer;
import io.github.redisext.debounce.internal.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * A deduplicating delay (or debounce) scheduler on one Redis sorted set: each waiting task is a
 * member holding the task's canonical JSON, scored by its due time. Adding a task that already
 * waits does not create a second one (equal content, whatever the key order of its maps, is the
 * same task); due tasks are popped in due order, each by exactly one caller.
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * try (DebounceTask<Map<String, Object>> refresh = DebounceTask.create(redis, "{refresh}",
 *     JsonCodec.of(new TypeToken<Map<String, Object>>() {}.getType()),
 *     DebounceOptions.builder().defaultDelay(Duration.ofSeconds(2))
 *         .duplicatePolicy(DuplicatePolicy.DEBOUNCE).maxWait(Duration.ofSeconds(30)).build())) {
 *   refresh.add(Map.of("user", 42));            // due in 2 s
 *   refresh.add(Map.of("user", 42));            // same task: due 2 s from now, still one
 *   try (DebounceConsumer c = refresh.consume(task -> reindex(task.get("user")))) {
 *     ...                                       // handlers run as tasks come due
 *   }
 * }
 * }</pre>
 *
 * <h2>Compatibility</h2>
 * The key is used verbatim and the layout is the Python {@code DebounceInfoTask}'s: member =
 * {@code json.dumps(task, ensure_ascii=False, sort_keys=True)} byte for byte ({@link
 * JsonStyle#PYTHON}), score = due time in epoch seconds. Python and Java processes can add to
 * and pop from the same key. On a Redis Cluster an untagged key is tagged ({@code "jobs"} becomes
 * {@code "{jobs}"}, core's naming rule {@link io.github.redisext.core.KeySpace#forName}), because
 * the auxiliary keys ({@code key:processing}, ...) must share its slot; {@code "{jobs}"} works
 * everywhere.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every operation is one Lua script (atomic); due times are compared with the Redis
 *       server's {@code TIME}, never the caller's clock.
 *   <li>{@link #pop(int)} and {@link #await(int, Duration)} hand each due task to exactly one
 *       caller, across threads and processes; a task popped this way is gone from Redis
 *       (at-most-once: it is the caller's from then on).
 *   <li>{@link #consume(TaskHandler)} leases each task until its handler returns, so a crash does
 *       not lose it: it is delivered again after the lease (at-least-once).
 *   <li>A member that cannot be decoded into {@code T} is moved aside with its raw text and error
 *       ({@link #deadLetters(int)}), never dropped; so is a consumed task whose handler failed (or
 *       whose lease ran out) {@code maxAttempts} times, with the last error
 *       and the attempt count. Retries back off exponentially ({@link
 *       DebounceOptions.Builder#retryBackoff}).
 *   <li>Atomic or nothing: every script checks the Redis type of every key of the family before
 *       its first write. When one holds another type, the operation throws {@link
 *       io.github.redisext.core.WrongTypeException} naming the key and changes nothing; a
 *       consumer logs it and retries, leaving its tasks in place until the key is fixed.
 *   <li>Decoding is lenient by default (unknown properties ignored, missing ones defaulted: a
 *       producer may add a field before its consumers know it). Pass {@code
 *       JsonCodec.of(Task.class).strict()} to {@link #create(UnifiedJedis, String, Codec,
 *       DebounceOptions)} to set anything of another shape aside in the dead letters instead. A
 *       JSON {@code null} task is set aside in either mode.
 *   <li>Arguments are checked before any Redis call: out-of-range values (a delay over {@link
 *       DebounceOptions#MAX_DURATION}, a count over {@link #MAX_COUNT}) are an {@link
 *       IllegalArgumentException} naming the parameter and the range.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the wake-up subscription and every consumer started
 * from this instance; it does not close the client. Every operation after {@code close()} throws
 * {@link IllegalStateException}.
 *
 * @param <T> the task type
 */
public final class DebounceTask<T> implements AutoCloseable {
  /**
   * The most tasks one {@link #pop(int)} or {@link #await(int, Duration)} takes: 10,000 (one
   * script call; bounds how long it holds the server and how much one reply carries). Drain more
   * with repeated calls.
   */
  public static final int MAX_COUNT = 10_000;

  private final Engine<T> engine;
  private final Set<DebounceConsumer> consumers = ConcurrentHashMap.newKeySet();

  private DebounceTask(Engine<T> engine) {
    this.engine = engine;
  }

  /**
   * A task scheduler with {@link DebounceOptions#defaults()}, tasks decoded as {@code type} with
   * Gson (e.g. {@code Object.class} for any JSON: maps, lists, strings, numbers).
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if {@code key} is blank or has braces that
   *     form no hash tag
   */
  public static <T> DebounceTask<T> create(UnifiedJedis client, String key, Class<T> type) {
    return create(client, key, type, DebounceOptions.defaults());
  }

  /**
   * A task scheduler with the given options, tasks decoded as {@code type} with Gson.
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if {@code key} is blank or has braces that
   *     form no hash tag
   */
  public static <T> DebounceTask<T> create(UnifiedJedis client, String key, Class<T> type,
      DebounceOptions options) {
    Args.notNull(type, "type");
    return create(client, key, JsonCodec.of(type), options);
  }

  /**
   * A task scheduler with the given codec and options. A {@link JsonCodec} is switched to {@link
   * JsonStyle#PYTHON} (canonical, Python-identical members), keeping its decoding mode ({@link
   * JsonCodec#strict()} sets JSON of another shape aside in the dead letters); any other codec
   * must itself write equal tasks as equal text, or deduplication will not work.
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if {@code key} is blank or has braces that
   *     form no hash tag
   */
  public static <T> DebounceTask<T> create(UnifiedJedis client, String key, Codec<T> codec,
      DebounceOptions options) {
    Args.notNull(client, "client");
    Args.notNull(codec, "codec");
    Args.notNull(options, "options");
    Keys keys = Keys.of(client, key);
    Registry.announce(client, "debounce", keys.tasks(),
        Map.of("tasks", keys.tasks(), "dead", keys.dead()));
    Codec<T> c = codec instanceof JsonCodec<T> j ? j.withStyle(JsonStyle.PYTHON) : codec;
    return new DebounceTask<>(new Engine<>(client, keys, c, options));
  }

  /** The sorted set's key (as given; tagged on a cluster when it had no tag). */
  public String key() {
    return engine.keys().tasks();
  }

  /** The options. */
  public DebounceOptions options() {
    return engine.options();
  }

  /**
   * Adds a task due after the default delay ({@link DebounceOptions#defaultDelay()}).
   *
   * @return true if the task was not waiting before; false if it was (then {@link
   *     DuplicatePolicy#KEEP_FIRST} changed nothing and {@link DuplicatePolicy#DEBOUNCE} moved its
   *     due time)
   * @throws NullPointerException if {@code task} is null
   * @throws io.github.redisext.core.CodecException if the task cannot be encoded
   */
  public boolean add(T task) {
    return add(task, engine.options().defaultDelay());
  }

  /**
   * Adds a task due after {@code delay} (server time at the add + delay).
   *
   * @return true if the task was not waiting before
   * @param delay 0 to {@link DebounceOptions#MAX_DURATION}
   * @throws NullPointerException if {@code task} or {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative or longer than {@link
   *     DebounceOptions#MAX_DURATION}
   * @throws io.github.redisext.core.CodecException if the task cannot be encoded
   * @throws io.github.redisext.core.WrongTypeException if a key of this task's family holds
   *     another Redis type (nothing was changed)
   */
  public boolean add(T task, Duration delay) {
    engine.ensureOpen();
    checkDelay(delay);
    return engine.add(List.of(engine.encode(task, "task")), delay) == 1;
  }

  /**
   * Adds many tasks due after the default delay in one round trip (one script call per 10,000
   * tasks, pipelined).
   *
   * @return how many were not waiting before (duplicates within {@code tasks} count once)
   * @throws NullPointerException if {@code tasks} or one of its elements is null
   */
  public int addAll(Collection<? extends T> tasks) {
    return addAll(tasks, engine.options().defaultDelay());
  }

  /**
   * Adds many tasks, all due after {@code delay}, in one round trip: one script call per 10,000
   * tasks (each call atomic), pipelined when there are more.
   *
   * @return how many were not waiting before (duplicates within {@code tasks} count once)
   * <p>Any number of tasks is accepted (tested with 100,000); each script call of up to 10,000 is
   * atomic, the calls of one {@code addAll} are not one transaction.
   *
   * @param delay 0 to {@link DebounceOptions#MAX_DURATION}
   * @throws NullPointerException if {@code tasks}, one of its elements or {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative or longer than {@link
   *     DebounceOptions#MAX_DURATION}
   * @throws io.github.redisext.core.WrongTypeException if a key of this task's family holds
   *     another Redis type (nothing was changed)
   */
  public int addAll(Collection<? extends T> tasks, Duration delay) {
    engine.ensureOpen();
    Args.notNull(tasks, "tasks");
    checkDelay(delay);
    return (int) engine.add(encodeAll(tasks), delay);
  }

  private static void checkDelay(Duration delay) {
    Args.inRange(delay, Duration.ZERO, DebounceOptions.MAX_DURATION, "delay");
  }

  private List<String> encodeAll(Collection<? extends T> tasks) {
    List<String> members = new ArrayList<>(tasks.size());
    int i = 0;
    for (T t : tasks) {
      members.add(engine.encode(t, "tasks element " + i));
      i++;
    }
    return members;
  }

  /**
   * Whether a task is waiting (tasks being handled by a consumer do not count).
   *
   * @throws NullPointerException if {@code task} is null
   */
  public boolean has(T task) {
    engine.ensureOpen();
    return engine.commands().has(engine.encode(task, "task"));
  }

  /**
   * Removes a waiting task.
   *
   * @return whether it was waiting
   * @throws NullPointerException if {@code task} is null
   */
  public boolean remove(T task) {
    engine.ensureOpen();
    return engine.commands().remove(List.of(engine.encode(task, "task"))) == 1;
  }

  /**
   * Removes many waiting tasks.
   *
   * @return how many were waiting
   * @throws NullPointerException if {@code tasks} or one of its elements is null
   */
  public int removeAll(Collection<? extends T> tasks) {
    engine.ensureOpen();
    Args.notNull(tasks, "tasks");
    return (int) engine.commands().remove(encodeAll(tasks));
  }

  /**
   * Removes and returns up to {@code count} due tasks, earliest due first, without waiting. Each
   * task goes to exactly one caller. Undecodable members are moved to the dead letters and not
   * returned (so fewer than {@code count} may come back while more are due).
   *
   * @param count 1 to {@link #MAX_COUNT}
   * @throws IllegalArgumentException if {@code count} is below 1 or above {@link #MAX_COUNT}
   * @throws io.github.redisext.core.WrongTypeException if a key of this task's family holds
   *     another Redis type (nothing was changed: no task was popped)
   */
  public List<T> pop(int count) {
    engine.ensureOpen();
    Args.inRange(count, 1, MAX_COUNT, "count");
    return engine.decodeAll(engine.pop(count).members());
  }

  /** {@link #pop(int)} of up to 10 tasks (the Python original's default). */
  public List<T> pop() {
    return pop(10);
  }

  /**
   * Waits until at least one task is due (or {@code timeout} passes) and pops up to {@code
   * count}. Does not poll: it sleeps until the earliest due time or until an add publishes an
   * earlier one, so tasks come back within milliseconds of their due time. Tasks added by a peer
   * that does not publish wake-ups are seen within the idle wait ({@code
   * options().consumer().idleWait()}).
   *
   * @param count 1 to {@link #MAX_COUNT}
   * @param timeout 0 or more; a timeout longer than 365 days means no timeout (it saturates:
   *     {@code Duration.ofSeconds(Long.MAX_VALUE)} waits until something is due)
   * @return the tasks, earliest due first; empty when the timeout passed first
   * @throws IllegalArgumentException if {@code count} is below 1 or above {@link #MAX_COUNT}, or
   *     {@code timeout} negative
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws io.github.redisext.core.WrongTypeException if a key of this task's family holds
   *     another Redis type (nothing was changed)
   */
  public List<T> await(int count, Duration timeout) throws InterruptedException {
    engine.ensureOpen();
    Args.inRange(count, 1, MAX_COUNT, "count");
    Args.nonNegative(timeout, "timeout");
    long now = System.nanoTime();
    long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4
        : timeout.toNanos();
    long deadline = now + nanos;
    while (true) {
      List<String> members = engine.awaitMembers(count, deadline);
      if (members.isEmpty()) {
        return List.of();
      }
      List<T> tasks = engine.decodeAll(members);
      if (!tasks.isEmpty()) {
        return tasks;
      }
    }
  }

  /**
   * Starts a consumer on core's leased-consumer kernel: {@code concurrency} handler threads, up
   * to {@code prefetch} more tasks claimed ahead ({@link DebounceOptions#consumer()}), each
   * task leased until it is settled (see {@link DebounceConsumer}). Close it (or this instance)
   * to stop it.
   *
   * @throws NullPointerException if {@code handler} is null
   * @throws IllegalStateException if this instance is closed
   */
  public DebounceConsumer consume(TaskHandler<? super T> handler) {
    Args.notNull(handler, "handler");
    engine.ensureOpen();
    KernelConsumer<T> consumer = new KernelConsumer<>(engine, handler);
    consumers.add(consumer);
    return consumer;
  }

  /** The number of waiting tasks (due or not): {@code ZCARD}. */
  public long pendingCount() {
    engine.ensureOpen();
    return engine.commands().pendingCount();
  }

  /** Waiting, overdue, processing and dead-letter counts in one atomic read. */
  public DebounceInfo info() {
    engine.ensureOpen();
    return engine.commands().info();
  }

  /**
   * Deletes every waiting task (like the Python original's {@code DEL key}) and the attempt
   * counts of failed consumed tasks. Tasks a consumer is handling and dead letters are kept.
   */
  public void clear() {
    engine.ensureOpen();
    engine.commands().clear();
  }

  /** The most dead letters one {@link #deadLetters(int)} returns: 100,000. */
  public static final int MAX_DEAD_LETTERS_PER_CALL = 100_000;

  /**
   * Up to {@code max} dead letters: members that could not be decoded, and consumed tasks that
   * failed {@code maxAttempts} times, each with its raw text ({@link DeadLetter#id()} and {@link
   * DeadLetter#payload()} are the member), the (last) error, the attempt count and when it was
   * moved aside. In no particular order.
   *
   * @param max 1 to {@link #MAX_DEAD_LETTERS_PER_CALL}
   * @throws IllegalArgumentException if {@code max} is out of range
   */
  public List<DeadLetter> deadLetters(int max) {
    Args.inRange(max, 1, MAX_DEAD_LETTERS_PER_CALL, "max");
    engine.ensureOpen();
    return engine.commands().deadLetters(max);
  }

  /** The number of dead letters. */
  public long deadLetterCount() {
    engine.ensureOpen();
    return engine.commands().info().deadLetters();
  }

  /**
   * Puts the given dead letters back into the waiting tasks, due now, with fresh attempt counts
   * (one atomic script call per 10,000; a task already waiting keeps its earlier due time). An
   * undecodable member comes back to the dead letters at its next pop unless the codec now reads
   * it.
   *
   * @return how many were still dead letters (not requeued or purged meanwhile)
   * @throws NullPointerException if {@code deadLetters} or one of its elements is null
   */
  public long requeue(Collection<DeadLetter> deadLetters) {
    List<String> members = refs(deadLetters);
    engine.ensureOpen();
    return members.isEmpty() ? 0 : engine.commands().requeueDead(members);
  }

  /**
   * Puts every dead letter back into the waiting tasks, due now, with fresh attempt counts, in
   * one atomic step.
   *
   * @return how many were requeued
   */
  public long requeueAllDeadLetters() {
    engine.ensureOpen();
    return engine.commands().requeueDead(List.of());
  }

  /**
   * Deletes the given dead letters.
   *
   * @return how many were still dead letters
   * @throws NullPointerException if {@code deadLetters} or one of its elements is null
   */
  public long purge(Collection<DeadLetter> deadLetters) {
    List<String> members = refs(deadLetters);
    engine.ensureOpen();
    return members.isEmpty() ? 0 : engine.commands().purgeDead(members);
  }

  /**
   * Deletes every dead letter.
   *
   * @return how many there were
   */
  public long purgeAllDeadLetters() {
    engine.ensureOpen();
    return engine.commands().clearDeadLetters();
  }

  private static List<String> refs(Collection<DeadLetter> deadLetters) {
    Args.notNull(deadLetters, "deadLetters");
    List<String> members = new ArrayList<>(deadLetters.size());
    int i = 0;
    for (DeadLetter d : deadLetters) {
      if (d == null) {
        throw new NullPointerException("deadLetters element " + i + " must not be null");
      }
      members.add(d.ref());
      i++;
    }
    return members;
  }

  /** This instance's counters. */
  public DebounceStats stats() {
    return engine.stats();
  }

  /** Closes every consumer started here (waiting for their handlers) and the wake-up subscription. */
  @Override
  public void close() {
    for (DebounceConsumer c : consumers) {
      c.close();
    }
    consumers.clear();
    engine.close();
  }

  @Override
  public String toString() {
    return "DebounceTask[" + key() + ", " + engine.options() + "]";
  }
}
