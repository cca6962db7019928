package io.github.redisext.fastset.internal;

import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.fastset.FastSetOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * How an instance hears of other writers: the refresh timer, which marks a version check due
 * every {@link FastSetOptions#refreshInterval()}, and the pub/sub subscription to {@code
 * <key>:changed}, which hands every change message (and every (re)subscription) to the {@link
 * Follower}. Either may be off. Threads are daemons named {@code redis-ext-fastset-N}; {@link
 * #close()} stops and joins them.
 */
final class Invalidation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Invalidation.class);
  private static final ThreadFactory THREADS = NamedThreads.factory("redis-ext-fastset", true);

  private final String name;
  /** The timer's threads, joined by close(): an executor counts as terminated a moment early. */
  private final List<Thread> timerThreads = new CopyOnWriteArrayList<>();
  private ScheduledThreadPoolExecutor timer;
  private RedisSubscriber subscriber;

  private Invalidation(String name) {
    this.name = name;
  }

  /**
   * Starts what the options ask for; with push invalidation waits up to {@link
   * FastSetOptions#subscribeTimeout()} for the first subscription (then goes on, with a WARN).
   */
  static Invalidation start(UnifiedJedis client, String name, String channel,
      FastSetOptions options, Follower<?> follower) {
    Invalidation inv = new Invalidation(name);
    try {
      inv.startTimer(options, follower);
      if (options.pushInvalidation()) {
        inv.subscriber = RedisSubscriber.start(client, THREADS, follower, channel);
        Duration wait = options.subscribeTimeout();
        if (!follower.awaitFirstSubscription(wait.toMillis()) && !wait.isZero()) {
          log.warn("FastSet '{}': not subscribed to {} after {}; going on with timeout refresh "
              + "until the subscription is up", name, channel, wait);
        }
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      inv.close();
      throw new RedisExtException("interrupted while subscribing FastSet '" + name + "'", ie);
    } catch (RuntimeException e) {
      inv.close();
      throw e;
    }
    return inv;
  }

  private void startTimer(FastSetOptions options, Follower<?> follower) {
    if (options.refreshInterval().isZero()) {
      return; // every read checks: nothing to mark
    }
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = THREADS.newThread(r);
      timerThreads.add(th);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    long ms = Math.max(1, options.refreshInterval().toMillis());
    t.scheduleAtFixedRate(follower::markCheckDue, ms, ms, TimeUnit.MILLISECONDS);
    timer = t;
  }

  /** Whether push invalidation is currently subscribed. */
  boolean subscribed() {
    RedisSubscriber s = subscriber;
    return s != null && s.isSubscribed();
  }

  /** Stops the subscription and the timer and waits for their threads. */
  @Override
  public void close() {
    RedisSubscriber s = subscriber;
    if (s != null) {
      s.close();
    }
    ScheduledThreadPoolExecutor t = timer;
    if (t != null) {
      t.shutdownNow();
      try {
        if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("FastSet '{}': refresh timer did not stop within 5 s", name);
        }
        for (Thread th : timerThreads) {
          th.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
