package io.github.redisext.fastset.internal;

import io.github.redisext.core.support.Backoff;
import io.github.redisext.core.support.RedisSubscriber;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * The subscription to a FastSet's change channel: core's {@link RedisSubscriber} design (own
 * thread, resubscribe with backoff, {@code onSubscribed} after every (re)subscription so the cache
 * re-validates), with one fix. On a RESP3 connection Jedis 8's {@code JedisPubSub.ping()} sends the
 * PING first and only then registers the handler for its reply; when the {@code +PONG} comes back
 * before that (loopback, an idle server), the pub/sub loop fails with {@code "Unexpected message :
 * PONG"} and the subscription drops. Core's subscriber then resubscribes with backoff (a WARN, a gap
 * in push delivery) and can hit the race again at any later ping. Here the first such failure turns
 * pings off for this subscription and it resubscribes at once (and re-validates); on RESP2 the
 * reply to PING is a pub/sub frame, there is no race and pings keep detecting dead connections.
 *
 * <p>Second fix: {@link #close()} never interrupts the subscriber thread. Jedis's pub/sub loop
 * stops at an interrupt without reading the UNSUBSCRIBE confirmation (or right after SUBSCRIBE),
 * and the connection goes back to the client's pool with an unread reply, so a later command on it
 * reads the wrong reply. Close unsubscribes and lets the loop end by itself; a subscription that
 * comes up after close unsubscribes at once; the reconnect backoff waits on a latch that close
 * releases. Should move to core.
 */
final class ChangeSubscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeSubscription.class);
  private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
  private static final Backoff RECONNECT = Backoff.exponential(Duration.ofMillis(50),
      Duration.ofSeconds(5));

  private final UnifiedJedis client;
  private final String channel;
  private final RedisSubscriber.Listener listener;
  private final ScheduledExecutorService pinger;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean pings = true;
  private volatile JedisPubSub current;
  private volatile boolean subscribed;
  private final CountDownLatch stopping = new CountDownLatch(1);

  private ChangeSubscription(UnifiedJedis client, String threadName, String channel,
      RedisSubscriber.Listener listener, ScheduledExecutorService pinger) {
    this.client = client;
    this.channel = channel;
    this.listener = listener;
    this.pinger = pinger;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
  }

  /** Subscribes to {@code channel} on a new daemon thread; pings are scheduled on {@code pinger}. */
  static ChangeSubscription start(UnifiedJedis client, String threadName, String channel,
      RedisSubscriber.Listener listener, ScheduledExecutorService pinger) {
    ChangeSubscription s = new ChangeSubscription(client, threadName, channel, listener, pinger);
    s.thread.start();
    return s;
  }

  /** Whether the channel is currently subscribed. */
  boolean isSubscribed() {
    return subscribed;
  }

  private void loop() {
    int failures = 0;
    while (running) {
      JedisPubSub ps = new JedisPubSub() {
        @Override
        public void onMessage(String ch, String message) {
          try {
            listener.onMessage(ch, message);
          } catch (RuntimeException e) {
            log.warn("listener failed on a message from channel {}", ch, e);
          }
        }

        @Override
        public void onSubscribe(String ch, int count) {
          if (!running) {
            unsubscribe(); // closed while subscribing: end the loop cleanly
            return;
          }
          subscribed = true;
          try {
            listener.onSubscribed();
          } catch (RuntimeException e) {
            log.warn("listener failed after subscribing to {}", ch, e);
          }
        }
      };
      current = ps;
      ScheduledFuture<?> ping = pings ? pinger.scheduleWithFixedDelay(() -> {
        if (pings && subscribed && ps.isSubscribed()) {
          try {
            ps.ping();
          } catch (RuntimeException e) {
            log.debug("ping on subscription {} failed", channel, e);
          }
        }
      }, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS) : null;
      boolean retryAtOnce = false;
      try {
        client.subscribe(ps, channel);
        failures = 0;
      } catch (RuntimeException e) {
        if (running && pings && String.valueOf(e.getMessage()).contains("PONG")) {
          pings = false;
          retryAtOnce = true;
          log.info("subscription to {} is on a RESP3 connection, where Jedis cannot read a PING "
              + "reply: pings are off for it; resubscribing", channel);
        } else if (running) {
          failures++;
          log.warn("subscription to {} lost ({}); resubscribing (attempt {})", channel,
              e.getMessage(), failures);
        }
      } finally {
        if (ping != null) {
          ping.cancel(false);
        }
        subscribed = false;
      }
      if (running && !retryAtOnce && pause(RECONNECT.jittered(Math.max(1, failures)))) {
        break;
      }
    }
  }

  /** Waits for the backoff; true when close() was called meanwhile. */
  private boolean pause(Duration d) {
    try {
      return stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /**
   * Unsubscribes and waits up to 5 s for the thread to end by itself (it is never interrupted: see
   * the class comment).
   */
  @Override
  public void close() {
    running = false;
    stopping.countDown();
    JedisPubSub ps = current;
    if (ps != null) {
      try {
        if (ps.isSubscribed()) {
          ps.unsubscribe();
        }
      } catch (RuntimeException e) {
        log.debug("unsubscribe from {} failed", channel, e);
      }
    }
    try {
      thread.join(5000);
      if (thread.isAlive()) {
        log.warn("subscriber thread {} of channel {} did not stop within 5 s", thread.getName(),
            channel);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
