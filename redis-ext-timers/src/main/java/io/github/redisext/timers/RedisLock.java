package io.github.redisext.timers;

import io.github.redisext.core.KeySpace;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.timers.internal.lock.LockClient;
import io.github.redisext.timers.internal.lock.LockEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
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
 *       key {@code {name}:lock} set with {@code SET NX PX} to a unique owner token. A name that
 *       already carries a hash tag is used as given: {@code "x"} and {@code "{x}"} are the same
 *       lock ({@code {x}:lock}).
 *   <li>Only the owner releases or renews: {@link #unlock()} and the watchdog compare the token
 *       inside a script; a stale owner is refused with {@link LockNotHeldException}.
 *   <li>Fencing: every acquisition draws the next value of the counter {@code {name}:fence} in the
 *       same script, so tokens strictly increase in acquisition order. A lease can still be lost
 *       (a GC pause longer than the lease); storage that rejects writes with an older token than
 *       it has seen makes that safe.
 *   <li>Waiting does not poll the lease away: every unlock publishes a release message, which the
 *       client's one subscription hands to the first waiter of that lock, who tries at once. Waiters
 *       of one client queue first come, first served (a new caller does not overtake them); only
 *       the first of them asks Redis, and if it heard of no release it asks again after a short
 *       backoff (5 ms doubling to 100 ms), never later than when the owner's lease ends.
 * </ul>
 *
 * <p>Shared per client: all locks created with one {@link UnifiedJedis} share one watchdog thread
 * ({@code redis-ext-lock-watchdog-N}) and one release subscription ({@code
 * redis-ext-lock-subscriber-N}, started at the first wait); both stop when the last of those locks
 * is closed, so close every lock you create.
 *
 * <p>One instance stands for one would-be owner: give each thread or task its own instance (they
 * may share the name and the client). An instance is not reentrant and not meant to be used by
 * several threads at once. After {@link #close()} every operation throws {@link
 * IllegalStateException}.
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

  private final String name;
  private final String lockKey;
  private final String fenceKey;
  private final LockOptions options;
  private final Metrics metrics;
  private final LockClient shared;
  private final LockEngine engine;

  private final Object state = new Object();
  private String token; // guarded by state
  private long fencingToken = -1; // guarded by state
  private Renewal renewal; // guarded by state
  private volatile boolean closed;

  private RedisLock(UnifiedJedis client, String name, LockOptions options) {
    KeySpace keys = KeySpace.tagged(name);
    this.name = name;
    this.lockKey = keys.key("lock");
    this.fenceKey = keys.key("fence");
    this.options = options;
    this.metrics = Metrics.of(client, options.metrics(), MetricSource.of("lock", name));
    Registry.announce(client, "lock", name, Map.of("lock", lockKey, "fence", fenceKey));
    this.shared = LockClient.open(client);
    this.engine = shared.engine();
  }

  /**
   * A lock named {@code name} with default options (auto-renewal on).
   *
   * @param name the lock's name; {@code "x"} and {@code "{x}"} name the same lock
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the name is blank or has braces that form
   *     no hash tag (e.g. {@code "a}b"})
   */
  public static RedisLock create(UnifiedJedis client, String name) {
    return create(client, name, LockOptions.defaults());
  }

  /**
   * A lock named {@code name}.
   *
   * @param name the lock's name; {@code "x"} and {@code "{x}"} name the same lock
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the name is blank or has braces that form
   *     no hash tag (e.g. {@code "a}b"})
   */
  public static RedisLock create(UnifiedJedis client, String name, LockOptions options) {
    Args.notNull(client, "client");
    Args.notNull(options, "options");
    return new RedisLock(client, name, options);
  }

  /** The lock's name, as given. */
  public String name() {
    return name;
  }

  /** The Redis key holding the owner token: {@code {name}:lock} ({@code name:lock} if tagged). */
  public String key() {
    return lockKey;
  }

  /**
   * Tries to acquire the lock, waiting up to {@code wait} for the current owner to release it or
   * for its lease to run out. Threads of one client waiting for the same lock are served first come,
   * first served.
   *
   * @param wait how long to wait, zero (try once) up to {@link #MAX_WAIT}
   * @param lease how long the lock lives without renewal, {@link #MIN_LEASE} (30 ms) up to {@link
   *     #MAX_LEASE} (100 years); with {@link LockOptions#autoRenew()} it is renewed every third of
   *     it until {@link #unlock()}
   * @return true if this instance now holds the lock; false when the wait ran out or the thread
   *     was interrupted (its interrupt flag is then set again)
   * @throws IllegalStateException if this instance already holds it (not reentrant), or is closed
   * @throws IllegalArgumentException if wait or lease is out of range (nothing is sent to Redis)
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.WrongTypeException if the lock or fencing key holds another
   *     Redis type than a string (nothing was changed)
   */
  public boolean tryLock(Duration wait, Duration lease) {
    Args.inRange(wait, Duration.ZERO, MAX_WAIT, "wait");
    Args.inRange(lease, MIN_LEASE, MAX_LEASE, "lease");
    synchronized (state) {
      requireOpen();
      if (token != null) {
        throw new IllegalStateException("lock '" + name + "' is already held by this instance "
            + "(RedisLock is not reentrant)");
      }
    }
    long start = System.nanoTime();
    String candidate = shared.newToken();
    long leaseMs = lease.toMillis();
    boolean acquired = false;
    boolean interrupted = false;
    // a caller with a wait joins the line behind this client's waiters instead of overtaking them
    if (wait.isZero() || !shared.hasWaiters(lockKey)) {
      acquired = attempt(candidate, leaseMs, lease) < 0;
    }
    if (!acquired && !wait.isZero()) {
      try {
        acquired = shared.await(lockKey, start + wait.toNanos(),
            () -> attempt(candidate, leaseMs, lease));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        interrupted = true;
      }
    }
    if (acquired) {
      metrics.count(Metric.ACQUIRED, 1);
      if (metrics.timed()) {
        metrics.time(Metric.WAIT_TIME, System.nanoTime() - start);
      }
    } else if (!interrupted) {
      metrics.count(Metric.TIMED_OUT, 1);
    }
    return acquired;
  }

  /** One attempt: -1 when acquired, else the owner's remaining lease in ms (0 if unknown). */
  private long attempt(String candidate, long leaseMs, Duration lease) {
    requireOpen();
    LockEngine.Attempt a = engine.acquire(lockKey, fenceKey, candidate, leaseMs);
    if (!a.acquired()) {
      return a.ownerTtlMs();
    }
    synchronized (state) {
      if (closed) { // closed by another thread meanwhile: give it back at once
        shared.release(lockKey, candidate);
        requireOpen();
      }
      token = candidate;
      fencingToken = a.fence();
      if (options.autoRenew()) {
        renewal = new Renewal(candidate, lease);
      }
    }
    return -1;
  }

  /** The watchdog's task for one acquisition, run on the client's shared watchdog thread. */
  private final class Renewal implements Runnable {
    private final String owner;
    private final Duration lease;
    private final ScheduledFuture<?> future;
    private long lastOk = System.nanoTime();

    Renewal(String owner, Duration lease) {
      this.owner = owner;
      this.lease = lease;
      this.future = shared.every(Math.max(10, lease.toMillis() / 3), this);
    }

    void stop() {
      future.cancel(false);
    }

    @Override
    public void run() {
      boolean lost;
      try {
        lost = !engine.renew(lockKey, owner, lease.toMillis());
        if (!lost) {
          lastOk = System.nanoTime();
        }
      } catch (WrongTypeException e) {
        // the lock key was overwritten with another type: it cannot be ours any more
        lost = true;
        log.warn("renewing lock {} failed: {}", name, e.getMessage());
      } catch (RuntimeException e) {
        lost = System.nanoTime() - lastOk >= lease.toNanos();
        log.warn("renewing lock {} ({}) failed: {}{}", name, lockKey, e.getMessage(),
            lost ? "; its lease has run out" : "; retrying");
      }
      synchronized (state) {
        if (renewal != this || !owner.equals(token)) {
          stop(); // unlocked meanwhile
          return;
        }
        if (!lost) {
          return;
        }
        token = null;
        renewal = null;
      }
      stop();
      metrics.count(Metric.LEASE_LOST, 1);
      log.warn("lock {} ({}) was lost: its lease ran out or another owner took it", name, lockKey);
      try {
        options.onLeaseLost().accept(RedisLock.this);
      } catch (RuntimeException e) {
        log.warn("onLeaseLost callback of lock {} failed", name, e);
      }
    }
  }

  /**
   * Releases the lock (compare-and-delete), stops its renewal for good and wakes the next waiter.
   *
   * @throws LockNotHeldException if this instance does not hold the lock (never acquired,
   *     released, or its lease ran out and perhaps another owner holds it); the lock is left as is
   * @throws IllegalStateException if this instance is closed
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another Redis type
   *     than a string (someone overwrote the lock: this instance no longer holds it; nothing was
   *     changed)
   */
  public void unlock() {
    String owner;
    synchronized (state) {
      requireOpen();
      owner = token;
      token = null;
      stopRenewal();
    }
    release(owner);
  }

  private void release(String owner) {
    if (owner == null) {
      throw new LockNotHeldException(name, "lock '" + name + "' (" + lockKey
          + ") is not held by this instance");
    }
    if (!shared.release(lockKey, owner)) {
      throw new LockNotHeldException(name, "lock '" + name + "' (" + lockKey + ") is no longer "
          + "held by this instance: its lease ran out and it may belong to another owner");
    }
  }

  private void stopRenewal() {
    if (renewal != null) {
      renewal.stop();
      renewal = null;
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("lock '" + name + "' is closed");
    }
  }

  /**
   * Whether this instance holds the lock right now (asks Redis).
   *
   * @return false also when the lease ran out
   * @throws IllegalStateException if this instance is closed
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another Redis type
   */
  public boolean isHeld() {
    String owner;
    synchronized (state) {
      requireOpen();
      owner = token;
    }
    return owner != null && owner.equals(engine.owner(lockKey));
  }

  /**
   * The fencing token of the current (or last) acquisition: strictly greater than that of every
   * earlier acquisition of this lock name.
   *
   * @throws LockNotHeldException if this instance never acquired the lock
   * @throws IllegalStateException if this instance is closed
   */
  public long fencingToken() {
    synchronized (state) {
      requireOpen();
      if (fencingToken < 0) {
        throw new LockNotHeldException(name, "lock '" + name + "' was never acquired by this "
            + "instance, so it has no fencing token");
      }
      return fencingToken;
    }
  }

  /**
   * Whether the watchdog renews this instance's lease (it stops for good at unlock).
   *
   * @throws IllegalStateException if this instance is closed
   */
  public boolean isRenewing() {
    synchronized (state) {
      requireOpen();
      return renewal != null;
    }
  }

  /**
   * Unlocks if this instance holds the lock (never throws {@link LockNotHeldException}), then
   * closes the instance: every later operation throws {@link IllegalStateException}. The last lock
   * of a client to close stops the client's watchdog thread and release subscription. Idempotent.
   *
   * @throws io.github.redisext.core.WrongTypeException if the lock key holds another Redis type
   *     (the instance is closed all the same)
   */
  @Override
  public void close() {
    String owner;
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      owner = token;
      token = null;
      stopRenewal();
    }
    try {
      if (owner != null) {
        release(owner);
      }
    } catch (LockNotHeldException e) {
      log.debug("lock {} was already lost at close", name);
    } finally {
      shared.close();
    }
  }

  @Override
  public String toString() {
    return "RedisLock[" + name + "]";
  }
}
