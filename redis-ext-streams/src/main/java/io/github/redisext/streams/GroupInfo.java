package io.github.redisext.streams;

/**
 * What {@code XINFO GROUPS} says about one consumer group. Numbers are the server's, zeros
 * included.
 *
 * @param name the group
 * @param consumers consumers in the group
 * @param pending entries delivered and not yet acknowledged
 * @param lastDeliveredId the id of the last entry delivered to the group
 * @param entriesRead entries the group has read (Redis 7.0+; -1 on 6.2)
 * @param lag entries not yet delivered to the group (Redis 7.0+; -1 on 6.2 or when Redis cannot
 *     tell, e.g. after deletions in the middle of the stream)
 */
public record GroupInfo(String name, long consumers, long pending, String lastDeliveredId,
    long entriesRead, long lag) {}
