package io.github.redisext.timers;

import java.time.Instant;

/**
 * A timer kept aside because it could not be handled: its handler failed {@link
 * TimersOptions#maxAttempts()} times, its payload could not be decoded or was missing, or no
 * handler exists for its topic. Listed by {@link Timers#deadTimers()}, put back with {@link
 * Timers#rescheduleDeadTimer}, dropped with {@link Timers#deleteDeadTimer}.
 *
 * @param topic its topic
 * @param timerId its id
 * @param payloadJson the payload exactly as it was stored (raw text), or null if it was missing
 * @param error why it was moved aside (the last exception, or the decode error)
 * @param attempts handler attempts made (0 if the handler never ran)
 * @param failedAt when it was moved aside
 */
public record DeadTimer(String topic, String timerId, String payloadJson, String error,
    int attempts, Instant failedAt) {}
