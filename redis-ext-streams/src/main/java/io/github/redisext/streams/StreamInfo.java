package io.github.redisext.streams;

/**
 * What {@code XINFO STREAM} says about a stream; all zeros (and null ids) when it does not exist.
 *
 * @param length entries in the stream now
 * @param groups consumer groups
 * @param entriesAdded entries ever added (Redis 7.0+; on 6.2 -1, unknown)
 * @param lastGeneratedId the id of the newest entry ever added, or null
 * @param firstEntryId the oldest entry's id, or null when empty
 * @param lastEntryId the newest entry's id, or null when empty
 */
public record StreamInfo(long length, long groups, long entriesAdded, String lastGeneratedId,
    String firstEntryId, String lastEntryId) {}
