package io.github.redisext.core.consumer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory LeasedStore with leases, tokens and injectable failures: the kernel's test double. */
final class FakeStore implements LeasedStore<FakeStore.Item> {
  /** One delivery of an item. */
  record Item(String id, int attempt, long token) {}

  private record Lease(long token, long untilNanos, int attempt) {}

  private final Deque<String> pending = new ArrayDeque<>();
  private final Map<String, Long> delayed = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, Lease> leased = new LinkedHashMap<>();
  final Map<String, Integer> acked = new LinkedHashMap<>();
  final Map<String, String> dead = new LinkedHashMap<>();
  final List<Integer> claimSizesAsked = new ArrayList<>();
  final List<Integer> settleBatchSizes = new ArrayList<>();
  final List<Duration> retryDelays = new java.util.concurrent.CopyOnWriteArrayList<>();
  final AtomicInteger renewCalls = new AtomicInteger();
  final AtomicInteger failClaims = new AtomicInteger();
  final AtomicInteger failSettles = new AtomicInteger();
  final AtomicInteger failRenews = new AtomicInteger();
  final AtomicInteger staleSettlements = new AtomicInteger();
  private long tokens;
  private int maxLeased;

  synchronized void add(String... ids) {
    for (String id : ids) {
      pending.addLast(id);
    }
  }

  synchronized void addRange(int n) {
    for (int i = 0; i < n; i++) {
      pending.addLast("i" + i);
    }
  }

  /** Takes an item's lease away as if it had expired and another consumer had claimed it. */
  synchronized void steal(String id) {
    Lease l = leased.get(id);
    leased.put(id, new Lease(-1, l.untilNanos, l.attempt));
  }

  synchronized int leasedCount() {
    return leased.size();
  }

  synchronized int maxLeased() {
    return maxLeased;
  }

  synchronized int pendingCount() {
    return pending.size() + delayed.size();
  }

  synchronized int attempts(String id) {
    return attempts.getOrDefault(id, 0);
  }

  private void expire(long now) {
    var it = leased.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue().token >= 0 && e.getValue().untilNanos < now) {
        it.remove();
        pending.addLast(e.getKey());
      }
    }
    var d = delayed.entrySet().iterator();
    while (d.hasNext()) {
      var e = d.next();
      if (e.getValue() <= now) {
        d.remove();
        pending.addLast(e.getKey());
      }
    }
  }

  @Override
  public synchronized Claim<Item> claim(int max, Duration lease, Duration maxWait) {
    claimSizesAsked.add(max);
    if (failClaims.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("claim: Redis is down (injected)");
    }
    long now = System.nanoTime();
    expire(now);
    List<Item> out = new ArrayList<>();
    while (out.size() < max && !pending.isEmpty()) {
      String id = pending.pollFirst();
      int a = attempts.merge(id, 1, Integer::sum);
      long t = ++tokens;
      leased.put(id, new Lease(t, now + lease.toNanos(), a));
      out.add(new Item(id, a, t));
    }
    maxLeased = Math.max(maxLeased, leased.size());
    if (out.isEmpty()) {
      return Claim.none(delayed.isEmpty() ? null : Duration.ofMillis(5));
    }
    return Claim.of(out);
  }

  @Override
  public synchronized Collection<Item> renew(Collection<Item> held, Duration lease) {
    renewCalls.incrementAndGet();
    if (failRenews.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("renew: Redis is down (injected)");
    }
    long now = System.nanoTime();
    List<Item> lost = new ArrayList<>();
    for (Item i : held) {
      Lease l = leased.get(i.id());
      if (l == null || l.token != i.token()) {
        lost.add(i);
      } else {
        leased.put(i.id(), new Lease(l.token, now + lease.toNanos(), l.attempt));
      }
    }
    return lost;
  }

  @Override
  public synchronized void settle(List<Settlement<Item>> batch) {
    settleBatchSizes.add(batch.size());
    if (failSettles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("settle: Redis is down (injected)");
    }
    for (Settlement<Item> s : batch) {
      Item i = s.item();
      Lease l = leased.get(i.id());
      if (l == null || l.token != i.token()) {
        staleSettlements.incrementAndGet();
        continue;
      }
      leased.remove(i.id());
      switch (s.outcome()) {
        case ACK -> acked.merge(i.id(), 1, Integer::sum);
        case RETRY -> {
          retryDelays.add(s.retryDelay());
          delayed.put(i.id(), System.nanoTime() + s.retryDelay().toNanos());
        }
        case DEAD_LETTER -> dead.put(i.id(), s.error());
      }
    }
  }

  @Override
  public synchronized void giveBack(Collection<Item> items) {
    List<String> back = new ArrayList<>();
    for (Item i : items) {
      Lease l = leased.get(i.id());
      if (l != null && l.token == i.token()) {
        leased.remove(i.id());
        attempts.merge(i.id(), -1, Integer::sum);
        back.add(i.id());
      }
    }
    for (int k = back.size() - 1; k >= 0; k--) {
      pending.addFirst(back.get(k));
    }
  }

  @Override
  public int attempt(Item item) {
    return item.attempt();
  }

  @Override
  public String describe(Item item) {
    return item.id();
  }

  /** A store that passes every call to another: views override what they change. */
  static class Forwarding implements LeasedStore<Item> {
    private final LeasedStore<Item> real;

    Forwarding(LeasedStore<Item> real) {
      this.real = real;
    }

    @Override
    public Claim<Item> claim(int max, Duration lease, Duration maxWait) {
      return real.claim(max, lease, maxWait);
    }

    @Override
    public Collection<Item> renew(Collection<Item> held, Duration lease) {
      return real.renew(held, lease);
    }

    @Override
    public void settle(List<Settlement<Item>> batch) {
      real.settle(batch);
    }

    @Override
    public void giveBack(Collection<Item> items) {
      real.giveBack(items);
    }

    @Override
    public int attempt(Item item) {
      return real.attempt(item);
    }

    @Override
    public String describe(Item item) {
      return real.describe(item);
    }
  }

  /** A view of this store for a consumer whose process "died": everything it sends is lost. */
  LeasedStore<Item> deadProcessView(java.util.function.BooleanSupplier dead) {
    return new Forwarding(this) {
      @Override
      public Claim<Item> claim(int max, Duration lease, Duration maxWait) {
        return dead.getAsBoolean() ? Claim.none(null) : super.claim(max, lease, maxWait);
      }

      @Override
      public Collection<Item> renew(Collection<Item> held, Duration lease) {
        return dead.getAsBoolean() ? List.of() : super.renew(held, lease);
      }

      @Override
      public void settle(List<Settlement<Item>> batch) {
        if (!dead.getAsBoolean()) {
          super.settle(batch);
        }
      }

      @Override
      public void giveBack(Collection<Item> items) {
        if (!dead.getAsBoolean()) {
          super.giveBack(items);
        }
      }
    };
  }

  /**
   * A view of this store whose settlement reply is slow: each batch is applied, then the call
   * returns only after {@code renewals} more lease renewals ran meanwhile (which find the settled
   * items gone, as Redis would).
   */
  LeasedStore<Item> slowSettleReplyView(int renewals) {
    FakeStore real = this;
    return new Forwarding(this) {
      @Override
      public void settle(List<Settlement<Item>> batch) {
        super.settle(batch);
        int target = real.renewCalls.get() + renewals;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (real.renewCalls.get() < target && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
    };
  }
}
