package io.github.redisext.core.consumer;

/**
 * A consumer's counters since it started.
 *
 * @param claimed items claimed
 * @param handled items whose handler returned normally
 * @param failed handler failures (each attempt counts)
 * @param retried failures settled as a retry
 * @param deadLettered items settled as dead letters
 * @param leaseLost items whose lease was lost while held (not settled by this consumer)
 * @param givenBack unstarted items given back at shutdown
 * @param running handlers running now
 * @param held items claimed and not yet settled now (running, waiting or settling)
 */
public record ConsumerStats(long claimed, long handled, long failed, long retried,
    long deadLettered, long leaseLost, long givenBack, int running, int held) {}
