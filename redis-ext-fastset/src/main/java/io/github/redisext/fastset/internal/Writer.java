package io.github.redisext.fastset.internal;

import java.util.Collection;
import java.util.Map;

/**
 * Writes the set: sends a change (or a clear) to Redis, counts it, and hands the reply to the
 * {@link Follower} so that the cache holds the write and everything before it when the call
 * returns (read your writes). Writes of several threads run in parallel; only the follow-up takes
 * the cache's lock. Thread-safe.
 *
 * @param <T> the element type
 */
final class Writer<T> {
  private final RemoteSet remote;
  private final LocalCache<T> cache;
  private final Follower<T> follower;
  private final SetCounters counters;

  Writer(RemoteSet remote, LocalCache<T> cache, Follower<T> follower, SetCounters counters) {
    this.remote = remote;
    this.cache = cache;
    this.follower = follower;
    this.counters = counters;
  }

  /**
   * Adds and removes members in one script.
   *
   * @param expected the snapshot the change is conditional on (same version and epoch in Redis), or
   *     null for an unconditional change
   * @param known the elements of members to add, when the caller has them
   * @return the number of members actually added and removed, or -1 if {@code expected} did not
   *     match (the cache has then caught up with the remote version)
   */
  long change(Collection<String> adds, Collection<String> removes, LocalCache.Snapshot expected,
      Map<String, T> known) {
    if (expected == null && adds.isEmpty() && removes.isEmpty()) {
      return 0;
    }
    long seen = cache.version();
    RemoteSet.Written w = remote.change(expected == null ? null
        : new RemoteSet.Head(expected.version(), expected.epoch()), seen, adds, removes);
    return followed(seen, w, known);
  }

  /** Removes every member; returns how many there were. */
  long clear() {
    long seen = cache.version();
    return followed(seen, remote.clear(seen), Map.of());
  }

  private long followed(long seen, RemoteSet.Written w, Map<String, T> known) {
    counters.written(w.changed());
    follower.afterWrite(seen, w.changes(), known);
    return w.changed();
  }
}
