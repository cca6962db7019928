package io.github.redisext.uniqueid;

/**
 * Counters of one {@link UniqueId} instance since it was created (this process only).
 *
 * @param created names that got a new id from this instance
 * @param found lookups by this instance that found a name's existing mapping (a caller whose
 *     name was looked up together with another caller's, see {@link UniqueId#getOrCreate}, counts
 *     here too)
 * @param removed mappings this instance deleted
 * @param mappingRoundTrips script calls and DELs this instance sent for name mappings (fewer
 *     than calls when concurrent calls were combined)
 * @param sequenceIds ids {@link UniqueId#next()} handed out
 * @param sequenceRoundTrips INCRBY round trips that reserved sequence ids
 */
public record UniqueIdStats(long created, long found, long removed, long mappingRoundTrips,
    long sequenceIds, long sequenceRoundTrips) {}
