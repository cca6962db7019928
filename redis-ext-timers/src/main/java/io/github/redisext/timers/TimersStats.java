package io.github.redisext.timers;

import java.time.Duration;

/**
 * Counters of one {@link Timers} since it was built. A snapshot; each counter is exact, the
 * snapshot as a whole is not taken atomically.
 *
 * @param claimed timers claimed by this instance
 * @param fired handlers that returned normally (their timers were removed)
 * @param failed handler invocations that threw
 * @param retried failed timers rescheduled for another attempt
 * @param deadLettered timers moved aside (handler failures, bad or missing payloads, no handler)
 * @param leaseLost claims whose lock was found to belong to someone else before removal (the
 *     timer was then left alone)
 * @param lastLag delay between due time and handler start of the last timer handled
 * @param maxLag the largest such delay seen
 */
public record TimersStats(long claimed, long fired, long failed, long retried, long deadLettered,
    long leaseLost, Duration lastLag, Duration maxLag) {}
