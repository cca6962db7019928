package io.github.redisext.core.consumer;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.core.support.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LeasedStore}'s items through a handler: {@code concurrency + 1} consumer threads
 * (one of them claims while the others handle; a thread that claims while a handler slot is free
 * handles the first claimed item itself, so an idle consumer's pickup waits for no other thread),
 * one settling thread, and lease renewal on a scheduler shared by every kernel of the JVM. At most
 * {@code concurrency} items are handled and {@code concurrency + prefetch} held at once (claimed
 * and not yet settled, so a slow Redis slows claiming too); a claim asks for everything free, so
 * fast handlers are not bound by claim round trips. Settlements are group-committed. Redis trouble makes the failing step back off and try again; a lost lease
 * means the item is not settled here (its new holder does that).
 *
 * <p>What it does is counted in {@link #stats()} and reported to {@code options.metrics()} under
 * the given {@link MetricSource}: {@code DELIVERED}, {@code HANDLED}, {@code FAILED}, {@code
 * RETRIED}, {@code DEAD_LETTERED}, {@code LEASE_LOST}, {@code GIVEN_BACK}, {@code HANDLER_TIME},
 * {@code DELIVERY_LAG} (when the store knows due times) and {@code IN_FLIGHT}.
 *
 * <p>{@link #close()} stops claiming, gives unstarted items back, waits up to {@code
 * shutdownGrace} for running handlers (then interrupts them), settles what finished, and leaves
 * no thread behind. Items of a consumer that dies without closing stay leased until their lease
 * expires; the store then hands them out again (at-least-once).
 *
 * <pre>{@code
 * ConsumerKernel<Job> k = ConsumerKernel.start(store, job -> send(job),
 *     ConsumerOptions.builder().concurrency(8).build(), "redis-ext-worker",
 *     MetricSource.of("worker", "{jobs}"));
 * ...
 * k.close();
 * }</pre>
 *
 * @param <I> the store's item type
 */
public final class ConsumerKernel<I> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsumerKernel.class);
  /** Renews leases of every kernel of the JVM. */
  private static final ScheduledExecutorService RENEWALS = Executors.newScheduledThreadPool(2,
      NamedThreads.factory("redis-ext-core-lease-renewal", true));
  private static final Backoff REDIS_BACKOFF = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));
  private static final Duration SETTLE_GIVE_UP = Duration.ofSeconds(10);
  /** Most settlements in one {@link LeasedStore#settle} call. */
  static final int MAX_SETTLE_BATCH = 1000;
  /** Most items in one claim. */
  static final int MAX_CLAIM = 1000;

  /** Handles one item; an exception is a failed attempt ({@link DeadLetterException}: no retry). */
  @FunctionalInterface
  public interface Handler<I> {
    /** Handles {@code item}. */
    void handle(I item) throws Exception;
  }

  private final LeasedStore<I> store;
  private final Handler<I> handler;
  private final ConsumerOptions options;
  private final String name;
  private final Metrics metrics;
  private final ThreadFactory threads;
  private final Backoff retryBackoff;

  private final Semaphore slots;
  private final Semaphore wake = new Semaphore(0);
  private final TurnQueue<I> turns;
  private final LinkedBlockingQueue<Settlement<I>> settleQueue = new LinkedBlockingQueue<>();
  /** Claimed and not yet settled (identity: stores' items need not implement equals). */
  private final Set<I> held = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<I> lost = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  /** The items of the settlement batch being written (a renewal finding them gone is not a loss). */
  private volatile Set<I> sending = Set.of();
  /** lost.size(), readable without the lock: handlers skip the lock while nothing was lost. */
  private volatile int lostCount;
  private final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
  /** Handler threads inside {@code handler.handle} now (the ones a shutdown grace waits for). */
  private final Set<Thread> busy = ConcurrentHashMap.newKeySet();
  private final List<Thread> allThreads = new ArrayList<>();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong leaseLost = new AtomicLong();
  private final AtomicLong givenBack = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private long reportedHandled; // settler thread only
  private long reportedFailed; // settler thread only
  private int claimErrors; // the claiming turn's holder only (the turn passes under a lock)

  private volatile boolean stopping;
  private volatile boolean settlerStop;
  private volatile boolean cleanShutdown = true;
  private ScheduledFuture<?> renewal;
  private Thread settler;

  private ConsumerKernel(LeasedStore<I> store, Handler<I> handler, ConsumerOptions options,
      String threadPrefix, Metrics metrics) {
    this.store = Args.notNull(store, "store");
    this.handler = Args.notNull(handler, "handler");
    this.options = Args.notNull(options, "options");
    this.metrics = Args.notNull(metrics, "metrics");
    this.name = metrics.source().toString();
    this.threads = NamedThreads.factory(Args.notBlank(threadPrefix, "threadPrefix"), false);
    this.retryBackoff = Backoff.exponential(options.retryInitial(), options.retryMax());
    this.slots = new Semaphore(options.concurrency() + options.prefetch());
    this.turns = new TurnQueue<>(options.concurrency());
  }

  /**
   * Starts a kernel.
   *
   * @param threadPrefix names its threads {@code threadPrefix-N} (e.g. {@code redis-ext-worker})
   * @param source what it consumes, for logs and metrics (e.g. {@code MetricSource.of("worker",
   *     "{jobs}")})
   */
  public static <I> ConsumerKernel<I> start(LeasedStore<I> store, Handler<I> handler,
      ConsumerOptions options, String threadPrefix, MetricSource source) {
    Args.notNull(options, "options");
    return start(store, handler, options, threadPrefix,
        Metrics.of(options.metrics(), Args.notNull(source, "source")));
  }

  /**
   * Starts a kernel reporting to {@code metrics} (build it with {@link Metrics#of(
   * redis.clients.jedis.UnifiedJedis, io.github.redisext.core.metrics.MetricsListener,
   * MetricSource)} so listeners bound to the client hear it too); {@code options.metrics()} is
   * not consulted.
   *
   * @param threadPrefix names its threads {@code threadPrefix-N} (e.g. {@code redis-ext-worker})
   * @param metrics where it reports, and whose source names it in logs
   */
  public static <I> ConsumerKernel<I> start(LeasedStore<I> store, Handler<I> handler,
      ConsumerOptions options, String threadPrefix, Metrics metrics) {
    ConsumerKernel<I> k = new ConsumerKernel<>(store, handler, options, threadPrefix, metrics);
    k.startThreads();
    return k;
  }

  private synchronized void startThreads() {
    for (int i = 0; i <= options.concurrency(); i++) {
      Thread t = threads.newThread(this::workLoop);
      handlerThreads.add(t);
      allThreads.add(t);
    }
    settler = threads.newThread(this::settleLoop);
    allThreads.add(settler);
    allThreads.forEach(Thread::start);
    long every = Math.max(10, options.lease().toMillis() / 3);
    renewal = RENEWALS.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** Claims again at once (e.g. a pub/sub message said items are due). Cheap; any thread. */
  public void wakeUp() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
    store.wakeUp();
  }

  /** Whether the calling thread is one of this kernel's consumer (claiming and handling) threads. */
  public boolean isHandlerThread() {
    return handlerThreads.contains(Thread.currentThread());
  }

  /** The counters now. */
  public ConsumerStats stats() {
    int h;
    synchronized (held) {
      h = held.size();
    }
    return new ConsumerStats(claimed.get(), handled.get(), failed.get(), retried.get(),
        deadLettered.get(), leaseLost.get(), givenBack.get(), running.get(), h);
  }

  /** Whether it has shut down. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** Waits until it has shut down; true if it did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  // ------------------------------------------------------------------ claiming

  /** A consumer thread: claims when it holds the turn, else handles claimed items. */
  @SuppressWarnings("unchecked")
  private void workLoop() {
    while (true) {
      Object o = turns.next();
      if (o == TurnQueue.Signal.EXIT) {
        return;
      }
      I item = o == TurnQueue.Signal.CLAIM ? claimTurn() : (I) o;
      if (item != null) {
        try {
          process(item); // its slot is released once it is settled (or its lease is lost)
        } finally {
          turns.done();
        }
      }
    }
  }

  /**
   * Claims until a claim brings items: returns the first to handle on this thread (the turn has
   * passed on), or null (the items are queued for the handling threads, or the kernel stops; the
   * turn has passed on or ended).
   */
  private I claimTurn() {
    while (!stopping) {
      List<I> items = claimOnce();
      if (!items.isEmpty()) {
        I first = turns.claimed(items);
        if (first != null || stopping) {
          return first;
        }
        // every handler slot is busy: this thread claims on (up to the prefetch)
      }
    }
    turns.endTurn();
    return null;
  }

  /** One claim of as many items as are free; empty after a wait, a failure or at shutdown. */
  private List<I> claimOnce() {
    try {
      if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        return List.of();
      }
    } catch (InterruptedException e) {
      return List.of(); // an interrupt left over from a handler: the loop sees a stop
    }
    int n = 1;
    int extra = Math.min(slots.availablePermits(), MAX_CLAIM - 1);
    if (extra > 0 && slots.tryAcquire(extra)) {
      n += extra;
    }
    if (stopping) {
      slots.release(n);
      return List.of();
    }
    wake.drainPermits();
    LeasedStore.Claim<I> c;
    try {
      c = store.claim(n, options.lease(), options.idleWait());
      if (claimErrors > 0) {
        log.info("{}: Redis answers again; claiming resumes", name);
      }
      claimErrors = 0;
    } catch (RuntimeException e) {
      slots.release(n);
      claimErrors++;
      if (!stopping) {
        log.warn("{}: claim failed ({}: {}); retrying with backoff (attempt {})", name,
            e.getClass().getSimpleName(), e.getMessage(), claimErrors);
        pause(REDIS_BACKOFF.jittered(claimErrors));
      }
      return List.of();
    }
    List<I> items = c.items();
    if (items.size() > n) {
      slots.release(n); // a store bug: its items stay leased and are delivered again
      claimErrors++;
      log.error("{}: store claimed {} items, more than the {} asked for; they are not handled "
          + "here and are delivered again when their lease expires", name, items.size(), n);
      pause(REDIS_BACKOFF.jittered(claimErrors));
      return List.of();
    }
    slots.release(n - items.size());
    if (!items.isEmpty()) {
      synchronized (held) {
        held.addAll(items);
      }
      claimed.addAndGet(items.size());
      metrics.count(Metric.DELIVERED, items.size());
      reportInFlight();
      return items;
    }
    Duration wait = options.idleWait();
    if (c.nextDue() != null && c.nextDue().compareTo(wait) < 0) {
      wait = c.nextDue();
    }
    pause(wait);
    return List.of();
  }

  /** Waits for {@code d}, a wake-up or shutdown. */
  private void pause(Duration d) {
    if (d.isZero() || d.isNegative() || stopping) {
      return;
    }
    try {
      if (wake.tryAcquire(d.toNanos(), TimeUnit.NANOSECONDS)) {
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ handling

  private void process(I item) {
    if (takeLost(item) || !prepare(item)) {
      slots.release();
      return;
    }
    running.incrementAndGet();
    long started = 0;
    if (metrics.timed()) {
      started = System.nanoTime();
      long due = store.dueAtMillis(item);
      if (due >= 0) {
        metrics.time(Metric.DELIVERY_LAG,
            Math.max(0, System.currentTimeMillis() - due) * 1_000_000L);
      }
    }
    Settlement<I> s;
    busy.add(Thread.currentThread());
    try {
      handler.handle(item);
      handled.incrementAndGet(); // reported to the metrics by the settler, in sums
      if (metrics.timed()) {
        metrics.time(Metric.HANDLER_TIME, System.nanoTime() - started);
      }
      s = Settlement.ack(item);
    } catch (Throwable e) {
      failed.incrementAndGet();
      if (metrics.timed()) {
        metrics.time(Metric.HANDLER_TIME, System.nanoTime() - started);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      int attempt = store.attempt(item);
      String error = describe(e);
      if (e instanceof DeadLetterException || attempt >= options.maxAttempts()) {
        log.warn("{}: item {} failed on attempt {} of {} and goes to the dead letters: {}", name,
            store.describe(item), attempt, options.maxAttempts(), error, e);
        s = Settlement.deadLetter(item, error);
      } else {
        Duration delay = options.retryJitter() ? retryBackoff.jittered(attempt)
            : retryBackoff.delay(attempt);
        log.warn("{}: item {} failed on attempt {} of {}; retrying in {} ms: {}", name,
            store.describe(item), attempt, options.maxAttempts(), delay.toMillis(), error, e);
        s = Settlement.retry(item, delay, error);
      }
    } finally {
      busy.remove(Thread.currentThread());
      running.decrementAndGet();
    }
    if (takeLost(item)) {
      slots.release();
      return; // its lease expired meanwhile: its new holder settles it
    }
    settleQueue.add(s);
  }

  /**
   * {@link LeasedStore#prepare}; false (the item forgotten here: set aside by the store, or left
   * to its lease after a failure) if the handler must not run.
   */
  private boolean prepare(I item) {
    boolean ready;
    try {
      ready = store.prepare(item);
    } catch (RuntimeException e) {
      log.warn("{}: readying item {} for its handler failed ({}: {}); it stays leased and is "
          + "delivered again when its lease expires", name, store.describe(item),
          e.getClass().getSimpleName(), e.getMessage());
      ready = false;
    }
    if (!ready) {
      synchronized (held) {
        held.remove(item);
        if (lostCount > 0 && lost.remove(item)) {
          lostCount = lost.size();
        }
      }
      reportInFlight();
    }
    return ready;
  }

  /** Whether {@code item}'s lease was lost; forgets it then (nothing more is done with it). */
  private boolean takeLost(I item) {
    if (lostCount == 0) {
      return false; // written under the lock before an item is marked lost: safe to skip it
    }
    synchronized (held) {
      boolean was = lost.remove(item);
      lostCount = lost.size();
      return was;
    }
  }

  static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  // ------------------------------------------------------------------ renewing

  private void renew() {
    List<I> snapshot;
    synchronized (held) {
      snapshot = new ArrayList<>(held);
      snapshot.removeAll(lost); // identity-based: both are identity sets' contents
    }
    try {
      Collection<I> gone = store.renew(snapshot, options.lease());
      if (!gone.isEmpty()) {
        int lostNow = 0;
        synchronized (held) {
          Set<I> settling = sending;
          for (I i : gone) {
            if (settling.contains(i)) {
              continue; // settled while the renewal ran: done, not lost
            }
            if (held.remove(i)) {
              lost.add(i);
              lostCount = lost.size();
              leaseLost.incrementAndGet();
              metrics.count(Metric.LEASE_LOST, 1);
              lostNow++;
            }
          }
        }
        if (lostNow > 0) {
          log.warn("{}: the lease of {} held items was lost (they expired and were taken back); "
              + "they are not settled here", name, lostNow);
        }
      }
    } catch (RuntimeException e) {
      log.warn("{}: renewing {} leases failed ({}: {}); retrying at the next tick", name,
          snapshot.size(), e.getClass().getSimpleName(), e.getMessage());
    }
  }

  // ------------------------------------------------------------------ settling

  private void settleLoop() {
    List<Settlement<I>> batch = new ArrayList<>();
    int errors = 0;
    long giveUpAt = Long.MAX_VALUE;
    while (true) {
      if (batch.isEmpty()) {
        Settlement<I> s;
        try {
          s = settleQueue.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          s = null;
          settlerStop = true;
        }
        if (s == null) {
          reportOutcomes();
          if (settlerStop && settleQueue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(s);
        settleQueue.drainTo(batch, MAX_SETTLE_BATCH - 1);
      }
      try {
        Set<I> inBatch = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Settlement<I> s : batch) {
          inBatch.add(s.item());
        }
        sending = inBatch;
        store.settle(List.copyOf(batch));
        errors = 0;
        slots.release(batch.size());
        synchronized (held) {
          for (Settlement<I> s : batch) {
            held.remove(s.item());
            if (lostCount > 0 && lost.remove(s.item())) {
              lostCount = lost.size();
            }
          }
          sending = Set.of();
        }
        reportOutcomes(); // first: an item's attempt is counted before its retry or dead letter
        for (Settlement<I> s : batch) {
          switch (s.outcome()) {
            case RETRY -> {
              retried.incrementAndGet();
              metrics.count(Metric.RETRIED, 1);
            }
            case DEAD_LETTER -> {
              deadLettered.incrementAndGet();
              metrics.count(Metric.DEAD_LETTERED, 1);
            }
            default -> { }
          }
        }
        batch.clear();
        reportInFlight();
      } catch (RuntimeException e) {
        errors++;
        if (settlerStop) {
          giveUpAt = Math.min(giveUpAt, System.nanoTime() + SETTLE_GIVE_UP.toNanos());
          if (System.nanoTime() > giveUpAt) {
            log.warn("{}: giving up settling {} items at shutdown ({}); they stay leased and are "
                + "delivered again when their lease expires", name,
                batch.size() + settleQueue.size(), e.getMessage());
            reportOutcomes();
            return;
          }
        }
        log.warn("{}: settling {} items failed ({}: {}); retrying (attempt {})", name, batch.size(),
            e.getClass().getSimpleName(), e.getMessage(), errors);
        REDIS_BACKOFF.sleep(errors);
      }
    }
  }

  /**
   * Reports the handled and failed attempts counted since the last report (on the settler thread:
   * one listener call per settled batch instead of one per item; the sums stay exact).
   */
  private void reportOutcomes() {
    long h = handled.get();
    long f = failed.get();
    metrics.count(Metric.HANDLED, h - reportedHandled);
    metrics.count(Metric.FAILED, f - reportedFailed);
    reportedHandled = h;
    reportedFailed = f;
  }

  private void reportInFlight() {
    if (metrics.timed()) {
      int h;
      synchronized (held) {
        h = held.size();
      }
      metrics.gauge(Metric.IN_FLIGHT, h);
    }
  }

  // ------------------------------------------------------------------ shutdown

  /**
   * Stops: no more claims, unstarted items given back, running handlers awaited up to {@code
   * shutdownGrace} (then interrupted), finished items settled, every thread ended. Idempotent.
   */
  @Override
  public void close() {
    close(options.shutdownGrace());
  }

  /**
   * {@link #close()} with another grace for the running handlers (e.g. a caller's own timeout).
   *
   * @param grace 0 to {@link ConsumerOptions#MAX_DURATION}
   * @return true if every running handler finished within {@code grace} (none was interrupted);
   *     on a second call, whether the first one had
   * @throws IllegalArgumentException if {@code grace} is negative or longer than {@link
   *     ConsumerOptions#MAX_DURATION}
   */
  public boolean close(Duration grace) {
    Args.inRange(grace, Duration.ZERO, ConsumerOptions.MAX_DURATION, "grace");
    synchronized (this) {
      if (stopping) {
        awaitQuietly();
        return cleanShutdown;
      }
      stopping = true;
    }
    wakeUp();
    List<I> unstarted = new ArrayList<>();
    for (I item : turns.close(Duration.ofSeconds(30))) {
      slots.release();
      if (!takeLost(item)) {
        unstarted.add(item);
      }
    }
    giveBack(unstarted);
    turns.exit();
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread t : handlerThreads) {
      join(t, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    for (Thread t : handlerThreads) {
      if (t.isAlive() && !busy.contains(t)) {
        join(t, Duration.ofSeconds(5)); // idle: it is only on its way out
      }
      if (t.isAlive()) {
        cleanShutdown = false;
        log.warn("{}: a handler still runs after the shutdown grace of {}; interrupting it", name,
            grace);
        t.interrupt();
        join(t, Duration.ofSeconds(5));
      }
    }
    settlerStop = true;
    join(settler, SETTLE_GIVE_UP.plusSeconds(5));
    renewal.cancel(false);
    terminated.countDown();
    log.info("{}: consumer stopped ({})", name, stats());
    return cleanShutdown;
  }

  private void giveBack(List<I> unstarted) {
    if (unstarted.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        store.giveBack(unstarted);
        synchronized (held) {
          unstarted.forEach(held::remove);
        }
        givenBack.addAndGet(unstarted.size());
        metrics.count(Metric.GIVEN_BACK, unstarted.size());
        reportInFlight();
        return;
      } catch (RuntimeException e) {
        if (attempt >= 5) {
          log.warn("{}: giving back {} unstarted items failed ({}); they stay leased and are "
              + "delivered again when their lease expires", name, unstarted.size(), e.getMessage());
          return;
        }
        REDIS_BACKOFF.sleep(attempt);
      }
    }
  }

  private void awaitQuietly() {
    try {
      terminated.await(options.shutdownGrace().plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t, Duration d) {
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
