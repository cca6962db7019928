package io.github.redisext.timers.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.timers.TimerRequest;
import io.github.redisext.timers.TimersOptions;
import io.github.redisext.timers.TimersStats;
import io.github.redisext.timers.UnknownTopicPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code Timers}: sets and removes timers, claims due ones, runs their handlers
 * with lease renewal, and completes, retries or moves them aside.
 *
 * @param <C> the user context type
 */
public final class TimersEngine<C> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TimersEngine.class);
  /** Pause before looking again at a shard whose due timers are all locked by other owners. */
  private static final long SKIPPED_RETRY_MS = 50;
  /** Pause before looking again at a due timer whose lock key holds another type. */
  private static final long BAD_LOCK_RETRY_MS = 1_000;
  private static final Backoff REDIS_ERRORS = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  private final TimerStore store;
  private final KeyLayout keys;
  private final TimersOptions opts;
  private final Map<String, Route<?, C>> routes;
  /** The topics a claim takes: null = every topic (DEAD_LETTER), else the served ones (LEAVE). */
  private final Set<String> claimTopics;
  private final C context;
  private final Backoff retry;
  private final long leaseMs;
  private final ServerClock clock = new ServerClock();
  private final Completer completer;

  private final Set<Claim> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger rotation =
      new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong fired = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong leaseLost = new AtomicLong();
  private final AtomicLong lastLag = new AtomicLong();
  private final AtomicLong maxLag = new AtomicLong();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final long[] nextDue;
  private int inflight;
  private boolean waitingForSlot;
  private boolean loopRunning;
  private CountDownLatch loopDone = new CountDownLatch(0);

  private final Object lifecycle = new Object();
  private ThreadPoolExecutor handlers;
  private ScheduledThreadPoolExecutor renewer;
  private Thread background;
  private volatile boolean closed;

  /** An engine; {@code routes} by topic. */
  public TimersEngine(TimerStore store, TimersOptions opts, Map<String, Route<?, C>> routes,
      C context) {
    this.store = store;
    this.keys = store.keys();
    this.opts = opts;
    this.routes = Map.copyOf(routes);
    this.claimTopics = opts.unknownTopics() == UnknownTopicPolicy.LEAVE
        ? Set.copyOf(routes.keySet()) : null;
    this.context = context;
    this.retry = Backoff.exponential(opts.retryBackoff(), opts.maxRetryBackoff());
    this.leaseMs = opts.lease().toMillis();
    this.nextDue = new long[keys.shards()];
    this.completer = new Completer(store, keys.shards());
  }

  // ---------------------------------------------------------------- producer side

  /** Encoded timer: timer key, delay ms, payload JSON. */
  public record Encoded(String member, long delayMs, String json) {}

  /**
   * Checks that a topic has a handler.
   *
   * @throws io.github.redisext.timers.UnknownTopicException if not
   */
  public void encodeCheckTopic(String topic) {
    if (!routes.containsKey(topic)) {
      throw new io.github.redisext.timers.UnknownTopicException(topic, routes.keySet());
    }
  }

  /** Checks and encodes a request. */
  public Encoded encode(TimerRequest r) {
    Route<?, C> route = routes.get(r.topic());
    if (route == null) {
      throw new io.github.redisext.timers.UnknownTopicException(r.topic(), routes.keySet());
    }
    return new Encoded(keys.timerKey(r.topic(), r.timerId()), r.delay().toMillis(),
        encodePayload(route, r.payload()));
  }

  private static <P> String encodePayload(Route<P, ?> route, Object payload) {
    if (!route.type().isInstance(payload)) {
      throw new IllegalArgumentException("payload for topic '" + route.topic() + "' must be a "
          + route.type().getName() + ", got " + payload.getClass().getName());
    }
    return route.codec().encode(route.type().cast(payload));
  }

  /** Sets already-encoded timers: one script call per shard and batch. */
  public void set(List<Encoded> timers) {
    List<List<Encoded>> byShard = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      byShard.add(new ArrayList<>());
    }
    for (Encoded e : timers) {
      byShard.get(keys.shardOf(e.member())).add(e);
    }
    requireTypesIfSeveral(byShard, true);
    for (int s = 0; s < keys.shards(); s++) {
      List<Encoded> list = byShard.get(s);
      if (list.isEmpty()) {
        continue;
      }
      List<List<String>> chunks = new ArrayList<>();
      for (int from = 0; from < list.size(); from += TimerStore.BATCH) {
        List<Encoded> chunk = list.subList(from, Math.min(list.size(), from + TimerStore.BATCH));
        List<String> args = new ArrayList<>(chunk.size() * 3);
        for (Encoded e : chunk) {
          args.add(e.member());
          args.add(Long.toString(e.delayMs()));
          args.add(e.json());
        }
        chunks.add(args);
      }
      List<TimerStore.SetReply> replies = store.setPipelined(s, chunks);
      if (!opts.wakeUps()) {
        continue;
      }
      // the last reply tells the head after every batch; wake consumers if it is one of ours
      TimerStore.SetReply last = replies.get(replies.size() - 1);
      if (last.headMember() != null && containsMember(list, last.headMember())) {
        publishWakeUp(s, TimerStore.scoreToMs(last.headScore()));
      }
    }
  }

  private static boolean containsMember(List<Encoded> chunk, String member) {
    if (chunk.size() == 1) {
      return chunk.get(0).member().equals(member);
    }
    Set<String> set = new HashSet<>();
    for (Encoded e : chunk) {
      set.add(e.member());
    }
    return set.contains(member);
  }

  private void publishWakeUp(int shard, long dueMs) {
    try {
      store.client().publish(keys.channel(), shard + " " + dueMs);
    } catch (RuntimeException e) {
      log.debug("publishing a wake-up on {} failed; consumers find the timer at their idle wait",
          keys.channel(), e);
    }
  }

  /** Removes timers by timer key; returns how many were pending. */
  public long remove(List<String> members) {
    List<List<String>> byShard = new ArrayList<>();
    for (int s = 0; s < keys.shards(); s++) {
      byShard.add(new ArrayList<>());
    }
    for (String m : members) {
      byShard.get(keys.shardOf(m)).add(m);
    }
    requireTypesIfSeveral(byShard, false);
    long n = 0;
    for (int s = 0; s < keys.shards(); s++) {
      List<String> list = byShard.get(s);
      for (int from = 0; from < list.size(); from += TimerStore.BATCH) {
        n += store.remove(s, list.subList(from, Math.min(list.size(), from + TimerStore.BATCH)));
      }
    }
    return n;
  }

  /**
   * When an operation writes to several shards: checks every involved shard's key types first, so
   * a wrong type in a later shard does not leave the earlier shards written.
   */
  private void requireTypesIfSeveral(List<? extends List<?>> byShard, boolean withDead) {
    int involved = 0;
    for (List<?> l : byShard) {
      if (!l.isEmpty()) {
        involved++;
      }
    }
    if (involved < 2) {
      return; // one script call (or one pipeline of calls with the same keys): checked inside
    }
    for (int s = 0; s < byShard.size(); s++) {
      if (!byShard.get(s).isEmpty()) {
        store.requireTypes(s, withDead);
      }
    }
  }

  // ---------------------------------------------------------------- consumer side

  private void ensureExecutors() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("timers are closed");
      }
      if (handlers == null) {
        int n = Math.max(1, opts.concurrencyLimit());
        handlers = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            Threads.factory());
        handlers.allowCoreThreadTimeOut(true);
        renewer = new ScheduledThreadPoolExecutor(1, Threads.factory());
        long tick = Math.max(10, leaseMs / 6);
        renewer.scheduleWithFixedDelay(this::renewRunning, tick, tick, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * One pass: claims up to the concurrency limit of due timers, handles them concurrently and
   * waits for them. Returns the number of timers claimed.
   */
  public int handleReadyTimers() {
    ensureExecutors();
    int limit = opts.concurrencyLimit();
    if (limit == 0) {
      return 0;
    }
    List<Future<?>> running = new ArrayList<>();
    int total = 0;
    int shards = keys.shards();
    int first = Math.floorMod(rotation.getAndIncrement(), shards);
    RuntimeException error = null;
    for (int k = 0; k < shards && total < limit; k++) {
      int s = (first + k) % shards;
      TimerStore.ClaimReply r;
      try {
        r = claim(s, limit - total);
      } catch (RuntimeException e) {
        // e.g. a WrongTypeException naming a key of this shard: the other shards still fire, the
        // error is thrown once the timers claimed so far were handled
        if (error == null) {
          error = e;
        } else {
          error.addSuppressed(e);
        }
        continue;
      }
      for (Claim c : r.claims()) {
        running.add(dispatch(c));
      }
      total += r.claims().size();
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        log.warn("a timer task failed unexpectedly", e.getCause());
      }
    }
    if (error != null) {
      throw error;
    }
    return total;
  }

  private TimerStore.ClaimReply claim(int shard, int max) {
    long t0 = System.nanoTime();
    TimerStore.ClaimReply r = store.claim(shard, max, leaseMs, claimTopics);
    clock.sync(r.nowMs(), t0, System.nanoTime());
    claimed.addAndGet(r.claims().size());
    for (String member : r.badLocks()) {
      log.warn("timer {} is due but cannot be claimed: its lock key {} holds another type than a "
          + "string (someone overwrote it); the timer stays on {} and fires once the key is "
          + "deleted", member, keys.lockPrefix(shard) + member, keys.timeline(shard));
    }
    return r;
  }

  private Future<?> dispatch(Claim c) {
    lock.lock();
    try {
      inflight++;
    } finally {
      lock.unlock();
    }
    // the lease counts from the claim, not from handler start: a queued handler is renewed too
    c.renewedAt = System.nanoTime();
    running.add(c);
    try {
      return handlers.submit(() -> {
        try {
          handle(c);
        } finally {
          running.remove(c);
          slotFreed();
        }
      });
    } catch (RejectedExecutionException e) {
      running.remove(c);
      slotFreed();
      log.warn("timer {} was claimed while shutting down; it fires again after its lease",
          c.member);
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
  }

  private void slotFreed() {
    lock.lock();
    try {
      inflight--;
      if (waitingForSlot) {
        waitingForSlot = false;
        wake.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void handle(Claim c) {
    long lag = Math.max(0, clock.nowMs() - c.dueMs);
    lastLag.set(lag);
    maxLag.accumulateAndGet(lag, Math::max);
    String topic = keys.topicOf(c.member);
    Route<?, C> route = routes.get(topic);
    if (route == null) {
      moveAside(c, "no handler for topic '" + topic + "' (topics with a handler: "
          + routes.keySet() + ")");
    } else if (c.payload == null) {
      moveAside(c, "payload missing from " + keys.payloads(c.shard));
    } else {
      invoke(route, c);
    }
  }

  private <P> void invoke(Route<P, C> route, Claim c) {
    P payload;
    try {
      payload = route.codec().decode(c.payload);
      if (payload == null) {
        throw new IllegalArgumentException("payload is JSON null");
      }
    } catch (RuntimeException e) {
      moveAside(c, "cannot decode payload as " + route.type().getName() + ": " + e.getMessage());
      return;
    }
    Throwable failure = null;
    try {
      route.handler().handle(payload, context);
    } catch (Throwable t) {
      failure = t;
    }
    if (failure == null) {
      complete(c);
    } else {
      failed(c, failure);
      if (failure instanceof VirtualMachineError vme) {
        throw vme;
      }
    }
  }

  /** Renews every running claim whose lease is a third used up (one ticker, no task per claim). */
  private void renewRunning() {
    long now = System.nanoTime();
    long third = TimeUnit.MILLISECONDS.toNanos(leaseMs) / 3;
    for (Claim c : running) {
      if (now - c.renewedAt >= third) {
        renew(c);
        c.renewedAt = System.nanoTime();
      }
    }
  }

  private void renew(Claim c) {
    if (c.lost) {
      return;
    }
    try {
      if (!store.renew(c, leaseMs) && running.contains(c)) {
        // (a claim completed while this renewal ran is not lost: its lock was released)
        c.lost = true;
        log.warn("lease of timer {} was lost while its handler runs (lock {} belongs to another "
            + "owner now); the timer will not be removed by this consumer", c.member, c.lockKey);
      }
    } catch (RuntimeException e) {
      log.warn("renewing the lease of timer {} failed: {}", c.member, e.getMessage());
    }
  }

  private void complete(Claim c) {
    Long r = withRetries(c, "remove", () -> completer.complete(c));
    if (r == null) {
      return;
    }
    if (r == 3) {
      log.error("timer {} was handled, but its lock key {} now holds another type than a string "
          + "(someone overwrote it), so it is not ours any more; nothing was changed: the timer "
          + "fires again after its lease once the key is deleted", c.member, c.lockKey);
      return;
    }
    if (r == 0) {
      leaseLost.incrementAndGet();
      log.warn("timer {} was handled, but its lease was lost before removal (lock {} is not ours: "
          + "the handler outlived its lease, e.g. a long GC pause); the timer was left alone",
          c.member, c.lockKey);
      return;
    }
    fired.incrementAndGet();
    if (r == 2) {
      log.debug("timer {} was set again while its handler ran; the new version stays", c.member);
    }
  }

  private void failed(Claim c, Throwable t) {
    failed.incrementAndGet();
    int attempt = c.attempts + 1;
    long backoff = retry.delay(attempt).toMillis();
    String record = new DeadRecord(c.payload, String.valueOf(t), attempt, clock.nowMs()).toJson();
    TimerStore.FailReply r = withRetries(c, "reschedule",
        () -> store.fail(c, opts.maxAttempts(), backoff, record, false));
    if (r == null) {
      return;
    }
    switch (r.status()) {
      case "retry" -> {
        retried.incrementAndGet();
        log.warn("handler of timer {} failed (attempt {} of {}); retrying in {} ms", c.member,
            r.attempts(), opts.maxAttempts(), backoff, t);
      }
      case "dead" -> {
        deadLettered.incrementAndGet();
        log.error("handler of timer {} failed {} times; the timer was moved to {}", c.member,
            r.attempts(), keys.dead(c.shard), t);
      }
      case "lost" -> {
        leaseLost.incrementAndGet();
        log.warn("handler of timer {} failed, and its lease was lost meanwhile; left alone",
            c.member, t);
      }
      default -> log.warn("handler of timer {} failed, but the timer was set again meanwhile; the "
          + "new version stays", c.member, t);
    }
  }

  private void moveAside(Claim c, String error) {
    String record = new DeadRecord(c.payload, error, c.attempts, clock.nowMs()).toJson();
    TimerStore.FailReply r = withRetries(c, "move aside",
        () -> store.fail(c, opts.maxAttempts(), 0, record, true));
    if (r == null) {
      return;
    }
    if ("dead".equals(r.status())) {
      deadLettered.incrementAndGet();
      log.error("timer {} cannot be handled: {}; it was moved to {} with its raw payload",
          c.member, error, keys.dead(c.shard));
    } else if ("lost".equals(r.status())) {
      leaseLost.incrementAndGet();
      log.warn("timer {} cannot be handled ({}), and its lease was lost meanwhile; left alone",
          c.member, error);
    }
  }

  private <R> R withRetries(Claim c, String what, java.util.function.Supplier<R> op) {
    for (int attempt = 1; ; attempt++) {
      try {
        return op.get();
      } catch (WrongTypeException e) {
        // retrying cannot help until someone fixes the key; the script changed nothing
        log.error("could not {} timer {}: {}; the timer stays where it is and fires again after "
            + "its lease once the key is fixed", what, c.member, e.getMessage());
        return null;
      } catch (RuntimeException e) {
        if (attempt >= 5 || closed && attempt >= 2) {
          log.error("could not {} timer {} after {} tries ({}); it fires again when its lease "
              + "ends", what, c.member, attempt, e.toString());
          return null;
        }
        REDIS_ERRORS.sleep(attempt);
      }
    }
  }

  // ---------------------------------------------------------------- loop

  /** Runs the loop on the calling thread until {@link #close()} or interruption. */
  public void runForever() {
    ensureExecutors();
    lock.lock();
    try {
      if (loopRunning) {
        throw new IllegalStateException("the timers loop is already running");
      }
      loopRunning = true;
      loopDone = new CountDownLatch(1);
      Arrays.fill(nextDue, Long.MIN_VALUE);
    } finally {
      lock.unlock();
    }
    RedisSubscriber sub = null;
    try {
      if (opts.wakeUps()) {
        sub = RedisSubscriber.start(store.client(), Threads.factory(), new WakeListener(),
            keys.channel());
      }
      log.info("timers loop started ({} shard(s), concurrency {})", keys.shards(),
          opts.concurrencyLimit());
      loop();
    } finally {
      if (sub != null) {
        sub.close();
      }
      lock.lock();
      try {
        loopRunning = false;
        loopDone.countDown();
      } finally {
        lock.unlock();
      }
      log.info("timers loop stopped");
    }
  }

  /** Starts the loop on a background thread named {@code redis-ext-timers-N}. */
  public void start() {
    synchronized (lifecycle) {
      if (background != null) {
        throw new IllegalStateException("the timers loop was already started");
      }
      ensureExecutors();
      background = Threads.factory().newThread(this::runForever);
      background.start();
    }
  }

  private final class WakeListener implements RedisSubscriber.Listener {
    @Override
    public void onMessage(String channel, String message) {
      int sp = message.indexOf(' ');
      try {
        int shard = Integer.parseInt(message.substring(0, sp));
        long due = Long.parseLong(message.substring(sp + 1));
        if (shard < 0 || shard >= nextDue.length) {
          return;
        }
        lock.lock();
        try {
          nextDue[shard] = Math.min(nextDue[shard], due);
          wake.signalAll();
        } finally {
          lock.unlock();
        }
      } catch (RuntimeException e) {
        log.debug("ignoring wake-up message '{}' on {}", message, channel);
      }
    }

    @Override
    public void onSubscribed() {
      lock.lock();
      try {
        Arrays.fill(nextDue, Long.MIN_VALUE);
        wake.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private long idleWaitMs() {
    double f = ThreadLocalRandom.current().nextDouble(opts.jitterMin(),
        Math.nextUp(opts.jitterMax()));
    return Math.max(1, Math.round(opts.idleWait().toMillis() * f));
  }

  private void loop() {
    // per shard: a shard that keeps failing (e.g. a key of the wrong type) backs off up to 5 s,
    // even while the other shards succeed
    int[] failures = new int[nextDue.length];
    int limit = opts.concurrencyLimit();
    List<Integer> ready = new ArrayList<>();
    while (!closed && !Thread.currentThread().isInterrupted()) {
      ready.clear();
      lock.lock();
      try {
        long now = clock.nowMs();
        long earliest = Long.MAX_VALUE;
        for (long d : nextDue) {
          earliest = Math.min(earliest, d);
        }
        int free = limit - inflight;
        if (free <= 0 || earliest > now) {
          long idle = idleWaitMs();
          boolean capped = free <= 0 || earliest - now > idle;
          long waitMs = free <= 0 ? idle : Math.min(earliest - now, idle);
          waitingForSlot = free <= 0;
          long left = wake.awaitNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
          if (left <= 0 && capped && free > 0) {
            Arrays.fill(nextDue, Long.MIN_VALUE);
          }
          continue;
        }
        // start at a rotating shard, so a busy shard cannot starve the others of slots
        int first = Math.floorMod(rotation.getAndIncrement(), nextDue.length);
        for (int k = 0; k < nextDue.length; k++) {
          int s = (first + k) % nextDue.length;
          if (nextDue[s] <= now) {
            ready.add(s);
            nextDue[s] = Long.MAX_VALUE;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        lock.unlock();
      }
      for (int s : ready) {
        int free = freeSlots(limit);
        if (free <= 0 || closed) {
          lowerNextDue(s, Long.MIN_VALUE);
          continue;
        }
        try {
          TimerStore.ClaimReply r = claim(s, free);
          failures[s] = 0;
          long next;
          if (r.claims().size() >= free) {
            next = Long.MIN_VALUE;
          } else if (r.nextDueMs() == null) {
            next = Long.MAX_VALUE;
          } else {
            next = r.nextDueMs();
            if (next <= r.nowMs()) {
              next = r.nowMs() + (r.skipped() > 0 ? SKIPPED_RETRY_MS
                  : !r.badLocks().isEmpty() ? BAD_LOCK_RETRY_MS : 1);
            }
          }
          lowerNextDue(s, next);
          for (Claim c : r.claims()) {
            dispatch(c);
          }
        } catch (RuntimeException e) {
          failures[s]++;
          Duration pause = REDIS_ERRORS.jittered(failures[s]);
          log.warn("claiming timers from {} failed ({}); retrying in {} ms", keys.timeline(s),
              e.toString(), pause.toMillis());
          lowerNextDue(s, clock.nowMs() + pause.toMillis());
        }
      }
    }
  }

  private int freeSlots(int limit) {
    lock.lock();
    try {
      return limit - inflight;
    } finally {
      lock.unlock();
    }
  }

  private void lowerNextDue(int s, long due) {
    lock.lock();
    try {
      nextDue[s] = Math.min(nextDue[s], due);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- state

  /** Counters. */
  public TimersStats stats() {
    return new TimersStats(claimed.get(), fired.get(), failed.get(), retried.get(),
        deadLettered.get(), leaseLost.get(), Duration.ofMillis(lastLag.get()),
        Duration.ofMillis(maxLag.get()));
  }

  /** Handlers running now. */
  public int inflight() {
    lock.lock();
    try {
      return inflight;
    } finally {
      lock.unlock();
    }
  }

  /** The server clock estimate (for tests and the lag figure). */
  public LongSupplier serverClock() {
    return clock::nowMs;
  }

  /** Stops the loop, waits for running handlers (up to the shutdown timeout), stops threads. */
  @Override
  public void close() {
    Thread bg;
    ThreadPoolExecutor h;
    ScheduledThreadPoolExecutor r;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      bg = background;
      h = handlers;
      r = renewer;
    }
    CountDownLatch done;
    lock.lock();
    try {
      wake.signalAll();
      done = loopDone;
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + opts.shutdownTimeout().toNanos();
    try {
      done.await(Math.max(1, opts.shutdownTimeout().toMillis()), TimeUnit.MILLISECONDS);
      if (bg != null) {
        bg.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      if (h != null) {
        h.shutdown();
        if (!h.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          log.warn("timer handlers still running after {}; interrupting them (their timers fire "
              + "again after their lease)", opts.shutdownTimeout());
          h.shutdownNow();
          h.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (h != null) {
        h.shutdownNow();
      }
    } finally {
      if (r != null) {
        r.shutdownNow();
      }
    }
  }
}
