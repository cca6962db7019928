package io.github.redisext.debounce.internal;

import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeasedStore} of {@code DebounceTask.consume}: claims due members with a lease (one
 * owner token per claim), decodes each on the thread about to handle it ({@link #prepare}: the
 * claim's serial path only parses the reply), and settles through {@link Commands}, a whole
 * batch of acks in one call (retries and dead letters likewise). A member that cannot be decoded
 * (or decodes to null) never reaches the handler: it goes to the dead letters with its raw text
 * at once, under its lease, without counting an attempt.
 *
 * @param <T> the task type
 */
public final class ConsumeStore<T> implements LeasedStore<ConsumeStore.Item<T>> {
  private static final Logger log = LoggerFactory.getLogger(ConsumeStore.class);
  /** The longest sleep between claims while the wake-up subscription is down. */
  private static final Duration UNSUBSCRIBED_POLL = Duration.ofMillis(50);

  /** One delivery of a task. */
  public static final class Item<T> {
    private final String member;
    private final String token;
    private final int attempt;
    private final long dueMillis;
    private T task; // set by prepare(), on the thread that then handles the item

    Item(String member, String token, int attempt, long dueMillis) {
      this.member = member;
      this.token = token;
      this.attempt = attempt;
      this.dueMillis = dueMillis;
    }

    /** The raw member (the task's JSON), as stored. */
    public String member() {
      return member;
    }

    /** The owner token of the claim that leased it. */
    public String token() {
      return token;
    }

    /** This delivery's number (1 on the first; earlier failed deliveries + 1). */
    public int attempt() {
      return attempt;
    }

    /** When it fell due (its score), epoch milliseconds, or -1. */
    public long dueMillis() {
      return dueMillis;
    }

    /** The decoded task (once {@link ConsumeStore#prepare} has run, on the handling thread). */
    public T task() {
      return task;
    }
  }

  private final Engine<T> engine;
  private final WakeUps wakeUps;
  private final String id = UUID.randomUUID().toString().substring(0, 13);
  private final AtomicLong claims = new AtomicLong();

  /** A store over {@code engine}'s keys; {@code wakeUps} tells whether wake-ups can be trusted. */
  public ConsumeStore(Engine<T> engine, WakeUps wakeUps) {
    this.engine = engine;
    this.wakeUps = wakeUps;
  }

  /** This consumer's id (the prefix of its owner tokens). */
  public String id() {
    return id;
  }

  @Override
  public Claim<Item<T>> claim(int max, Duration lease, Duration maxWait) {
    String token = id + ":" + claims.incrementAndGet();
    PopReply.Claimed c = engine.claim(max, token, lease);
    List<String> members = c.reply().members();
    if (!members.isEmpty()) {
      List<Item<T>> items = new ArrayList<>(members.size());
      for (int i = 0; i < members.size(); i++) {
        items.add(new Item<>(members.get(i), token, c.failures().get(i) + 1, c.dueMillis()[i]));
      }
      return Claim.of(items);
    }
    long nanos = c.reply().nanosUntilNext();
    Duration next = nanos == Long.MAX_VALUE ? null : Duration.ofNanos(nanos);
    if (!wakeUps.subscribed() && (next == null || next.compareTo(UNSUBSCRIBED_POLL) > 0)) {
      next = UNSUBSCRIBED_POLL; // wake-ups may be missed meanwhile: look again soon
    }
    return Claim.none(next);
  }

  /**
   * Decodes the item's member; one that cannot be decoded (or decodes to null) is moved to the
   * dead letters under its lease, without counting an attempt, and false is returned. Should that
   * move fail (Redis trouble), the exception leaves the member leased: it comes back after its
   * lease and is set aside then.
   */
  @Override
  public boolean prepare(Item<T> item) {
    String m = item.member();
    String error;
    try {
      item.task = engine.decode(m);
      if (item.task != null) {
        return true;
      }
      error = "decoded to null";
    } catch (RuntimeException e) {
      error = engine.undecodable(m, e);
    }
    engine.setAside(List.of(new Commands.Dead(item.token(), m, false, error)));
    return false;
  }

  @Override
  public Collection<Item<T>> renew(Collection<Item<T>> held, Duration lease) {
    List<Item<T>> items = new ArrayList<>(held);
    List<Commands.Lease> leases = new ArrayList<>(items.size());
    for (Item<T> i : items) {
      leases.add(new Commands.Lease(i.token(), i.member()));
    }
    List<Item<T>> lost = new ArrayList<>();
    for (int k : engine.commands().renew(leases, lease)) {
      lost.add(items.get(k));
    }
    return lost;
  }

  @Override
  public void settle(List<Settlement<Item<T>>> batch) {
    List<Commands.Lease> acks = new ArrayList<>();
    List<Commands.Retry> retries = new ArrayList<>();
    List<Commands.Dead> dead = new ArrayList<>();
    for (Settlement<Item<T>> s : batch) {
      Item<T> i = s.item();
      switch (s.outcome()) {
        case ACK -> acks.add(new Commands.Lease(i.token(), i.member()));
        case RETRY -> retries.add(new Commands.Retry(i.token(), i.member(), s.retryDelay()));
        case DEAD_LETTER -> dead.add(new Commands.Dead(i.token(), i.member(), true,
            s.error() == null ? "dead-lettered" : s.error()));
      }
    }
    // each call is idempotent (owner tokens): if a later one fails, the kernel repeats the batch
    // and the earlier ones find their leases gone, changing nothing
    long stale = engine.commands().ack(acks) + engine.commands().retry(retries);
    long stored = engine.deadLetter(dead);
    stale += dead.size() - stored;
    if (stale > 0) {
      engine.metrics().count(Metric.DUPLICATE_REFUSED, stale);
      log.warn("debounce task '{}': the lease of {} task(s) ran out before they were settled; "
          + "they may have been delivered again (nothing changed for them)",
          engine.keys().tasks(), stale);
    }
  }

  @Override
  public void giveBack(Collection<Item<T>> items) {
    List<Commands.Lease> leases = new ArrayList<>(items.size());
    for (Item<T> i : items) {
      leases.add(new Commands.Lease(i.token(), i.member()));
    }
    engine.commands().giveBack(leases);
  }

  @Override
  public int attempt(Item<T> item) {
    return item.attempt();
  }

  @Override
  public long dueAtMillis(Item<T> item) {
    return item.dueMillis();
  }

  @Override
  public String describe(Item<T> item) {
    return Engine.abbreviate(item.member());
  }
}
