package io.github.redisext.debounce;

/**
 * A snapshot of a {@link DebounceTask}'s counts, read in one atomic step against the Redis
 * server's clock.
 *
 * @param remaining tasks waiting (due or not), like the Python original's {@code remaining}
 * @param overdue waiting tasks whose due time has passed (ready to pop)
 * @param processing tasks claimed by a consumer and not yet acknowledged
 * @param deadLetters dead letters: undecodable members and tasks whose attempts ran out
 */
public record DebounceInfo(long remaining, long overdue, long processing, long deadLetters) {}
