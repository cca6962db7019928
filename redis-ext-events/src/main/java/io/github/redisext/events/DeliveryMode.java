package io.github.redisext.events;

/** How the consumers of one durable subscription share its events. */
public enum DeliveryMode {
  /**
   * The subscription gets every event, in id order: one consumer at a time holds its batches (up
   * to two in flight, handled one after the other by one thread); consumers that use the same name
   * stand in for each other (the others take over when it dies). Give each broadcast subscriber
   * its own name.
   */
  BROADCAST,
  /**
   * Consumers that use the same subscription name (the group) split the events: each event is
   * handled by one of them. Batches run in parallel, so there is no order across batches.
   */
  SHARED
}
