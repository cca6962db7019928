package io.github.redisext.timers.internal.lock;

import io.github.redisext.core.support.NamedThreads;
import io.github.redisext.core.support.RedisSubscriber;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * What every lock of one {@link UnifiedJedis} shares (one instance per client, found by identity
 * and counted by reference: each open {@link io.github.redisext.timers.RedisLock} holds one):
 *
 * <ul>
 *   <li>one watchdog scheduler, a single thread {@code redis-ext-lock-watchdog-N} started at the
 *       first acquisition that renews, on which every held lock's renewal runs;
 *   <li>one pub/sub subscription ({@code redis-ext-lock-subscriber-N}, core's {@link
 *       RedisSubscriber}) to {@link LockEngine#CHANNEL}, started when a lock of this client first
 *       waits. Every unlock publishes {@code <client id> <lock key>} there from its release script,
 *       so one subscription serves every lock: a message wakes the head of that lock's {@link
 *       WaitLine}. A client's own releases are not taken from the channel: its unlock wakes the
 *       local head directly, without waiting for the message to come back;
 *   <li>the {@link WaitLine} of its waiters and the prefix of its owner tokens.
 * </ul>
 *
 * When the last lock of the client is closed both threads stop and the subscription's connection
 * goes back to the pool. Thread-safe.
 */
public final class LockClient {
  private static final Map<UnifiedJedis, LockClient> CLIENTS = new IdentityHashMap<>();
  private static final ThreadFactory WATCHDOG_THREADS =
      NamedThreads.factory("redis-ext-lock-watchdog", true);
  private static final ThreadFactory SUBSCRIBER_THREADS =
      NamedThreads.factory("redis-ext-lock-subscriber", true);

  private final UnifiedJedis client;
  private final LockEngine engine;
  private final WaitLine line = new WaitLine();
  /** 32 hex digits, random per client instance: prefix of tokens and of release messages. */
  private final String id = HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits())
      + HexFormat.of().toHexDigits(UUID.randomUUID().getLeastSignificantBits());
  private final AtomicLong tokens = new AtomicLong();
  /** Open locks using this instance; guarded by {@link #CLIENTS}. */
  private int refs;
  private ScheduledThreadPoolExecutor watchdog; // guarded by this
  private RedisSubscriber subscriber; // guarded by this
  private boolean shut; // guarded by this

  private LockClient(UnifiedJedis client) {
    this.client = client;
    this.engine = new LockEngine(client);
  }

  /** The shared resources of {@code client}, counting one more user; pair with {@link #close()}. */
  public static LockClient open(UnifiedJedis client) {
    synchronized (CLIENTS) {
      LockClient c = CLIENTS.computeIfAbsent(client, LockClient::new);
      c.refs++;
      return c;
    }
  }

  /** One user less; the last one stops the watchdog and the subscription. */
  public void close() {
    synchronized (CLIENTS) {
      if (--refs > 0) {
        return;
      }
      CLIENTS.remove(client);
    }
    ScheduledThreadPoolExecutor w;
    RedisSubscriber s;
    synchronized (this) {
      shut = true;
      w = watchdog;
      s = subscriber;
      watchdog = null;
      subscriber = null;
    }
    if (w != null) {
      w.shutdownNow(); // no lock of this client is held any more: nothing is running or due
    }
    if (s != null) {
      s.close();
    }
  }

  /** The script runner. */
  public LockEngine engine() {
    return engine;
  }

  /** A new owner token, unique across clients and processes. */
  public String newToken() {
    return id + "-" + tokens.incrementAndGet();
  }

  /** Whether some lock of this client waits for {@code lockKey} (a new one then joins the line). */
  public boolean hasWaiters(String lockKey) {
    return line.busy(lockKey);
  }

  /**
   * Waits in line for {@code lockKey} (see {@link WaitLine#await}), subscribed to releases.
   *
   * @throws InterruptedException if interrupted
   */
  public boolean await(String lockKey, long deadlineNanos, LongSupplier attempt)
      throws InterruptedException {
    subscribe();
    return line.await(lockKey, deadlineNanos, attempt);
  }

  /**
   * Releases {@code token}'s hold on {@code lockKey}, telling other clients on the channel and this
   * client's waiters directly.
   *
   * @return false when the lock was not ours (nothing changed)
   */
  public boolean release(String lockKey, String token) {
    if (!engine.release(lockKey, token, id + " " + lockKey)) {
      return false;
    }
    line.released(lockKey);
    return true;
  }

  /** Runs {@code renewal} every {@code periodMs} on the shared watchdog thread. */
  public synchronized ScheduledFuture<?> every(long periodMs, Runnable renewal) {
    if (shut) {
      throw new IllegalStateException("the lock resources of this client were closed");
    }
    if (watchdog == null) {
      watchdog = new ScheduledThreadPoolExecutor(1, WATCHDOG_THREADS);
      watchdog.setRemoveOnCancelPolicy(true);
    }
    return watchdog.scheduleWithFixedDelay(renewal, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private synchronized void subscribe() {
    if (subscriber != null || shut) {
      return;
    }
    subscriber = RedisSubscriber.start(client, SUBSCRIBER_THREADS, new RedisSubscriber.Listener() {
      @Override
      public void onMessage(String channel, String message) {
        int space = message.indexOf(' ');
        if (space < 0 || (space == id.length() && message.startsWith(id))) {
          return; // not ours to read, or a release of this client (its waiters were told)
        }
        line.released(message.substring(space + 1));
      }

      @Override
      public void onSubscribed() {
        line.releasedAll(); // whatever was released before (re)subscribing: look again
      }
    }, LockEngine.CHANNEL);
  }
}
