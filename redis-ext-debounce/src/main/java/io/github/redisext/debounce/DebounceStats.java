package io.github.redisext.debounce;

/**
 * Counters of one {@link DebounceTask} instance (this process only), since it was created.
 *
 * @param added tasks newly added (a re-add of a waiting task is not counted)
 * @param popped tasks handed out by pop, await and the consumers
 * @param recovered tasks whose consumer lease ran out and which were put back to be delivered
 *     again (counted by whichever instance noticed)
 * @param deadLettered members moved aside: undecodable, or consumed tasks whose attempts ran out
 * @param handled tasks a consumer handler finished normally (acknowledged in the next settled
 *     batch)
 * @param failed handler calls that threw (the task was put back after the retry delay, or
 *     dead-lettered at the last attempt)
 */
public record DebounceStats(long added, long popped, long recovered, long deadLettered,
    long handled, long failed) {}
