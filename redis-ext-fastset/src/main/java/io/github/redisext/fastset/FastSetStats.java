package io.github.redisext.fastset;

/**
 * Counters of one {@link FastSet} instance, read with {@link FastSet#stats()}. A consistent-enough
 * snapshot: each counter is exact, the counters are not read atomically together.
 *
 * @param key the set's key prefix
 * @param version the version of the local cache
 * @param size the number of members in the local cache
 * @param writes write scripts that changed the set (each bumped the version by one)
 * @param conflicts conditional writes ({@code retainAll}, {@code removeIf}, ...) retried because
 *     another writer changed the set first
 * @param deltasApplied change entries applied to the cache (from pub/sub or a write's reply)
 * @param fullReloads full reloads of the set (SSCAN), including the first load
 * @param versionChecks round trips that checked the remote version (timeout refresh, reconnect,
 *     gaps)
 * @param messagesReceived pub/sub messages received
 * @param failedChecks version checks that failed on a connection error (the cache was served)
 * @param subscribed whether push invalidation is currently subscribed
 */
public record FastSetStats(String key, long version, int size, long writes, long conflicts,
    long deltasApplied, long fullReloads, long versionChecks, long messagesReceived,
    long failedChecks, boolean subscribed) {}
