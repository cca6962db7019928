package io.github.redisext.worker.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.CodecException;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.worker.TaskFailedException;
import io.github.redisext.worker.WorkerOptions;
import io.github.redisext.worker.WorkerStats;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The machinery behind {@code RedisWork}: one fetching thread (which also runs the shutdown),
 * {@code concurrency} handler threads, one settling thread (batched acknowledgements, retries,
 * dead letters) and one keeper thread (lease renewal, recovery of dead workers, orphan audit).
 *
 * @param <T> the task type
 */
public final class Engine<T> {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final ThreadFactory THREADS = NamedThreads.factory("redis-ext-worker", false);
  /** Most tasks one fetch script call moves. */
  static final int MAX_BATCH = 500;
  /** Most acknowledgements one HDEL carries. */
  private static final int MAX_ACK_BATCH = 1000;
  private static final int RECOVER_PER_ROUND = 16;
  private static final Duration SETTLE_GIVE_UP = Duration.ofSeconds(10);
  private static final Delivery POISON = new Delivery("", 0, new byte[0]);
  private static final Backoff REDIS_BACKOFF = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  /** The user's handler. */
  @FunctionalInterface
  public interface Handler<T> {
    /** Handles one decoded task; an exception makes it a failed attempt. */
    void handle(T task) throws Exception;
  }

  private final UnifiedJedis client;
  private final QueueKeys keys;
  private final Codec<T> codec;
  private final WorkerOptions options;
  private final Handler<T> handler;
  private final String workerId;
  private final long leaseMs;
  private final Backoff retryBackoff;

  private final Semaphore slots;
  private final LinkedBlockingQueue<Delivery> ready = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<SettleOp> settleQueue = new LinkedBlockingQueue<>();
  private final Set<String> owned = ConcurrentHashMap.newKeySet();
  private final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
  private final BlockingWait waiter;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicReference<TaskFailedException> failure = new AtomicReference<>();

  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();

  private volatile boolean stopping;
  private volatile boolean settlerStop;
  private volatile boolean started;
  private Thread fetcher;
  private Thread settler;
  private ScheduledExecutorService keeper;
  private Set<String> suspects = new HashSet<>();
  private boolean registeredOnce;

  /** An engine; nothing runs before {@link #start()}. */
  public Engine(UnifiedJedis client, QueueKeys keys, Codec<T> codec, WorkerOptions options,
      Handler<T> handler, String workerId) {
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.options = options;
    this.handler = handler;
    this.workerId = workerId;
    this.leaseMs = options.leaseTimeout().toMillis();
    this.retryBackoff = Backoff.exponential(options.retryInitialDelay(), options.retryMaxDelay());
    this.slots = new Semaphore(options.concurrency() + options.prefetch());
    this.waiter = new BlockingWait(client, keys.queue(), keys.claim(workerId));
  }

  /** Starts every thread; returns at once. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("worker " + workerId + " on queue '" + keys.queue()
          + "' was already started or closed (a worker runs once; create a new one)");
    }
    started = true;
    if (stopping) {
      terminated.countDown();
      return;
    }
    log.info("worker {} starting on queue '{}' with {}", workerId, keys.queue(), options);
    keeper = Executors.newSingleThreadScheduledExecutor(THREADS);
    long every = Math.max(100, leaseMs / 3);
    keeper.scheduleWithFixedDelay(this::keep, 0, every, TimeUnit.MILLISECONDS);
    for (int i = 0; i < options.concurrency(); i++) {
      Thread t = THREADS.newThread(this::handleLoop);
      handlerThreads.add(t);
      t.start();
    }
    settler = THREADS.newThread(this::settleLoop);
    settler.start();
    fetcher = THREADS.newThread(this::fetchLoopThenShutdown);
    fetcher.start();
  }

  /** Marks a never-started engine as terminated, so it cannot start any more. */
  public synchronized void closeUnstarted() {
    stopping = true;
    if (!started) {
      started = true;
      terminated.countDown();
    }
  }

  /** Whether {@link #start()} was called. */
  public boolean isStarted() {
    return started;
  }

  /** Asks the worker to stop (returns at once). */
  public void stop() {
    stopping = true;
    waiter.wakeUp();
  }

  /** Whether the calling thread is one of this worker's handler threads. */
  public boolean isHandlerThread() {
    return handlerThreads.contains(Thread.currentThread());
  }

  /** Waits until the worker has shut down; true if it did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits until the worker has shut down. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Whether the worker has shut down. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** The failure that stopped the worker in stop-on-failure mode, or null. */
  public TaskFailedException failure() {
    return failure.get();
  }

  /** The counters now. */
  public WorkerStats stats() {
    return new WorkerStats(processed.get(), failed.get(), retried.get(), deadLettered.get(),
        running.get());
  }

  // ---------------------------------------------------------------- fetching

  private void fetchLoopThenShutdown() {
    try {
      fetchLoop();
    } catch (RuntimeException | Error e) {
      log.error("worker {} on queue '{}': fetch loop died; shutting down", workerId, keys.queue(), e);
    } finally {
      shutdown();
    }
  }

  private void fetchLoop() {
    int held = 0;
    int errors = 0;
    while (!stopping) {
      if (held == 0) {
        try {
          if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            continue;
          }
        } catch (InterruptedException e) {
          break;
        }
        held = 1;
        if (stopping) {
          break;
        }
      }
      int extra = Math.min(slots.availablePermits(), MAX_BATCH - held);
      if (extra > 0 && slots.tryAcquire(extra)) {
        held += extra;
      }
      Scripts.Fetched f;
      try {
        f = Scripts.fetch(client, keys, workerId, held, leaseMs);
        if (errors > 0) {
          log.info("worker {} on queue '{}': Redis is reachable again, fetching resumes", workerId,
              keys.queue());
        }
        errors = 0;
      } catch (RuntimeException e) {
        errors++;
        redisTrouble("fetch", e, errors);
        continue;
      }
      List<Delivery> got = f.deliveries();
      if (!got.isEmpty()) {
        for (Delivery d : got) {
          owned.add(d.id());
        }
        ready.addAll(got);
        slots.release(held - got.size());
        held = 0;
        continue;
      }
      slots.release(held - 1);
      held = 1;
      long waitMs = options.fetchTimeout().toMillis();
      if (f.nextDueMillis() >= 0) {
        waitMs = Math.min(waitMs, f.nextDueMillis());
      }
      try {
        waiter.await(waitMs);
      } catch (RuntimeException e) {
        if (stopping) {
          break;
        }
        errors++;
        RuntimeException typed = e instanceof JedisDataException de
            ? KeyTypes.translate(client, de, keys.queue(), "list", keys.claim(workerId), "list")
            : e;
        redisTrouble("blocking wait", typed, errors);
      }
    }
    slots.release(held);
  }

  private void redisTrouble(String what, RuntimeException e, int errors) {
    if (stopping) {
      return;
    }
    log.warn("worker {} on queue '{}': {} failed ({}: {}); retrying with backoff (attempt {})",
        workerId, keys.queue(), what, e.getClass().getSimpleName(), e.getMessage(), errors);
    REDIS_BACKOFF.sleep(errors);
  }

  // ---------------------------------------------------------------- handling

  private void handleLoop() {
    try {
      while (true) {
        Delivery d = ready.take();
        if (d == POISON) {
          return;
        }
        try {
          process(d);
        } finally {
          slots.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      handlerThreads.remove(Thread.currentThread());
    }
  }

  private void process(Delivery d) {
    T task;
    try {
      String text = strictUtf8(d.payload());
      if (text == null) {
        log.warn("queue '{}': task {} is not valid UTF-8; moving it to the dead-letter list with "
            + "its raw bytes", keys.queue(), d.id());
        settleQueue.add(SettleOp.fail(d, "undecodable payload: " + malformedUtf8(d.payload()),
            true, 0));
        return;
      }
      task = codec.decode(text);
      if (task == null) {
        throw new CodecException("the payload is JSON null, not a task (handle() never gets null)",
            text, null);
      }
    } catch (RuntimeException e) {
      log.warn("queue '{}': task {} cannot be decoded ({}); moving it to the dead-letter list with "
          + "its raw text", keys.queue(), d.id(), e.getMessage());
      settleQueue.add(SettleOp.fail(d, "undecodable payload: " + describe(e), true, 0));
      return;
    }
    running.incrementAndGet();
    try {
      handler.handle(task);
      processed.incrementAndGet();
      settleQueue.add(SettleOp.ack(d.id()));
    } catch (Throwable e) {
      failed.incrementAndGet();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      long delay = retryBackoff.jittered(d.attempts()).toMillis();
      log.warn("queue '{}': handler failed on task {} (attempt {} of {}): {}", keys.queue(), d.id(),
          d.attempts(), options.maxAttempts(), describe(e), e);
      settleQueue.add(SettleOp.fail(d, describe(e), false, delay));
      if (options.stopOnFailure()
          && failure.compareAndSet(null, new TaskFailedException(keys.queue(), d.id(),
              d.attempts(), e))) {
        log.warn("worker {} on queue '{}' stops after the failure of task {} (stopOnFailure)",
            workerId, keys.queue(), d.id());
        stop();
      }
    } finally {
      running.decrementAndGet();
    }
  }

  /** The payload as text, or null when it is not well-formed UTF-8 (it is never altered). */
  static String strictUtf8(byte[] payload) {
    try {
      return decoder().decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Where and why {@code payload} is not UTF-8, for the dead letter's error. */
  static String malformedUtf8(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    CharBuffer out = CharBuffer.allocate(payload.length + 1);
    CoderResult r = decoder().decode(in, out, true);
    if (r.isError()) {
      return "not valid UTF-8: " + r.length() + " malformed byte(s) at byte offset "
          + in.position() + " of " + payload.length + " (raw bytes kept)";
    }
    return "not valid UTF-8 (raw bytes kept)";
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  // ---------------------------------------------------------------- settling

  private record SettleOp(String id, Delivery delivery, String error, boolean deadNow,
      long delayMs) {
    static SettleOp ack(String id) {
      return new SettleOp(id, null, null, false, 0);
    }

    static SettleOp fail(Delivery d, String error, boolean deadNow, long delayMs) {
      return new SettleOp(d.id(), d, error, deadNow, delayMs);
    }

    boolean isAck() {
      return delivery == null;
    }
  }

  private void settleLoop() {
    List<SettleOp> batch = new ArrayList<>();
    int errors = 0;
    long giveUpAt = Long.MAX_VALUE;
    while (true) {
      if (batch.isEmpty()) {
        SettleOp op;
        try {
          op = settleQueue.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          op = null;
          settlerStop = true;
        }
        if (op == null) {
          if (settlerStop && settleQueue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(op);
        settleQueue.drainTo(batch, 4 * MAX_ACK_BATCH);
      }
      try {
        apply(batch);
        errors = 0;
      } catch (RuntimeException e) {
        errors++;
        if (settlerStop) {
          giveUpAt = Math.min(giveUpAt, System.nanoTime() + SETTLE_GIVE_UP.toNanos());
          if (System.nanoTime() > giveUpAt) {
            log.warn("worker {} on queue '{}': giving up settling {} tasks at shutdown ({}); they "
                + "stay in-flight and return to the queue when this worker's lease expires",
                workerId, keys.queue(), batch.size() + settleQueue.size(), e.getMessage());
            return;
          }
        }
        log.warn("worker {} on queue '{}': settling {} tasks failed ({}: {}); retrying (attempt {})",
            workerId, keys.queue(), batch.size(), e.getClass().getSimpleName(), e.getMessage(),
            errors);
        REDIS_BACKOFF.sleep(errors);
      }
    }
  }

  /** Applies ops in order, removing each from {@code batch} once it is done. */
  private void apply(List<SettleOp> batch) {
    while (!batch.isEmpty()) {
      SettleOp first = batch.get(0);
      if (first.isAck()) {
        int n = 0;
        while (n < batch.size() && n < MAX_ACK_BATCH && batch.get(n).isAck()) {
          n++;
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(batch.get(i).id());
        }
        Scripts.ack(client, keys, workerId, ids);
        for (String id : ids) {
          owned.remove(id);
        }
        batch.subList(0, n).clear();
        continue;
      }
      Scripts.FailResult r = Scripts.fail(client, keys, workerId, first.id(), first.error(),
          options.maxAttempts(), first.delayMs(), first.deadNow());
      switch (r.outcome()) {
        case RETRIED -> retried.incrementAndGet();
        case DEAD_LETTERED -> deadLettered.incrementAndGet();
        default -> log.warn("queue '{}': task {} was no longer in-flight at worker {}: {}; its "
            + "failure ({}) is not recorded", keys.queue(), first.id(), workerId,
            whereItWent(r, keys), first.error());
      }
      owned.remove(first.id());
      batch.remove(0);
    }
  }

  /** What happened to a task that was no longer in this worker's in-flight hash. */
  static String whereItWent(Scripts.FailResult r, QueueKeys keys) {
    return switch (r.outcome()) {
      case TAKEN_BY_OTHER_WORKER -> "this worker's lease had expired, the task was recovered and "
          + "worker " + r.otherWorker() + " has fetched it again";
      case WAITING_IN_DELAYED -> "it waits in '" + keys.delayed() + "' for another delivery "
          + "(recovered after this worker's lease expired, or this worker's earlier settle call "
          + "succeeded and only its reply was lost)";
      case ALREADY_DEAD -> "it is already in the dead-letter list '" + keys.dead() + "' (recovered "
          + "with no attempts left, or this worker's earlier settle call succeeded and only its "
          + "reply was lost)";
      case GONE -> "it is in no key of the queue any more (acknowledged or purged, or its keys "
          + "were deleted)";
      default -> r.outcome().toString();
    };
  }

  // ---------------------------------------------------------------- keeping the lease

  private void keep() {
    try {
      boolean fresh = Scripts.heartbeat(client, keys, workerId, leaseMs);
      if (fresh && registeredOnce) {
        log.warn("worker {} on queue '{}' had lost its lease (it stalled past {} or Redis lost its "
            + "data); its in-flight tasks may be handled twice", workerId, keys.queue(),
            options.leaseTimeout());
      }
      registeredOnce = true;
      for (String dead : Scripts.expired(client, keys, RECOVER_PER_ROUND)) {
        if (dead.equals(workerId)) {
          continue;
        }
        Scripts.Recovered r = Scripts.recover(client, keys, dead, options.maxAttempts(), workerId);
        if (r.recovered()) {
          deadLettered.addAndGet(r.deadLettered());
          log.warn("queue '{}': lease of worker {} expired; worker {} requeued {} of its tasks and "
              + "dead-lettered {}", keys.queue(), dead, workerId, r.requeued(), r.deadLettered());
        }
      }
      audit();
    } catch (RuntimeException e) {
      if (!stopping) {
        log.warn("worker {} on queue '{}': lease renewal / recovery failed ({}: {}); will retry",
            workerId, keys.queue(), e.getClass().getSimpleName(), e.getMessage());
      }
    }
  }

  /**
   * Finds tasks in this worker's in-flight hash that no local thread knows (a fetch whose reply was
   * lost in a connection failure) and, when seen twice in a row, gives them back.
   */
  private void audit() {
    Set<String> unknown = new HashSet<>();
    String inflight = keys.inflight(workerId);
    for (String id : KeyTypes.call(client, () -> client.hkeys(inflight), inflight, "hash")) {
      if (!owned.contains(id)) {
        unknown.add(id);
      }
    }
    List<String> orphans = new ArrayList<>();
    for (String id : unknown) {
      if (suspects.contains(id)) {
        orphans.add(id);
      }
    }
    unknown.removeAll(orphans);
    suspects = unknown;
    if (!orphans.isEmpty()) {
      Scripts.Released r = Scripts.release(client, keys, workerId, orphans, false);
      log.warn("worker {} on queue '{}': gave back {} orphaned in-flight tasks (a fetch reply was "
          + "lost)", workerId, keys.queue(), r.released());
    }
  }

  // ---------------------------------------------------------------- shutdown

  private void shutdown() {
    stopping = true;
    List<Delivery> unstarted = new ArrayList<>();
    ready.drainTo(unstarted);
    unstarted.remove(POISON);
    for (int i = 0; i < options.concurrency(); i++) {
      ready.add(POISON);
    }
    releaseUnstarted(unstarted);
    int abandoned = awaitHandlers();
    settlerStop = true;
    joinQuietly(settler, SETTLE_GIVE_UP.plusSeconds(5));
    if (abandoned == 0) {
      try {
        Scripts.Released r = Scripts.release(client, keys, workerId, List.of(), true);
        if (r.stillInFlight() > 0) {
          log.warn("worker {} on queue '{}' stopped with {} tasks still in-flight; they return to "
              + "the queue when its lease expires", workerId, keys.queue(), r.stillInFlight());
        }
      } catch (RuntimeException e) {
        log.warn("worker {} on queue '{}': unregistering failed ({}); its lease will expire",
            workerId, keys.queue(), e.getMessage());
      }
    }
    keeper.shutdownNow();
    try {
      keeper.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("worker {} on queue '{}' stopped: {}", workerId, keys.queue(), stats());
    terminated.countDown();
  }

  private void releaseUnstarted(List<Delivery> unstarted) {
    List<String> ids = new ArrayList<>();
    for (Delivery d : unstarted) {
      ids.add(d.id());
    }
    try {
      Scripts.Released r = Scripts.release(client, keys, workerId, ids, false);
      ids.forEach(owned::remove);
      if (r.released() > 0) {
        log.info("worker {} on queue '{}' gave back {} unstarted tasks", workerId, keys.queue(),
            r.released());
      }
    } catch (RuntimeException e) {
      log.warn("worker {} on queue '{}': giving back {} unstarted tasks failed ({}); they return "
          + "to the queue when its lease expires", workerId, keys.queue(), ids.size(),
          e.getMessage());
    }
  }

  /** Waits for handler threads up to the grace period, then interrupts; returns how many remain. */
  private int awaitHandlers() {
    long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
    for (Thread t : List.copyOf(handlerThreads)) {
      joinUntil(t, deadline);
    }
    List<Thread> left = List.copyOf(handlerThreads);
    if (left.isEmpty()) {
      return 0;
    }
    log.warn("worker {} on queue '{}': {} handlers still running after the grace period of {}; "
        + "interrupting them", workerId, keys.queue(), left.size(), options.shutdownGrace());
    left.forEach(Thread::interrupt);
    long d2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (Thread t : left) {
      joinUntil(t, d2);
    }
    int n = handlerThreads.size();
    if (n > 0) {
      log.warn("worker {} on queue '{}': {} handlers ignored the interrupt and are abandoned; their "
          + "tasks return to the queue when the lease expires", workerId, keys.queue(), n);
    }
    return n;
  }

  private static void joinUntil(Thread t, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuietly(Thread t, Duration d) {
    if (t == null) {
      return;
    }
    joinUntil(t, System.nanoTime() + d.toNanos());
  }
}
