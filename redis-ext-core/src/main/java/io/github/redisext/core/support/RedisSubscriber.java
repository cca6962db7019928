package io.github.redisext.core.support;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.redisext.core.KeySpace;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.util.Pool;
import redis.clients.jedis.UnifiedJedis;

/**
 * A pub/sub subscription on a thread of its own that survives connection loss: it resubscribes
 * with backoff and calls {@link Listener#onSubscribed()} after every (re)subscription, so a cache
 * can re-validate whatever it may have missed meanwhile. While subscribed it pings every few
 * seconds, so a dead connection is noticed and the blocking socket timeout never fires on an idle
 * channel (on RESP3 connections Jedis 8 cannot read the PING reply reliably: after the first such
 * failure pings stay off and the blocking socket timeout does that job). A subscription holds one
 * connection of the client's pool for its whole life.
 *
 * <pre>{@code
 * RedisSubscriber sub = RedisSubscriber.start(client, "redis-ext-fastset-listener",
 *     (channel, message) -> onVersion(message), "{users}:events");
 * ...
 * sub.close();
 * }</pre>
 */
public final class RedisSubscriber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);
  /** Default interval between keep-alive PINGs on an idle subscription. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
  private static final Backoff RECONNECT = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));
  private static final ScheduledExecutorService PINGER = Executors.newSingleThreadScheduledExecutor(
      NamedThreads.factory("redis-ext-core-pubsub-ping", true));

  /** Receives messages. Called on the subscriber's thread: return quickly. */
  public interface Listener {
    /** A message arrived on {@code channel}. */
    void onMessage(String channel, String message);

    /**
     * Every channel is subscribed (first time or after a reconnect): messages published while not
     * subscribed are lost, so re-validate here.
     */
    default void onSubscribed() {}
  }

  private final UnifiedJedis client;
  private final List<String> channels;
  private final Listener listener;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  /**
   * Guards every write to the subscribed connection made from outside its reading thread (PING,
   * UNSUBSCRIBE): once unsubscribing has begun nothing else may be written, or a late reply would
   * be left unread on a connection that goes back to the pool.
   */
  private final Object writeLock = new Object();
  private boolean pingAllowed;
  /** UNSUBSCRIBE goes out at most once: a second one's reply would be left unread. */
  private boolean unsubscribeSent;
  private final Duration pingInterval;
  /** Off for good after Jedis's RESP3 PING race hit this subscription once (see loop()). */
  private volatile boolean pings = true;
  private final java.util.concurrent.atomic.AtomicInteger subscriptions =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean running = true;
  private volatile JedisPubSub current;
  private volatile boolean subscribed;
  /**
   * Failed attempts since the last complete subscription: the reconnect delay grows with it and
   * starts again from the shortest after every healthy subscription.
   */
  private volatile int failures;

  private RedisSubscriber(UnifiedJedis client, ThreadFactory threads, Listener listener,
      List<String> channels, Duration pingInterval) {
    this.client = client;
    this.pingInterval = pingInterval;
    this.listener = listener;
    this.channels = channels;
    this.thread = threads.newThread(this::loop);
    this.thread.setDaemon(true);
  }

  /** Subscribes to {@code channels} on a new daemon thread named {@code threadName}. */
  public static RedisSubscriber start(UnifiedJedis client, String threadName, Listener listener,
      String... channels) {
    return start(client, threadName, listener, DEFAULT_PING_INTERVAL, channels);
  }

  /**
   * Subscribes to {@code channels} on a new daemon thread, pinging every {@code pingInterval} while
   * subscribed.
   */
  public static RedisSubscriber start(UnifiedJedis client, String threadName, Listener listener,
      Duration pingInterval, String... channels) {
    Args.notNull(threadName, "threadName");
    return start(client, r -> new Thread(r, threadName), listener, pingInterval, channels);
  }

  /**
   * Subscribes to {@code channels} on a daemon thread made by {@code threads} (a module's own
   * {@code redis-ext-<module>-N} factory).
   */
  public static RedisSubscriber start(UnifiedJedis client, ThreadFactory threads,
      Listener listener, String... channels) {
    return start(client, threads, listener, DEFAULT_PING_INTERVAL, channels);
  }

  /** Subscribes on a thread made by {@code threads}, pinging every {@code pingInterval}. */
  public static RedisSubscriber start(UnifiedJedis client, ThreadFactory threads,
      Listener listener, Duration pingInterval, String... channels) {
    Args.notNull(threads, "threads");
    Args.positive(pingInterval, "pingInterval");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(listener, "listener");
    if (channels.length == 0) {
      throw new IllegalArgumentException("at least one channel is required");
    }
    RedisSubscriber s = new RedisSubscriber(client, threads, listener, List.of(channels),
        pingInterval);
    s.thread.start();
    return s;
  }

  /** How many times the channels were subscribed (1 + reconnects). */
  public int subscriptionCount() {
    return subscriptions.get();
  }

  /** Whether keep-alive pings are on (they go off after Jedis's RESP3 PING race; see class doc). */
  public boolean pingsEnabled() {
    return pings;
  }

  /** Whether every channel is currently subscribed. */
  public boolean isSubscribed() {
    return subscribed;
  }

  private void loop() {
    while (running) {
      JedisPubSub ps = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
          try {
            listener.onMessage(channel, message);
          } catch (RuntimeException e) {
            log.warn("listener failed on a message from channel {}", channel, e);
          }
        }

        @Override
        public void onUnsubscribe(String channel, int count) {
          if (count == 0) {
            // The connection goes back to the pool when this returns. A thread that sent the
            // UNSUBSCRIBE may still be inside Jedis's flush (bytes written, buffer not yet reset):
            // wait for it, or the next borrower's command could be clobbered in that buffer.
            synchronized (writeLock) {
              pingAllowed = false;
            }
          }
        }

        @Override
        public void onSubscribe(String channel, int count) {
          if (count == channels.size()) {
            synchronized (writeLock) {
              if (!running) {
                if (!unsubscribeSent) {
                  unsubscribeSent = true;
                  unsubscribe(); // close() ran before this subscription was complete
                }
                return;
              }
              pingAllowed = true;
            }
            subscriptions.incrementAndGet();
            failures = 0;
            subscribed = true;
            try {
              listener.onSubscribed();
            } catch (RuntimeException e) {
              log.warn("listener failed after subscribing to {}", channels, e);
            }
          }
        }
      };
      current = ps;
      var ping = PINGER.scheduleWithFixedDelay(() -> {
        synchronized (writeLock) {
          if (pings && pingAllowed && ps.isSubscribed()) {
            try {
              ps.ping();
            } catch (RuntimeException e) {
              log.debug("ping on subscription {} failed", channels, e);
            }
          }
        }
      }, pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
      try {
        subscribe(ps);
        failures = 0;
      } catch (RuntimeException e) {
        if (running && pings && String.valueOf(e.getMessage()).contains("PONG")) {
          // Jedis 8 on RESP3 sends PING before registering the handler for its reply; a fast
          // +PONG then breaks the subscription ("Unexpected message : PONG"). Pings go off for
          // this subscription (dead connections are then found by the blocking socket timeout)
          // and it resubscribes at once; onSubscribed() re-validates what may have been missed.
          pings = false;
          log.info("subscription to {} is on a RESP3 connection, where Jedis cannot read a PING "
              + "reply: keep-alive pings are off for it; resubscribing", channels);
          continue;
        }
        if (running) {
          failures++;
          log.warn("subscription to {} lost ({}); resubscribing (attempt {})", channels,
              e.getMessage(), failures);
        }
      } finally {
        synchronized (writeLock) {
          pingAllowed = false;
        }
        ping.cancel(false);
        subscribed = false;
      }
      if (running && pause(RECONNECT.jittered(Math.max(1, failures)))) {
        break;
      }
    }
  }

  /**
   * Runs the subscription on a connection borrowed from the client's pool. When the subscription
   * ends with an error the connection is marked broken, so the pool destroys it: the server may
   * still consider it subscribed, and handing it to the next command would make that command read
   * pub/sub frames as its reply. (UnifiedJedis.subscribe would return it to the pool as healthy.)
   */
  private void subscribe(JedisPubSub ps) {
    String[] ch = channels.toArray(new String[0]);
    Connection c = borrow();
    if (c == null) {
      client.subscribe(ps, ch); // a client type whose pool we cannot reach
      return;
    }
    try {
      ps.proceed(c, ch);
    } catch (RuntimeException e) {
      c.setBroken();
      throw e;
    } finally {
      c.close();
    }
  }

  private Connection borrow() {
    if (client instanceof RedisClient rc) {
      return rc.getPool().getResource();
    }
    if (client instanceof RedisClusterClient cc) {
      // classic pub/sub is broadcast over the whole cluster: any node will do
      return cc.getConnectionFromSlot(KeySpace.slot(channels.get(0)));
    }
    if (client instanceof RedisSentinelClient sc) {
      for (Pool<Connection> pool : sc.getPrimaryNodesConnectionMap().values()) {
        return pool.getResource();
      }
    }
    return null;
  }

  /** Waits for {@code d} or until closed; true when closed. */
  private boolean pause(Duration d) {
    try {
      return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /**
   * Unsubscribes and stops the thread (waits up to 5 s for it). The thread is never interrupted:
   * Jedis stops reading a subscription when its thread is interrupted, which would leave the
   * UNSUBSCRIBE reply unread on a pooled connection.
   */
  @Override
  public void close() {
    running = false;
    stop.countDown();
    synchronized (writeLock) {
      pingAllowed = false;
      JedisPubSub ps = current;
      if (ps != null && ps.isSubscribed() && !unsubscribeSent) {
        unsubscribeSent = true;
        try {
          ps.unsubscribe();
        } catch (RuntimeException e) {
          log.debug("unsubscribe from {} failed", channels, e);
        }
      }
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
