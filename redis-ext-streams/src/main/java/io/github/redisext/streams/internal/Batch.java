package io.github.redisext.streams.internal;

import io.github.redisext.core.consumer.Settlement;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of entries handed to a batch handler as one kernel item; the handler wrapper records
 * one settlement per entry, which {@link BatchStore} applies.
 *
 * @param <T> the entry type
 */
public final class Batch<T> {
  private volatile List<Entry<T>> entries;
  private volatile List<Settlement<Entry<T>>> outcomes = List.of();

  Batch(List<Entry<T>> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Its entries. */
  public List<Entry<T>> entries() {
    return entries;
  }

  /** Keeps only {@code kept} (the entries that decoded; the others were set aside). */
  void keep(List<Entry<T>> kept) {
    this.entries = List.copyOf(kept);
  }

  /** The settlements the handler wrapper decided, one per entry. */
  public List<Settlement<Entry<T>>> outcomes() {
    return outcomes;
  }

  /** Records the settlements of its entries. */
  public void outcomes(List<Settlement<Entry<T>>> s) {
    this.outcomes = new ArrayList<>(s);
  }

  /** The most deliveries of any entry (the batch's attempt). */
  int deliveries() {
    int d = 1;
    for (Entry<T> e : entries) {
      d = Math.max(d, e.deliveries());
    }
    return d;
  }
}
