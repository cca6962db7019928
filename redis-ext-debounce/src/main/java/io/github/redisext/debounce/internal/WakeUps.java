package io.github.redisext.debounce.internal;

import io.github.redisext.core.support.RedisSubscriber;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Wakes waiters of one DebounceTask: a generation counter bumped by every pub/sub wake-up (and
 * every (re)subscription, since messages may have been missed), and a condition to sleep on
 * until it changes. Waiters read the generation before they pop, so a wake-up published between
 * their pop and their sleep is never missed.
 */
public final class WakeUps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WakeUps.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long generation;
  private final RedisSubscriber subscriber;
  private final java.util.Set<Runnable> listeners =
      new java.util.concurrent.CopyOnWriteArraySet<>();

  /** Subscribes to {@code channel} on a thread of its own. */
  public WakeUps(UnifiedJedis client, String channel) {
    this.subscriber = RedisSubscriber.start(client, Threads.nextName(),
        new RedisSubscriber.Listener() {
          @Override
          public void onMessage(String ch, String message) {
            signal();
          }

          @Override
          public void onSubscribed() {
            log.debug("subscribed to wake-ups on {}", channel);
            signal();
          }
        }, channel);
  }

  /** Whether the subscription is up (while it is not, waiters should sleep only briefly). */
  public boolean subscribed() {
    return subscriber.isSubscribed();
  }

  /** The current generation. */
  public long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /** Also calls {@code listener} on every wake-up (a consumer kernel's wakeUp). */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** Wakes every waiter and listener. */
  public void signal() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /**
   * Sleeps up to {@code nanos} unless the generation has moved on from {@code seen}.
   *
   * @return true if woken by a change
   */
  public boolean awaitChange(long seen, long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = nanos;
      while (generation == seen) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    subscriber.close();
    signal();
  }
}
