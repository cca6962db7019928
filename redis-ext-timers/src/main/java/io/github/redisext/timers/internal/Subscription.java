package io.github.redisext.timers.internal;

import io.github.redisext.core.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A pub/sub subscription on a thread of its own that resubscribes with backoff and calls {@link
 * Listener#onSubscribed()} after every (re)subscription. A stand-in for core's {@code
 * RedisSubscriber} that never leaves a pooled connection dirty:
 *
 * <ul>
 *   <li>the connection is not given back to the pool while the thread that sent UNSUBSCRIBE is
 *       still flushing it (Jedis lets the subscriber thread read the reply and return the
 *       connection before the sender's flush() has returned; the next borrower's command then
 *       races with that flush: measured with plain Jedis, 8 threads subscribing and
 *       unsubscribing on one pooled client);
 *   <li>exactly one UNSUBSCRIBE is sent per subscription (core's close() and its onSubscribe
 *       path can both send one; the second reply then stays unread on a connection that goes back
 *       to the pool and is read by the next command as {@code [unsubscribe, null, 0]});
 *   <li>no PING while subscribed (with RESP3 Jedis cannot read the PONG, gives up the
 *       subscription and returns a connection that is still subscribed to the pool). Users of this
 *       class do not depend on the subscription: they have their own fallback wait.
 * </ul>
 */
public final class Subscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);
  private static final Backoff RECONNECT = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  /** Receives messages on the subscription's thread; return quickly. */
  public interface Listener {
    /** A message arrived. */
    void onMessage(String channel, String message);

    /** Every channel is subscribed (again): messages published meanwhile were missed. */
    void onSubscribed();
  }

  private final UnifiedJedis client;
  private final String[] channels;
  private final Listener listener;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Object writeLock = new Object();
  private volatile boolean running = true;
  private JedisPubSub current;
  private boolean unsubscribeSent;

  private Subscription(UnifiedJedis client, Listener listener, List<String> channels) {
    this.client = client;
    this.listener = listener;
    this.channels = channels.toArray(new String[0]);
    this.thread = Threads.factory().newThread(this::loop);
  }

  /** Subscribes to {@code channels} on a new daemon thread named {@code redis-ext-timers-N}. */
  public static Subscription start(UnifiedJedis client, Listener listener, String... channels) {
    Subscription s = new Subscription(client, listener, List.of(channels));
    s.thread.start();
    return s;
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
        public void onUnsubscribe(String channel, int count) {
          // The UNSUBSCRIBE reply can be read here while the thread that sent it is still inside
          // Jedis's flush() on this connection; once this returns, the loop ends and the
          // connection goes back to the pool, where another thread's command would then race
          // with that flush (lost or garbled commands). Wait for the sender to be done: it holds
          // writeLock for the whole send.
          synchronized (writeLock) {
            // barrier only
          }
        }

        @Override
        public void onSubscribe(String channel, int count) {
          if (count != channels.length) {
            return;
          }
          synchronized (writeLock) {
            if (!running) {
              sendUnsubscribe(this); // close() ran before the subscription was complete
              return;
            }
          }
          try {
            listener.onSubscribed();
          } catch (RuntimeException e) {
            log.warn("listener failed after subscribing to {}", List.of(channels), e);
          }
        }
      };
      synchronized (writeLock) {
        if (!running) {
          break;
        }
        current = ps;
        unsubscribeSent = false;
      }
      try {
        client.subscribe(ps, channels);
        failures = 0;
      } catch (RuntimeException e) {
        if (running && isReadTimeout(e)) {
          // an idle subscription outlived the client's blocking socket timeout: subscribe again
          // (onSubscribed lets the listener catch up)
          log.debug("subscription to {} timed out while idle; resubscribing", List.of(channels));
        } else if (running) {
          failures++;
          log.warn("subscription to {} lost ({}); resubscribing (attempt {})", List.of(channels),
              e.getMessage(), failures);
        }
      } finally {
        synchronized (writeLock) {
          current = null;
        }
      }
      if (running && pause(RECONNECT.jittered(Math.max(1, failures)))) {
        break;
      }
    }
  }

  private static boolean isReadTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Sends the one UNSUBSCRIBE of {@code ps}; call with writeLock held. */
  private void sendUnsubscribe(JedisPubSub ps) {
    if (unsubscribeSent) {
      return;
    }
    unsubscribeSent = true;
    try {
      ps.unsubscribe();
    } catch (RuntimeException e) {
      log.debug("unsubscribe from {} failed", List.of(channels), e);
    }
  }

  private boolean pause(Duration d) {
    try {
      return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Unsubscribes and waits (up to 5 s) for the thread to end. Never interrupts it. */
  @Override
  public void close() {
    running = false;
    stop.countDown();
    synchronized (writeLock) {
      JedisPubSub ps = current;
      if (ps != null && ps.isSubscribed()) {
        sendUnsubscribe(ps);
      }
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
