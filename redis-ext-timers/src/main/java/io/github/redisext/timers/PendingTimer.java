package io.github.redisext.timers;

import java.time.Instant;

/**
 * A timer waiting on the timeline, as listed by {@link Timers#pendingTimers()}.
 *
 * @param topic its topic (text before the first separator)
 * @param timerId its id
 * @param due when it fires (server clock); while a handler runs it, the end of the handler's lease
 * @param payloadJson its payload exactly as stored, or null when the payload is missing
 */
public record PendingTimer(String topic, String timerId, Instant due, String payloadJson) {}
