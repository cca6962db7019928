package io.github.redisext.timers.internal;

import io.github.redisext.core.support.RedisSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wake-up channel: producers publish {@code "<shard> <due ms>"} when a write puts a new head on
 * a shard's timeline; a running consumer listens, lowers its store's due time for that shard and
 * wakes its kernel, so a timer set for "in 200 ms" fires on time even with an idle wait of an hour.
 */
public final class WakeUps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WakeUps.class);

  private final RedisSubscriber subscriber;

  private WakeUps(RedisSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  /** The message announcing a timer due at {@code dueMs} on shard {@code shard}. */
  static String message(int shard, long dueMs) {
    return shard + " " + dueMs;
  }

  /** Subscribes to {@code redis}'s channel for {@code store}; {@code wake} wakes the consumer. */
  public static WakeUps listen(TimersRedis redis, TimersStore store, Runnable wake) {
    return new WakeUps(RedisSubscriber.start(redis.client(), Threads.factory(),
        new RedisSubscriber.Listener() {
          @Override
          public void onMessage(String channel, String message) {
            int sp = message.indexOf(' ');
            try {
              store.lowerNextDue(Integer.parseInt(message.substring(0, sp)),
                  Long.parseLong(message.substring(sp + 1)));
              wake.run();
            } catch (RuntimeException e) {
              log.debug("ignoring wake-up message '{}' on {}", message, channel);
            }
          }

          @Override
          public void onSubscribed() {
            // messages may have been missed while not subscribed: look at every shard
            store.recheckAll();
            wake.run();
          }
        }, redis.keys().channel()));
  }

  @Override
  public void close() {
    subscriber.close();
  }
}
