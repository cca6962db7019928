package io.github.redisext.events;

import java.time.Instant;

/**
 * A durable subscription as stored in Redis (of any process), from {@link
 * EventQueue#searchSubscribers()}.
 *
 * @param name the subscription name (the group, for shared subscriptions)
 * @param mode broadcast or shared (null when its state is gone)
 * @param position every event id up to this one was handled (or missed, or dead-lettered)
 * @param cursor the highest event id handed out
 * @param latestId the newest event id (the counter)
 * @param missed events that expired before the subscription read them
 * @param deadLetters events dead-lettered and not yet requeued or purged
 * @param resets counter resets it resynchronised after (e.g. Redis restarted empty)
 * @param createdAt when it was created ({@code created_at}, ISO-8601)
 * @param alive whether a consumer heartbeat is within the presence timeout
 * @param aliveUntil when its presence runs out
 */
public record SubscriberInfo(String name, DeliveryMode mode, long position, long cursor,
    long latestId, long missed, long deadLetters, long resets, String createdAt, boolean alive,
    Instant aliveUntil) {
  /** Events published and not yet handled by it: {@code latestId - position} (at least 0). */
  public long backlog() {
    return Math.max(0, latestId - position);
  }
}
