package io.github.redisext.events;

/**
 * What one {@link Subscription} did in this process since it started.
 *
 * @param delivered events handed to this consumer (a redelivery counts again)
 * @param handled events its handler returned from
 * @param failed handler attempts that threw
 * @param retried events scheduled for another attempt
 * @param deadLettered events moved to the dead letters
 * @param missed events that had expired before they could be read
 * @param resets counter resets detected (Redis restarted empty, counter deleted)
 */
public record SubscriptionStats(long delivered, long handled, long failed, long retried,
    long deadLettered, long missed, long resets) {}
