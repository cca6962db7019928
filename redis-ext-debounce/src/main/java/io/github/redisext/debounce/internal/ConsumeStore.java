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
 * owner token per claim), decodes them, and settles through {@link Commands}, a whole
 * batch of acks in one call (retries and dead letters likewise). A member that cannot be decoded
 * (or decodes to null) never reaches the handler: it goes to the dead letters with its raw text
 * at once, without counting an attempt.
 *
 * @param <T> the task type
 */
public final class ConsumeStore<T> implements LeasedStore<ConsumeStore.Item<T>> {
  private static final Logger log = LoggerFactory.getLogger(ConsumeStore.class);
  /** The longest sleep between claims while the wake-up subscription is down. */
  private static final Duration UNSUBSCRIBED_POLL = Duration.ofMillis(50);

  /**
   * One delivery of a task.
   *
   * @param member the raw member (the task's JSON), as stored
   * @param token the owner token of the claim that leased it
   * @param attempt this delivery's number (1 on the first; earlier failed deliveries + 1)
   * @param task the decoded task
   * @param dueMillis when it fell due (its score), epoch milliseconds, or -1
   */
  public record Item<T>(String member, String token, int attempt, T task, long dueMillis) {}

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
    List<Item<T>> items = new ArrayList<>(members.size());
    List<Commands.Dead> bad = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      String m = members.get(i);
      T task;
      try {
        task = engine.decode(m);
        if (task == null) {
          bad.add(new Commands.Dead(token, m, false, "decoded to null"));
          continue;
        }
      } catch (RuntimeException e) {
        bad.add(new Commands.Dead(token, m, false, engine.undecodable(m, e)));
        continue;
      }
      items.add(new Item<>(m, token, c.failures().get(i) + 1, task, c.dueMillis()[i]));
    }
    if (!bad.isEmpty()) {
      try {
        engine.setAside(bad);
      } catch (RuntimeException e) {
        // they stay leased and come back after the lease (and are set aside then)
        log.warn("debounce task '{}': could not move {} undecodable member(s) to '{}' ({}); "
            + "they come back after their lease", engine.keys().tasks(), bad.size(),
            engine.keys().dead(), e.toString());
      }
    }
    if (!items.isEmpty()) {
      return Claim.of(items);
    }
    if (!members.isEmpty()) {
      return Claim.none(Duration.ZERO); // only undecodable ones: more may be due
    }
    long nanos = c.reply().nanosUntilNext();
    Duration next = nanos == Long.MAX_VALUE ? null : Duration.ofNanos(nanos);
    if (!wakeUps.subscribed() && (next == null || next.compareTo(UNSUBSCRIBED_POLL) > 0)) {
      next = UNSUBSCRIBED_POLL; // wake-ups may be missed meanwhile: look again soon
    }
    return Claim.none(next);
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
