package io.github.redisext.micrometer.internal;

import io.github.redisext.core.metrics.Instrumented;
import io.github.redisext.core.metrics.Metric;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The levels of one primitive (one metric source) as gauges see them: read from Redis at most
 * once per refresh interval, on a reader thread; a gauge waits for the read it started at most
 * the timeout, and otherwise answers with the last value read (NaN before the first). A read
 * still running is never started twice, so a stuck Redis costs one waiting thread per primitive.
 * Several live objects with the same source (two workers on one queue) share one reader: it reads
 * through whichever is still open.
 */
public final class LevelReader {
  private static final Logger log = LoggerFactory.getLogger(LevelReader.class);

  private final String what;
  private final ExecutorService executor;
  private final long refreshNanos;
  private final long timeoutNanos;
  private final Set<Instrumented> members = new LinkedHashSet<>();
  private Map<Metric, Long> values = new EnumMap<>(Metric.class);
  private Future<Map<Metric, Long>> pending;
  private long readAt;
  private boolean everRead;
  private long lastWarning;

  /** A reader for the primitive {@code what} (for logs). */
  public LevelReader(String what, ExecutorService executor, long refreshNanos,
      long timeoutNanos) {
    this.what = what;
    this.executor = executor;
    this.refreshNanos = refreshNanos;
    this.timeoutNanos = timeoutNanos;
  }

  /** Adds a live object to read through; true if it is the first. */
  public synchronized boolean add(Instrumented p) {
    boolean first = members.isEmpty();
    members.add(p);
    return first;
  }

  /** Removes one; true if none is left. */
  public synchronized boolean remove(Instrumented p) {
    members.remove(p);
    return members.isEmpty();
  }

  /** The current value of {@code metric}, as described above. */
  public double value(Metric metric) {
    Future<Map<Metric, Long>> wait = null;
    synchronized (this) {
      harvest();
      long now = System.nanoTime();
      if (pending == null && !members.isEmpty()
          && (!everRead || now - readAt >= refreshNanos)) {
        Instrumented source = members.iterator().next();
        try {
          pending = executor.submit(source::readLevels);
          wait = pending;
          readAt = now;
          everRead = true;
        } catch (RejectedExecutionException e) {
          // every reader thread is stuck on Redis, or the binding is closed: last value
        }
      }
    }
    if (wait != null) {
      try {
        wait.get(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // answered with the last value; the read goes on and is harvested next time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // reported by harvest()
      }
    }
    synchronized (this) {
      harvest();
      Long v = values.get(metric);
      return v == null ? Double.NaN : v;
    }
  }

  private void harvest() {
    if (pending == null || !pending.isDone()) {
      return;
    }
    Future<Map<Metric, Long>> done = pending;
    pending = null;
    try {
      Map<Metric, Long> read = done.get();
      values = read.isEmpty() ? new EnumMap<>(Metric.class) : new EnumMap<>(read);
    } catch (ExecutionException e) {
      long now = System.currentTimeMillis();
      if (now - lastWarning > 60_000) {
        lastWarning = now;
        log.warn("reading the levels of {} from Redis failed; its gauges keep their last values "
            + "(logged once a minute at most): {}", what, e.getCause().toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.CancellationException e) {
      // closed
    }
  }
}
