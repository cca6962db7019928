package io.github.redisext.fastset.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local copy of the set: its elements (each with its member text), the version and epoch
 * they are the content of, and an iteration snapshot built once per version.
 *
 * <p>Thread-safety: it is only changed by whoever holds {@link #lock()} (the {@link Follower});
 * readers never lock: they read the volatile map reference (replaced whole on a reload, changed in
 * place by an entry) and the snapshot (an array built under the lock for one version).
 *
 * @param <T> the element type
 */
public final class LocalCache<T> {
  /**
   * The elements of the cache at one version.
   *
   * @param elements the elements; the array is shared and must not be changed
   * @param version the version they are the content of
   * @param epoch the incarnation of the set they belong to
   */
  public record Snapshot(Object[] elements, long version, String epoch) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Members<T> members;
  private volatile ConcurrentHashMap<T, String> values = new ConcurrentHashMap<>();
  private volatile long version;
  /** The incarnation of the set the cache belongs to ({@code <key>:epoch}, '' when none). */
  private volatile String epoch = "";
  private volatile Snapshot snapshot;

  LocalCache(Members<T> members) {
    this.members = members;
  }

  /** The lock every change of the cache is made under. */
  ReentrantLock lock() {
    return lock;
  }

  boolean contains(Object o) {
    return values.containsKey(o);
  }

  int size() {
    return values.size();
  }

  long version() {
    return version;
  }

  String epoch() {
    return epoch;
  }

  /** The cache at one version (built under the lock, kept until the next change). */
  Snapshot snapshot() {
    Snapshot s = snapshot;
    if (s == null) {
      lock.lock();
      try {
        s = snapshot;
        if (s == null) {
          s = new Snapshot(values.keySet().toArray(), version, epoch);
          snapshot = s;
        }
      } finally {
        lock.unlock();
      }
    }
    return s;
  }

  /**
   * Applies the entry that follows the cached version. The caller holds the lock.
   *
   * @param known elements of added members the caller already has (not decoded again)
   * @throws io.github.redisext.fastset.FastSetDecodeException if a member cannot be decoded (the
   *     version then stays where it was)
   */
  void apply(Entry e, Map<String, T> known) {
    snapshot = null;
    members.apply(values, e, known);
    version = e.version();
  }

  /** Replaces the whole content (a load). The caller holds the lock. */
  void install(ConcurrentHashMap<T, String> fresh, long v, String inEpoch) {
    snapshot = null;
    values = fresh;
    version = v;
    epoch = inEpoch;
  }
}
