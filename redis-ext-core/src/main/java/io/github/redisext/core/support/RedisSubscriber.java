package io.github.redisext.core.support;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A pub/sub subscription on a thread of its own that survives connection loss: it resubscribes
 * with backoff and calls {@link Listener#onSubscribed()} after every (re)subscription, so a cache
 * can re-validate whatever it may have missed meanwhile. While subscribed it pings every few
 * seconds, so a dead connection is noticed and the blocking socket timeout never fires on an idle
 * channel. A subscription holds one connection of the client's pool for its whole life.
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
  private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
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
  private volatile boolean running = true;
  private volatile JedisPubSub current;
  private volatile boolean subscribed;

  private RedisSubscriber(UnifiedJedis client, String threadName, Listener listener,
      List<String> channels) {
    this.client = client;
    this.listener = listener;
    this.channels = channels;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
  }

  /** Subscribes to {@code channels} on a new daemon thread named {@code threadName}. */
  public static RedisSubscriber start(UnifiedJedis client, String threadName, Listener listener,
      String... channels) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(listener, "listener");
    if (channels.length == 0) {
      throw new IllegalArgumentException("at least one channel is required");
    }
    RedisSubscriber s = new RedisSubscriber(client, threadName, listener, List.of(channels));
    s.thread.start();
    return s;
  }

  /** Whether every channel is currently subscribed. */
  public boolean isSubscribed() {
    return subscribed;
  }

  private void loop() {
    int failures = 0;
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
        public void onSubscribe(String channel, int count) {
          if (count == channels.size()) {
            synchronized (writeLock) {
              if (!running) {
                unsubscribe(); // close() ran before this subscription was complete
                return;
              }
              pingAllowed = true;
            }
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
          if (pingAllowed && ps.isSubscribed()) {
            try {
              ps.ping();
            } catch (RuntimeException e) {
              log.debug("ping on subscription {} failed", channels, e);
            }
          }
        }
      }, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      try {
        client.subscribe(ps, channels.toArray(new String[0]));
        failures = 0;
      } catch (RuntimeException e) {
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
      if (ps != null && ps.isSubscribed()) {
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
