package io.github.redisext.timers.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit of completions: handler threads that finish together share one {@code
 * complete_many.lua} call per shard. Each caller still waits for its own result, so a completion
 * is in Redis when {@link #complete} returns.
 */
final class Completer {
  private static final int MAX_BATCH = 256;

  private final TimerStore store;
  private final Shard[] shards;

  private static final class Shard {
    final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean flushing = new AtomicBoolean();
  }

  private static final class Pending {
    final Claim claim;
    final CountDownLatch done = new CountDownLatch(1);
    volatile long result;
    volatile RuntimeException error;

    Pending(Claim claim) {
      this.claim = claim;
    }
  }

  Completer(TimerStore store, int shardCount) {
    this.store = store;
    this.shards = new Shard[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard();
    }
  }

  /**
   * Removes a handled timer (with others finishing at the same time): 1 removed, 2 set again
   * meanwhile (kept), 0 lease lost.
   *
   * @throws RuntimeException the Redis error of the batch it was in
   */
  long complete(Claim c) {
    Shard s = shards[c.shard];
    Pending p = new Pending(c);
    s.queue.add(p);
    while (p.done.getCount() > 0) {
      if (s.flushing.compareAndSet(false, true)) {
        do {
          try {
            flushAll(c.shard, s);
          } finally {
            s.flushing.set(false);
          }
          // a completion queued after the last drain but before the flag was cleared: its
          // thread saw the flag set and waits, so take it now
        } while (!s.queue.isEmpty() && s.flushing.compareAndSet(false, true));
      } else {
        try {
          // the flusher drains until the queue is empty and re-checks after clearing its flag,
          // so this wait ends with the result; the timeout is only a safety net
          p.done.await(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while completing timer " + c.member, e);
        }
      }
    }
    if (p.error != null) {
      throw p.error;
    }
    return p.result;
  }

  private void flushAll(int shard, Shard s) {
    while (flush(shard, s)) {
      // drain everything queued meanwhile
    }
  }

  /** Runs one batch; false if the queue was empty. */
  private boolean flush(int shard, Shard s) {
    List<Pending> batch = new ArrayList<>();
    Pending x;
    while (batch.size() < MAX_BATCH && (x = s.queue.poll()) != null) {
      batch.add(x);
    }
    if (batch.isEmpty()) {
      return false;
    }
    List<Claim> claims = new ArrayList<>(batch.size());
    for (Pending b : batch) {
      claims.add(b.claim);
    }
    try {
      List<Long> r = store.complete(shard, claims);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result = r.get(i);
      }
    } catch (RuntimeException e) {
      for (Pending b : batch) {
        b.error = e;
      }
    } finally {
      for (Pending b : batch) {
        b.done.countDown();
      }
    }
    return true;
  }
}
