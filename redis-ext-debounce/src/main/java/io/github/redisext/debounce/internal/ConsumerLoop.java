package io.github.redisext.debounce.internal;

import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.debounce.DebounceConsumer;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.TaskHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: a dispatcher thread claims due tasks (with a lease) as handler threads come
 * free, a fixed pool runs the handler, a scheduler renews the leases of running handlers.
 *
 * @param <T> the task type
 */
public final class ConsumerLoop<T> implements DebounceConsumer {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

  private static final Backoff RETRY_BACKOFF = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  private final Engine<T> engine;
  private final TaskHandler<? super T> handler;
  private final int threads;
  private final Semaphore free;
  private final ExecutorService pool;
  private final ScheduledExecutorService renewer;
  private final Thread dispatcher;
  private final String id = UUID.randomUUID().toString().substring(0, 13);
  private final AtomicLong claims = new AtomicLong();
  /** member -> token of every running handler. */
  private final Map<String, String> leased = new ConcurrentHashMap<>();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean closed;

  /** Starts a consumer loop. */
  public ConsumerLoop(Engine<T> engine, TaskHandler<? super T> handler) {
    this.engine = engine;
    this.handler = handler;
    engine.wakeUps(); // fails on a closed instance before any thread is started
    this.threads = engine.options().consumerThreads();
    this.free = new Semaphore(threads);
    this.pool = Executors.newFixedThreadPool(threads, Threads.daemonFactory());
    this.renewer = Executors.newSingleThreadScheduledExecutor(Threads.daemonFactory());
    long every = Math.max(30, engine.options().lease().toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    this.dispatcher = Threads.daemonFactory().newThread(this::dispatch);
    dispatcher.start();
    log.info("debounce task '{}': consumer {} started with {} handler thread(s)",
        engine.keys().tasks(), id, threads);
  }

  private void dispatch() {
    int failures = 0;
    while (running) {
      int permits = 0;
      int started = 0;
      try {
        free.acquire();
        permits = 1 + free.drainPermits();
        if (!running) {
          break;
        }
        String token = id + ":" + claims.incrementAndGet();
        List<String> members = engine.awaitMembers(permits, token, Long.MAX_VALUE, () -> running);
        failures = 0;
        for (String m : members) {
          T task = engine.decodeOrDeadLetter(m, token);
          if (task == null) {
            continue;
          }
          leased.put(m, token);
          started++;
          pool.execute(() -> run(m, token, task));
        }
      } catch (InterruptedException e) {
        if (running) {
          log.warn("debounce task '{}': consumer {} dispatcher interrupted; stopping",
              engine.keys().tasks(), id);
        }
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failures++;
        log.warn("debounce task '{}': consumer {} failed to claim tasks ({}); retrying (attempt {})",
            engine.keys().tasks(), id, e.toString(), failures);
        free.release(permits - started);
        permits = started;
        if (!RETRY_BACKOFF.sleep(failures)) {
          return;
        }
      } finally {
        free.release(permits - started);
      }
    }
  }

  private void run(String member, String token, T task) {
    try {
      boolean ok;
      Throwable failure = null;
      try {
        handler.handle(task);
        ok = true;
      } catch (Throwable t) {
        ok = false;
        failure = t;
        failed.incrementAndGet();
        engine.countFailed();
        if (t instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (closed && t instanceof InterruptedException) {
          log.warn("debounce task '{}': handler of task {} interrupted by close; it stays leased "
              + "and is delivered again after the lease", engine.keys().tasks(),
              Engine.abbreviate(member));
          return;
        }
      }
      settle(member, token, ok, failure);
    } finally {
      leased.remove(member, token);
      free.release();
    }
  }

  private void settle(String member, String token, boolean ok, Throwable failure) {
    try {
      if (ok) {
        handled.incrementAndGet();
        engine.countHandled();
        if (!engine.ack(member, token)) {
          log.warn("debounce task '{}': lease of task {} ran out before its handler returned; it "
              + "may have been delivered again", engine.keys().tasks(), Engine.abbreviate(member));
        }
      } else {
        Engine.RetryResult r = engine.retry(member, token, String.valueOf(failure));
        if (r.outcome() == 1) {
          log.warn("debounce task '{}': handler failed on task {} (attempt {} of {}); due again "
              + "in {}", engine.keys().tasks(), Engine.abbreviate(member), r.attempts(),
              engine.options().maxAttempts(), r.delay(), failure);
        } else if (r.outcome() == 2) {
          log.error("debounce task '{}': handler failed on task {} (attempt {} of {}); moved to "
              + "'{}'", engine.keys().tasks(), Engine.abbreviate(member), r.attempts(),
              engine.options().maxAttempts(), engine.keys().dead(), failure);
        } else {
          log.warn("debounce task '{}': handler failed on task {}, but its lease had run out (the "
              + "task may have been delivered again); nothing changed", engine.keys().tasks(),
              Engine.abbreviate(member), failure);
        }
      }
    } catch (RuntimeException e) {
      log.warn("debounce task '{}': could not {} task {} ({}); it comes back after its lease",
          engine.keys().tasks(), ok ? "acknowledge" : "put back", Engine.abbreviate(member),
          e.toString());
    }
  }

  private void renew() {
    if (leased.isEmpty()) {
      return;
    }
    try {
      List<Map.Entry<String, String>> pairs = new ArrayList<>(leased.entrySet());
      engine.renew(pairs);
    } catch (RuntimeException e) {
      log.warn("debounce task '{}': consumer {} could not renew {} lease(s): {}",
          engine.keys().tasks(), id, leased.size(), e.toString());
    }
  }

  @Override
  public long handled() {
    return handled.get();
  }

  @Override
  public long failed() {
    return failed.get();
  }

  @Override
  public int inFlight() {
    return leased.size();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void close() {
    close(engine.options().shutdownTimeout());
  }

  @Override
  public synchronized boolean close(Duration timeout) {
    Args.inRange(timeout, Duration.ZERO, DebounceOptions.MAX_DURATION, "timeout");
    if (closed) {
      return true;
    }
    running = false;
    closed = true;
    dispatcher.interrupt();
    boolean clean = true;
    try {
      dispatcher.join(5000);
      pool.shutdown();
      if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        clean = false;
        log.warn("debounce task '{}': consumer {} closing with {} handler(s) still running after "
            + "{}; interrupting them (their tasks come back after the lease)",
            engine.keys().tasks(), id, leased.size(), timeout);
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
      clean = false;
    } finally {
      renewer.shutdownNow();
    }
    log.info("debounce task '{}': consumer {} stopped ({} handled, {} failed)",
        engine.keys().tasks(), id, handled.get(), failed.get());
    return clean;
  }
}
