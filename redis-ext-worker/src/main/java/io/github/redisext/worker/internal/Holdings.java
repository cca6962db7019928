package io.github.redisext.worker.internal;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the tasks this worker holds (fetched into its in-flight hash, not yet settled or
 * given back), and of those being settled right now. The lease keeper compares them with the
 * in-flight hash: a held id missing there was lost (recovered by another worker after this
 * worker's lease ran out), an id there that nothing holds is an orphan (a fetch whose reply was
 * lost) to give back. Thread-safe.
 */
final class Holdings {
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Set<String> settling = ConcurrentHashMap.newKeySet();

  /** A fetched task is held. */
  void hold(String id) {
    held.add(id);
  }

  /** These tasks are about to be settled (their ids may leave the in-flight hash any moment). */
  void settling(Collection<String> ids) {
    settling.addAll(ids);
  }

  /** These tasks were settled or given back (or lost): no longer held. */
  void release(Collection<String> ids) {
    held.removeAll(ids);
    settling.removeAll(ids);
  }

  /** The settle call of these tasks failed: they are held as before (it is retried). */
  void settleFailed(Collection<String> ids) {
    settling.removeAll(ids);
  }

  /**
   * Whether a task missing from the in-flight hash (read after this call's caller began) was
   * lost: it is still held and not being settled by this worker.
   */
  boolean lostIfMissing(String id) {
    return held.contains(id) && !settling.contains(id);
  }

  /** Whether this worker holds {@code id}. */
  boolean holds(String id) {
    return held.contains(id);
  }
}
