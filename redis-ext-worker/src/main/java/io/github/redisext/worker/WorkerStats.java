package io.github.redisext.worker;

/**
 * A snapshot of one worker's counters since it started.
 *
 * @param processed tasks whose {@code handle} returned normally
 * @param failed {@code handle} calls that threw (each failed attempt counts)
 * @param retried failed tasks scheduled for another attempt
 * @param deadLettered tasks this worker moved to the dead-letter list (attempts used up,
 *     undecodable payloads, and tasks of dead workers it recovered with no attempts left)
 * @param inFlight {@code handle} calls running right now
 */
public record WorkerStats(long processed, long failed, long retried, long deadLettered,
    int inFlight) {}
