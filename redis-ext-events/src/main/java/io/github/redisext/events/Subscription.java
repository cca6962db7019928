package io.github.redisext.events;

import io.github.redisext.core.consumer.DeadLetter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A running consumer of a durable subscription, from {@link EventQueue#subscribe}. The
 * subscription itself (its name, position and dead letters) lives in Redis and outlives this
 * object: closing it stops consuming; {@link EventQueue#unsubscribe(String)} deletes it.
 *
 * <p>Delivery is at least once per subscription: every event after the position is read in id
 * order, the position advances after the handler succeeded. Pub/sub messages only wake the
 * consumer up; it also reads every {@code idleWait}, so a lost message delays nothing for long.
 * Thread-safe. After {@link #close()} the dead-letter methods throw {@link IllegalStateException}.
 */
public interface Subscription extends AutoCloseable {
  /** The subscription name. */
  String name();

  /** Broadcast or shared. */
  DeliveryMode mode();

  /** Whether it is consuming (not closed). */
  boolean isRunning();

  /** This process's counters. */
  SubscriptionStats stats();

  /** Its state in Redis (position, backlog, presence ...). */
  SubscriberInfo info();

  /** Up to {@code max} dead letters, oldest first. */
  List<DeadLetter> deadLetters(int max);

  /** How many dead letters it has. */
  long deadLetterCount();

  /** Hands the given dead letters to the subscription again; returns how many were requeued. */
  long requeue(Collection<DeadLetter> letters);

  /** Hands every dead letter to the subscription again; returns how many. */
  long requeueAllDeadLetters();

  /** Deletes the given dead letters; returns how many. */
  long purge(Collection<DeadLetter> letters);

  /** Deletes every dead letter; returns how many. */
  long purgeAllDeadLetters();

  /** Stops consuming: see {@link io.github.redisext.core.consumer.ConsumerKernel#close()}. */
  @Override
  void close();

  /** {@link #close()} with another grace for running handlers; true if all finished in time. */
  boolean close(Duration grace);
}
