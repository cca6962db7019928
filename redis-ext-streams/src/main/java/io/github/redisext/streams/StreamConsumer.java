package io.github.redisext.streams;

import io.github.redisext.core.consumer.ConsumerStats;
import java.time.Duration;

/**
 * A running consumer of a {@link RedisStream}, started by {@code process} or {@code
 * processBatches}. Thread-safe.
 */
public interface StreamConsumer extends AutoCloseable {
  /** The consumer group. */
  String group();

  /** This consumer's name within the group. */
  String consumerName();

  /** Its counters since it started. */
  ConsumerStats stats();

  /**
   * Settlements refused since it started because another consumer had taken the entry over
   * (fenced acks: the other consumer settles it).
   */
  long duplicatesRefused();

  /**
   * Stops: no more reads (within about a second), unstarted entries made claimable by other
   * consumers at once, running handlers awaited up to the {@code shutdownGrace}, finished ones
   * settled, every thread ended. Idempotent.
   */
  @Override
  void close();

  /**
   * {@link #close()} with another grace for the running handlers.
   *
   * @return true if every running handler finished within {@code grace}
   */
  boolean close(Duration grace);
}
