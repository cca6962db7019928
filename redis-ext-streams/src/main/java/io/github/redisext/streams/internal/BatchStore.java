package io.github.redisext.streams.internal;

import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Settlement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The batch mode's {@link LeasedStore}: each kernel item is a {@link Batch} of up to {@code
 * batchSize} entries claimed through a {@link StreamStore}; renewals and settlements go to the
 * entries (a batch settles each entry by its own outcome, fenced as usual). A batch counts as
 * lost only when every entry of it was lost; lost entries of a partly lost batch are skipped at
 * settlement.
 *
 * @param <T> the entry type
 */
public final class BatchStore<T> implements LeasedStore<Batch<T>> {
  private final StreamStore<T> entries;
  private final int batchSize;

  /** Batches of {@code batchSize} over {@code entries}. */
  public BatchStore(StreamStore<T> entries, int batchSize) {
    this.entries = entries;
    this.batchSize = batchSize;
  }

  @Override
  public Claim<Batch<T>> claim(int max, Duration lease, Duration maxWait) {
    Claim<Entry<T>> c = entries.claim(Math.min(max * batchSize, 1000), lease, maxWait);
    if (c.items().isEmpty()) {
      return Claim.none(c.nextDue());
    }
    List<Batch<T>> out = new ArrayList<>();
    List<Entry<T>> all = c.items();
    for (int i = 0; i < all.size(); i += batchSize) {
      out.add(new Batch<>(all.subList(i, Math.min(all.size(), i + batchSize))));
    }
    return Claim.of(out);
  }

  /**
   * Decodes the batch's entries ({@link StreamStore#prepare}); the ones that do not decode are
   * set aside there and dropped from the batch. False if none is left. Should setting one aside
   * fail, the batch's other entries are given back (claimable at once) and the exception leaves
   * the failed one pending, reclaimed after its lease.
   */
  @Override
  public boolean prepare(Batch<T> batch) {
    List<Entry<T>> kept = new ArrayList<>(batch.entries().size());
    List<Entry<T>> all = batch.entries();
    for (int i = 0; i < all.size(); i++) {
      Entry<T> e = all.get(i);
      boolean ok;
      try {
        ok = entries.prepare(e);
      } catch (RuntimeException x) {
        List<Entry<T>> rest = new ArrayList<>(kept);
        rest.addAll(all.subList(i + 1, all.size()));
        try {
          if (!rest.isEmpty()) {
            entries.giveBack(rest);
          }
        } catch (RuntimeException y) {
          x.addSuppressed(y); // they stay pending and are reclaimed after their lease
        }
        throw x;
      }
      if (ok) {
        kept.add(e);
      }
    }
    if (kept.size() < all.size()) {
      batch.keep(kept);
    }
    return !kept.isEmpty();
  }

  @Override
  public Collection<Batch<T>> renew(Collection<Batch<T>> held, Duration lease) {
    List<Entry<T>> flat = new ArrayList<>();
    held.forEach(b -> b.entries().stream().filter(e -> !e.leaseLost()).forEach(flat::add));
    entries.renew(flat, lease);
    List<Batch<T>> lost = new ArrayList<>();
    for (Batch<T> b : held) {
      if (b.entries().stream().allMatch(Entry::leaseLost)) {
        lost.add(b);
      }
    }
    return lost;
  }

  @Override
  public void settle(List<Settlement<Batch<T>>> batch) {
    List<Settlement<Entry<T>>> flat = new ArrayList<>();
    for (Settlement<Batch<T>> s : batch) {
      Batch<T> b = s.item();
      List<Settlement<Entry<T>>> decided = b.outcomes();
      if (decided.size() == b.entries().size()) {
        decided.stream().filter(x -> !x.item().leaseLost()).forEach(flat::add);
      } else {
        for (Entry<T> e : b.entries()) {
          if (!e.leaseLost()) {
            flat.add(new Settlement<>(e, s.outcome(), s.retryDelay(), s.error()));
          }
        }
      }
    }
    if (!flat.isEmpty()) {
      entries.settle(flat);
    }
  }

  @Override
  public void giveBack(Collection<Batch<T>> items) {
    List<Entry<T>> flat = new ArrayList<>();
    items.forEach(b -> flat.addAll(b.entries()));
    entries.giveBack(flat);
  }

  @Override
  public int attempt(Batch<T> item) {
    return item.deliveries();
  }

  @Override
  public String describe(Batch<T> item) {
    return "batch of " + item.entries().size() + " from " + entries.describe(item.entries().get(0));
  }
}
