package io.github.redisext.timers;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.Replies;
import io.github.redisext.timers.internal.Scripts;
import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.timers.internal.Threads;
import io.github.redisext.timers.internal.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A distributed mutual-exclusion lock on Redis with an owner token, compare-and-delete release,
 * a renewing watchdog and fencing tokens.
 *
 * <pre>{@code
 * try (RedisLock lock = RedisLock.create(redis, "invoice-42")) {
 *   if (lock.tryLock(Duration.ofSeconds(2), Duration.ofSeconds(10))) {
 *     long fence = lock.fencingToken();    // pass it to the storage you protect
 *     ...                                  // the watchdog keeps the lease alive meanwhile
 *   }
 * }                                        // close() unlocks if still held
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Mutual exclusion across threads and processes while leases do not run out: the lock is a
 *       key {@code {name}:lock} set with {@code SET NX PX} to a unique owner token.
 *   <li>Only the owner releases or renews: {@link #unlock()} and the watchdog compare the token
 *       inside a script; a stale owner is refused with {@link LockNotHeldException}.
 *   <li>Fencing: every acquisition draws the next value of the counter {@code {name}:fence} in the
 *       same script, so tokens strictly increase in acquisition order. A lease can still be lost
 *       (a GC pause longer than the lease); storage that rejects writes with an older token than
 *       it has seen makes that safe.
 *   <li>Waiting does not poll: a waiter subscribes to {@code {name}:released}, published at every
 *       unlock, and otherwise sleeps until the current lease would end.
 * </ul>
 *
 * <p>One instance stands for one would-be owner: give each thread or task its own instance (they
 * may share the name and the client). An instance is not reentrant and not meant to be used by
 * several threads at once. Its watchdog runs on a thread named {@code redis-ext-timers-N} that
 * stops for good at {@link #unlock()} or {@link #close()}.
 */
public final class RedisLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisLock.class);
  /** Shortest lease of {@link #tryLock(Duration, Duration)}: 30 ms. */
  public static final Duration MIN_LEASE = Duration.ofMillis(30);
  /**
   * Longest lease of {@link #tryLock(Duration, Duration)}: 100 years (36,525 days), far below what
   * Redis's {@code PX} accepts and within every nanosecond computation of the watchdog.
   */
  public static final Duration MAX_LEASE = Duration.ofDays(36_525);
  /** Longest wait of {@link #tryLock(Duration, Duration)}: 100 years (36,525 days). */
  public static final Duration MAX_WAIT = Duration.ofDays(36_525);

  private final UnifiedJedis client;
  private final String name;
  private final String lockKey;
  private final String fenceKey;
  private final String channel;
  private final LockOptions options;

  private final Object state = new Object();
  private String token;
  private long fencingToken = -1;
  private ScheduledExecutorService watchdog;

  private RedisLock(UnifiedJedis client, String name, LockOptions options) {
    KeySpace keys = KeySpace.tagged(name);
    this.client = client;
    this.name = name;
    this.lockKey = keys.key("lock");
    this.fenceKey = keys.key("fence");
    this.channel = keys.key("released");
    this.options = options;
  }

  /**
   * A lock named {@code name} with default options (auto-renewal on).
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the name is blank or contains braces
   */
  public static RedisLock create(UnifiedJedis client, String name) {
    return create(client, name, LockOptions.defaults());
  }

  /**
   * A lock named {@code name}.
   *
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the name is blank or contains braces
   */
  public static RedisLock create(UnifiedJedis client, String name, LockOptions options) {
    Args.notNull(client, "client");
    Args.notNull(options, "options");
    return new RedisLock(client, name, options);
  }

  /** The lock's name. */
  public String name() {
    return name;
  }

  /** The Redis key holding the owner token: {@code {name}:lock}. */
  public String key() {
    return lockKey;
  }

  /**
   * Tries to acquire the lock, waiting up to {@code wait} for the current owner to release it or
   * for its lease to run out.
   *
   * @param wait how long to wait, zero (try once) up to {@link #MAX_WAIT}
   * @param lease how long the lock lives without renewal, {@link #MIN_LEASE} (30 ms) up to {@link
   *     #MAX_LEASE} (100 years); with {@link LockOptions#autoRenew()} it is renewed every third of
   *     it until {@link #unlock()}
   * @return true if this instance now holds the lock
   * @throws IllegalStateException if this instance already holds it (not reentrant)
   * @throws IllegalArgumentException if wait or lease is out of range (nothing is sent to Redis)
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.WrongTypeException if the lock or fencing key holds another
   *     Redis type than a string (nothing was changed)
   */
  public boolean tryLock(Duration wait, Duration lease) {
    Args.inRange(wait, Duration.ZERO, MAX_WAIT, "wait");
    Args.inRange(lease, MIN_LEASE, MAX_LEASE, "lease");
    synchronized (state) {
      if (token != null) {
        throw new IllegalStateException("lock '" + name + "' is already held by this instance "
            + "(RedisLock is not reentrant)");
      }
    }
    String candidate = Tokens.next();
    long deadline = System.nanoTime() + wait.toNanos();
    long pttl = attempt(candidate, lease);
    if (pttl < 0) {
      return true;
    }
    if (wait.isZero()) {
      return false;
    }
    Semaphore signal = new Semaphore(0);
    RedisSubscriber sub = RedisSubscriber.start(client, Threads.factory(),
        new RedisSubscriber.Listener() {
          @Override
          public void onMessage(String ch, String message) {
            signal.release();
          }

          @Override
          public void onSubscribed() {
            signal.release();
          }
        }, channel);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        long sleep = Math.min(left, TimeUnit.MILLISECONDS.toNanos(pttl > 0 ? pttl + 1 : 10));
        try {
          signal.tryAcquire(sleep, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        signal.drainPermits();
        pttl = attempt(candidate, lease);
        if (pttl < 0) {
          return true;
        }
      }
    } finally {
      sub.close();
    }
  }

  /** One attempt: -1 when acquired, else the owner's remaining lease in ms (0 if unknown). */
  private long attempt(String candidate, Duration lease) {
    List<Object> r = Replies.toList(Scripts.LOCK_ACQUIRE.eval(client, List.of(lockKey, fenceKey),
        List.of(candidate, Long.toString(lease.toMillis()))));
    if (Replies.toLong(r.get(0)) == 1) {
      synchronized (state) {
        token = candidate;
        fencingToken = Replies.toLong(r.get(1));
        if (options.autoRenew()) {
          startWatchdog(candidate, lease);
        }
      }
      return -1;
    }
    return Math.max(0, Replies.toLong(r.get(1)));
  }

  private void startWatchdog(String owner, Duration lease) {
    ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(Threads.factory());
    long period = Math.max(10, lease.toMillis() / 3);
    long[] lastOk = {System.nanoTime()};
    w.scheduleWithFixedDelay(() -> renew(w, owner, lease, lastOk), period, period,
        TimeUnit.MILLISECONDS);
    watchdog = w;
  }

  private void renew(ScheduledExecutorService w, String owner, Duration lease, long[] lastOk) {
    boolean lost;
    try {
      long ok = Replies.toLong(Scripts.LOCK_RENEW.eval(client, List.of(lockKey),
          List.of(owner, Long.toString(lease.toMillis()))));
      lost = ok == 0;
      if (!lost) {
        lastOk[0] = System.nanoTime();
      }
    } catch (io.github.redisext.core.WrongTypeException e) {
      // the lock key was overwritten with another type: it cannot be ours any more
      lost = true;
      log.warn("renewing lock {} failed: {}", name, e.getMessage());
    } catch (RuntimeException e) {
      lost = System.nanoTime() - lastOk[0] >= lease.toNanos();
      log.warn("renewing lock {} ({}) failed: {}{}", name, lockKey, e.getMessage(),
          lost ? "; its lease has run out" : "; retrying");
    }
    if (!lost) {
      return;
    }
    synchronized (state) {
      if (watchdog != w || !owner.equals(token)) {
        return;
      }
      token = null;
      watchdog = null;
    }
    w.shutdown();
    log.warn("lock {} ({}) was lost: its lease ran out or another owner took it", name, lockKey);
    try {
      options.onLeaseLost().accept(this);
    } catch (RuntimeException e) {
      log.warn("onLeaseLost callback of lock {} failed", name, e);
    }
  }

  /**
   * Releases the lock (compare-and-delete) and stops the watchdog for good.
   *
   * @throws LockNotHeldException if this instance does not hold the lock (never acquired,
   *     released, or its lease ran out and perhaps another owner holds it); the lock is left as is
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another Redis type
   *     than a string (someone overwrote the lock: this instance no longer holds it; nothing was
   *     changed)
   */
  public void unlock() {
    String owner;
    synchronized (state) {
      owner = token;
      token = null;
      stopWatchdog();
    }
    if (owner == null) {
      throw new LockNotHeldException(name, "lock '" + name + "' (" + lockKey
          + ") is not held by this instance");
    }
    long released = Replies.toLong(Scripts.LOCK_RELEASE.eval(client, List.of(lockKey),
        List.of(owner)));
    if (released == 0) {
      throw new LockNotHeldException(name, "lock '" + name + "' (" + lockKey + ") is no longer "
          + "held by this instance: its lease ran out and it may belong to another owner");
    }
    try {
      client.publish(channel, "1");
    } catch (RuntimeException e) {
      log.debug("publishing the release of lock {} failed; waiters retry when the lease ends", name,
          e);
    }
  }

  private void stopWatchdog() {
    if (watchdog != null) {
      watchdog.shutdownNow();
      watchdog = null;
    }
  }

  /**
   * Whether this instance holds the lock right now (asks Redis).
   *
   * @return false also when the lease ran out
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another Redis type
   */
  public boolean isHeld() {
    String owner;
    synchronized (state) {
      owner = token;
    }
    return owner != null && owner.equals(KeyTypes.call(client, () -> client.get(lockKey), lockKey,
        "string"));
  }

  /**
   * The fencing token of the current (or last) acquisition: strictly greater than that of every
   * earlier acquisition of this lock name.
   *
   * @throws LockNotHeldException if this instance never acquired the lock
   */
  public long fencingToken() {
    synchronized (state) {
      if (fencingToken < 0) {
        throw new LockNotHeldException(name, "lock '" + name + "' was never acquired by this "
            + "instance, so it has no fencing token");
      }
      return fencingToken;
    }
  }

  /** Whether the watchdog of this instance is running (it stops for good at unlock). */
  public boolean isRenewing() {
    synchronized (state) {
      return watchdog != null;
    }
  }

  /** Unlocks if this instance holds the lock; never throws {@link LockNotHeldException}. */
  @Override
  public void close() {
    boolean held;
    synchronized (state) {
      held = token != null;
      if (!held) {
        stopWatchdog();
      }
    }
    if (held) {
      try {
        unlock();
      } catch (LockNotHeldException e) {
        log.debug("lock {} was already lost at close", name);
      }
    }
  }

  @Override
  public String toString() {
    return "RedisLock[" + name + "]";
  }
}
