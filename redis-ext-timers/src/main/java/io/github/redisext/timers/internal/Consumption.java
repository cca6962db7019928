package io.github.redisext.timers.internal;

import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers' consuming loop ({@code Timers.start()} / {@code runForever()}): the core {@link
 * ConsumerKernel} over a {@link TimersStore}, woken by {@link WakeUps}. At most one loop runs per
 * {@code Timers}; a loop ended by an interrupted {@code runForever()} may be started again.
 */
public final class Consumption implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Consumption.class);

  private final TimersRedis redis;
  private final TimersStore store;
  private final Firing<?> firing;
  private final ConsumerOptions kernelOptions;
  private final Metrics metrics;
  private final MetricSource source;
  private final boolean wakeUps;
  private final boolean firesNothing;

  private ConsumerKernel<DueTimer> kernel;
  private WakeUps subscription;
  private CountDownLatch stopped;
  private boolean closed;

  /**
   * A loop over {@code store}.
   *
   * @param kernelOptions the consumer options as the kernel needs them (idle wait = the longest
   *     jittered one: the store returns the actual wait)
   * @param firesNothing concurrency 0 (as redis-timers): the loop runs but claims nothing
   */
  public Consumption(TimersRedis redis, TimersStore store, Firing<?> firing,
      ConsumerOptions kernelOptions, Metrics metrics, boolean wakeUps, boolean firesNothing) {
    this.redis = redis;
    this.store = store;
    this.firing = firing;
    this.kernelOptions = kernelOptions;
    this.metrics = metrics;
    this.source = metrics.source();
    this.wakeUps = wakeUps;
    this.firesNothing = firesNothing;
  }

  /**
   * Starts the loop on background threads.
   *
   * @throws IllegalStateException if it runs already or this was closed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("timers '" + source.name() + "' are closed");
    }
    if (stopped != null) {
      throw new IllegalStateException("the timers loop of '" + source.name()
          + "' is already running");
    }
    stopped = new CountDownLatch(1);
    if (firesNothing) {
      log.info("timers loop of '{}' started with concurrency 0: it fires nothing", source.name());
      return;
    }
    store.capacity(kernelOptions.concurrency() + kernelOptions.prefetch());
    kernel = ConsumerKernel.start(store, firing::fire, kernelOptions, Threads.PREFIX, metrics);
    if (wakeUps) {
      ConsumerKernel<DueTimer> k = kernel;
      subscription = WakeUps.listen(redis, store, k::wakeUp);
    }
    log.info("timers loop of '{}' started ({} shard(s), concurrency {}, prefetch {})",
        source.name(), redis.keys().shards(), kernelOptions.concurrency(),
        kernelOptions.prefetch());
  }

  /**
   * Runs the loop until {@link #close()} or until the calling thread is interrupted (then the loop
   * stops, giving unstarted timers back, and may be started again).
   *
   * @throws IllegalStateException if it runs already or this was closed
   */
  public void runForever() {
    CountDownLatch latch;
    synchronized (this) {
      start();
      latch = stopped;
    }
    try {
      latch.await();
    } catch (InterruptedException e) {
      stop(kernelOptions.shutdownGrace());
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a loop runs. */
  public synchronized boolean running() {
    return stopped != null;
  }

  private void stop(Duration grace) {
    ConsumerKernel<DueTimer> k;
    WakeUps w;
    CountDownLatch s;
    synchronized (this) {
      k = kernel;
      w = subscription;
      s = stopped;
      kernel = null;
      subscription = null;
      stopped = null;
    }
    if (w != null) {
      w.close();
    }
    if (k != null) {
      k.close(grace);
      log.info("timers loop of '{}' stopped", source.name());
    }
    if (s != null) {
      s.countDown();
    }
  }

  /** Stops the loop (unstarted timers given back, running handlers awaited up to the grace). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    stop(kernelOptions.shutdownGrace());
  }
}
