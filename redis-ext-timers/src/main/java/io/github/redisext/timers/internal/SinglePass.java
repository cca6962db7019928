package io.github.redisext.timers.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.consumer.DeadLetterException;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Timers.handleReadyTimers()}, Python's {@code handle_ready_timers}: one pass that claims up
 * to {@code concurrency} due timers (every shard, rotating), runs their handlers concurrently with
 * lease renewal, waits for them and settles them through the same store as the kernel, with the
 * kernel's rules (ack; retry with backoff; dead letter after {@code maxAttempts} or when the timer
 * cannot be handled at all). Passes may run from several threads at once.
 */
public final class SinglePass implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SinglePass.class);
  private static final Backoff REDIS_ERRORS = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  private final TimersStore store;
  private final Firing<?> firing;
  private final ConsumerOptions options;
  private final int concurrency;
  private final Backoff retry;
  private final java.util.concurrent.atomic.AtomicInteger rotation =
      new java.util.concurrent.atomic.AtomicInteger();
  private ThreadPoolExecutor handlers;
  private ScheduledThreadPoolExecutor renewer;
  private volatile boolean closed;

  /** Passes over {@code store}, firing with {@code firing}; {@code concurrency} 0 fires nothing. */
  public SinglePass(TimersStore store, Firing<?> firing, ConsumerOptions options,
      int concurrency) {
    this.store = store;
    this.firing = firing;
    this.options = options;
    this.concurrency = concurrency;
    this.retry = Backoff.exponential(options.retryInitial(), options.retryMax());
  }

  private synchronized void ensureThreads() {
    if (closed) {
      throw new IllegalStateException("the single pass is closed");
    }
    if (handlers == null) {
      handlers = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), Threads.factory());
      handlers.allowCoreThreadTimeOut(true);
      renewer = new ScheduledThreadPoolExecutor(1, Threads.factory());
      renewer.setRemoveOnCancelPolicy(true);
    }
  }

  /** One pass; returns the number of timers claimed. */
  public int run(int shards) {
    if (concurrency == 0) {
      return 0;
    }
    ensureThreads();
    long leaseMs = options.lease().toMillis();
    List<DueTimer> claimed = new ArrayList<>();
    RuntimeException error = null;
    int first = Math.floorMod(rotation.getAndIncrement(), shards);
    for (int k = 0; k < shards && claimed.size() < concurrency; k++) {
      try {
        claimed.addAll(store.claimShard((first + k) % shards, concurrency - claimed.size(),
            leaseMs).timers());
      } catch (RuntimeException e) {
        // e.g. a WrongTypeException naming a key of this shard: the other shards still fire, the
        // error is thrown once the timers claimed so far were handled
        error = error == null ? e : addSuppressed(error, e);
      }
    }
    if (!claimed.isEmpty()) {
      fireAll(claimed, leaseMs);
    }
    if (error != null) {
      throw error;
    }
    return claimed.size();
  }

  private static RuntimeException addSuppressed(RuntimeException error, RuntimeException e) {
    error.addSuppressed(e);
    return error;
  }

  private void fireAll(List<DueTimer> claimed, long leaseMs) {
    Set<DueTimer> running = ConcurrentHashMap.newKeySet();
    running.addAll(claimed);
    Set<DueTimer> lost = ConcurrentHashMap.newKeySet();
    long every = Math.max(10, leaseMs / 3);
    ScheduledFuture<?> renewal = renewer.scheduleWithFixedDelay(() -> {
      try {
        List<DueTimer> now = new ArrayList<>(running);
        now.removeAll(lost);
        lost.addAll(store.renew(now, options.lease()));
      } catch (RuntimeException e) {
        log.warn("renewing the leases of {} running timers failed: {}", running.size(),
            e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    List<Future<Settlement<DueTimer>>> futures = new ArrayList<>(claimed.size());
    for (DueTimer t : claimed) {
      futures.add(handlers.submit(() -> {
        try {
          return fireOne(t);
        } finally {
          running.remove(t);
        }
      }));
    }
    List<Settlement<DueTimer>> settlements = new ArrayList<>(claimed.size());
    for (Future<Settlement<DueTimer>> f : futures) {
      try {
        settlements.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        log.warn("a timer task failed unexpectedly", e.getCause());
      }
    }
    renewal.cancel(false);
    settlements.removeIf(s -> lost.contains(s.item()));
    settle(settlements);
  }

  /** Fires one timer; what to do with it, by the kernel's rules. */
  private Settlement<DueTimer> fireOne(DueTimer t) {
    try {
      firing.fire(t);
      return Settlement.ack(t);
    } catch (Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String error = e.getClass().getName() + (e.getMessage() == null ? "" : ": "
          + e.getMessage());
      int attempt = store.attempt(t);
      if (e instanceof DeadLetterException || attempt >= options.maxAttempts()) {
        if (t.aside == null) {
          log.warn("handler of timer {} failed on attempt {} of {}; it goes to the dead timers",
              t.member, attempt, options.maxAttempts(), e);
        }
        return Settlement.deadLetter(t, error);
      }
      Duration delay = options.retryJitter() ? retry.jittered(attempt) : retry.delay(attempt);
      log.warn("handler of timer {} failed (attempt {} of {}); retrying in {} ms", t.member,
          attempt, options.maxAttempts(), delay.toMillis(), e);
      return Settlement.retry(t, delay, error);
    }
  }

  private void settle(List<Settlement<DueTimer>> settlements) {
    for (int attempt = 1; !settlements.isEmpty(); attempt++) {
      try {
        store.settle(settlements);
        return;
      } catch (WrongTypeException e) {
        // retrying cannot help until someone fixes the key; the script changed nothing
        log.error("could not settle {} timers: {}; they stay where they are and fire again after "
            + "their lease once the key is fixed", settlements.size(), e.getMessage());
        return;
      } catch (RuntimeException e) {
        if (attempt >= 5 || closed && attempt >= 2) {
          log.error("could not settle {} timers after {} tries ({}); they fire again when their "
              + "lease ends", settlements.size(), attempt, e.toString());
          return;
        }
        REDIS_ERRORS.sleep(attempt);
      }
    }
  }

  /** Stops the pass threads (a running pass finishes its handlers first, up to {@code grace}). */
  @Override
  public void close() {
    ThreadPoolExecutor h;
    ScheduledThreadPoolExecutor r;
    synchronized (this) {
      closed = true;
      h = handlers;
      r = renewer;
    }
    if (h != null) {
      h.shutdown();
      try {
        if (!h.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
          h.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        h.shutdownNow();
      }
      r.shutdownNow();
    }
  }
}
