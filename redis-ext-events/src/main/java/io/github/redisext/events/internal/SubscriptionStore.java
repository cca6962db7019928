package io.github.redisext.events.internal;

import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Outcome;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.support.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@link LeasedStore} of one durable subscription: items are batches of consecutive event ids
 * (claim.lua), settled by settle.lua, renewed by renew.lua, given back by give_back.lua.
 */
final class SubscriptionStore<T> implements LeasedStore<Batch<T>> {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionStore.class);
  /**
   * How long an id below the counter may lack its event before it counts as missed: Python's
   * eventy increments the counter before it writes the event, so a fresh gap may still fill.
   */
  static final Duration GAP_GRACE = Duration.ofSeconds(2);
  /**
   * Batches of an ordered (broadcast) subscription in flight at one consumer: the next one is
   * read while the current one is handled; one handler thread takes them in order.
   */
  static final int ORDERED_WINDOW = 2;

  private final UnifiedJedis client;
  private final EventKeys keys;
  private final EventKeys.Sub sub;
  private final String name;
  private final EventReader<T> reader;
  private final int batchSize;
  private final boolean ordered;
  private final boolean writeStatus;
  private final String consumerId;
  private final Runnable rejoin;
  private final Consumer<ClaimNews> news;
  private final Consumer<List<Settlement<Batch<T>>>> settled;
  private final List<String> claimKeys;
  private final List<String> settleKeys;
  private final List<String> leaseKeys;

  /** What a claim found beyond its batches, for the subscription's counters and logs. */
  record ClaimNews(boolean reset, int delivered, List<Long> missed, long headFrom) {}

  SubscriptionStore(UnifiedJedis client, EventKeys keys, String name, EventReader<T> reader,
      int batchSize, boolean ordered, boolean writeStatus, String consumerId, Runnable rejoin,
      Consumer<ClaimNews> news, Consumer<List<Settlement<Batch<T>>>> settled) {
    this.client = client;
    this.keys = keys;
    this.sub = keys.sub(name);
    this.name = name;
    this.reader = reader;
    this.batchSize = batchSize;
    this.ordered = ordered;
    this.writeStatus = writeStatus;
    this.consumerId = consumerId;
    this.rejoin = rejoin;
    this.news = news;
    this.settled = settled;
    this.claimKeys = List.of(sub.state(), sub.leases(), sub.batches(), keys.counter(),
        keys.index(), keys.epoch(), sub.deadData());
    this.settleKeys = List.of(sub.state(), sub.leases(), sub.batches(), sub.dead(),
        sub.deadData());
    this.leaseKeys = List.of(sub.leases(), sub.batches());
  }

  @Override
  public Claim<Batch<T>> claim(int max, Duration lease, Duration maxWait) {
    String token = UUID.randomUUID().toString();
    List<byte[]> args = List.of(b(keys.eventPrefix()), b(Integer.toString(max)),
        b(Integer.toString(batchSize)), b(Long.toString(Math.max(1, lease.toMillis()))), b(token),
        b(ordered ? "1" : "0"), b(Long.toString(GAP_GRACE.toMillis())), b(consumerId),
        b(Integer.toString(ORDERED_WINDOW)));
    List<Object> reply = Replies.toList(Scripts.CLAIM.evalBinary(client, claimKeys, args));
    String status = Replies.toStr(reply.get(0));
    if ("gone".equals(status)) {
      log.warn("events subscription '{}' of {}: its state is gone from Redis (deleted, or Redis "
          + "lost its data); creating it again from the oldest retained event", name,
          keys.type());
      rejoin.run();
      return Claim.none(Duration.ZERO);
    }
    long nextDue = Replies.toLong(reply.get(1));
    boolean reset = Replies.toLong(reply.get(2)) == 1;
    List<Batch<T>> batches = new ArrayList<>();
    List<Long> missed = new ArrayList<>();
    int delivered = 0;
    long headFrom = -1;
    for (int i = 3; i < reply.size(); i++) {
      List<Object> raw = Replies.toList(reply.get(i));
      long from = Replies.toLong(raw.get(0));
      long to = Replies.toLong(raw.get(1));
      int attempt = (int) Replies.toLong(raw.get(2));
      if (Replies.toLong(raw.get(3)) == 1) {
        headFrom = from;
      }
      // six values per event: id, kind, then the kind's fields (claim.lua)
      List<Batch.Entry<T>> entries = new ArrayList<>((raw.size() - 4) / 6);
      for (int j = 4; j + 5 < raw.size(); j += 6) {
        long id = Replies.toLong(raw.get(j));
        String kind = Replies.toStr(raw.get(j + 1));
        switch (kind) {
          case "h" -> {
            entries.add(new Batch.Entry<>(id, reader.build(id, EventReader.text(raw.get(j + 3)),
                EventReader.text(raw.get(j + 4)), EventReader.text(raw.get(j + 5)),
                EventReader.bytes(raw.get(j + 2))), null, false));
            delivered++;
          }
          case "r" -> {
            entries.add(new Batch.Entry<>(id, reader.build(id, "ERROR",
                EventReader.text(raw.get(j + 3)), null, EventReader.bytes(raw.get(j + 2))), null,
                false));
            delivered++;
          }
          case "w" -> entries.add(new Batch.Entry<>(id, null, "key " + keys.event(id)
              + " holds a " + Replies.toStr(raw.get(j + 2)) + ", not an event hash", false));
          default -> {
            entries.add(new Batch.Entry<>(id, null, null, true));
            if (attempt == 1) {
              missed.add(id);
            }
          }
        }
      }
      if (ordered) {
        // decoded here, on the claim thread, while the one handler thread of an ordered
        // subscription handles the batch before (a shared one decodes on its handler threads)
        for (Batch.Entry<T> e : entries) {
          if (e.event() != null) {
            e.event().isDecoded();
          }
        }
      }
      batches.add(new Batch<>(from, to, attempt, token, entries));
    }
    if (reset || delivered > 0 || !missed.isEmpty() || headFrom >= 0) {
      news.accept(new ClaimNews(reset, delivered, missed, headFrom));
    }
    if (batches.isEmpty()) {
      return Claim.none(nextDue >= 0 ? Duration.ofMillis(nextDue) : null);
    }
    return Claim.of(batches);
  }

  @Override
  public Collection<Batch<T>> renew(Collection<Batch<T>> held, Duration lease) {
    if (held.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(1 + 2 * held.size());
    args.add(Long.toString(Math.max(1, lease.toMillis())));
    for (Batch<T> b : held) {
      args.add(Long.toString(b.from));
      args.add(b.token);
    }
    List<String> lost = Replies.toStringList(Scripts.RENEW.eval(client, leaseKeys, args));
    if (lost.isEmpty()) {
      return List.of();
    }
    List<Batch<T>> out = new ArrayList<>();
    for (Batch<T> b : held) {
      if (lost.contains(Long.toString(b.from))) {
        out.add(b);
      }
    }
    return out;
  }

  @Override
  public void settle(List<Settlement<Batch<T>>> batch) {
    List<Batch<T>> skipped = new ArrayList<>();
    List<Settlement<Batch<T>>> handled = new ArrayList<>(batch.size());
    for (Settlement<Batch<T>> s : batch) {
      if (s.item().skipped) {
        skipped.add(s.item());
      } else {
        handled.add(s);
      }
    }
    giveBack(skipped);
    if (!handled.isEmpty()) {
      settleHandled(handled);
    }
    settled.accept(batch);
  }

  private void settleHandled(List<Settlement<Batch<T>>> batch) {
    List<String> args = new ArrayList<>(3 + 6 * batch.size());
    args.add(keys.eventPrefix());
    args.add(writeStatus ? "1" : "0");
    args.add(consumerId);
    for (Settlement<Batch<T>> s : batch) {
      Batch<T> b = s.item();
      args.add(Long.toString(b.from));
      args.add(b.token);
      args.add(s.outcome() == Outcome.ACK ? "A" : s.outcome() == Outcome.RETRY ? "R" : "D");
      args.add(Long.toString(s.outcome() == Outcome.ACK ? b.to : b.doneUpTo()));
      args.add(Long.toString(s.retryDelay().toMillis()));
      args.add(s.error() == null ? "" : s.error());
    }
    Scripts.SETTLE.eval(client, settleKeys, args);
  }

  @Override
  public void giveBack(Collection<Batch<T>> items) {
    if (items.isEmpty()) {
      return;
    }
    List<String> args = new ArrayList<>(2 * items.size());
    for (Batch<T> b : items) {
      args.add(Long.toString(b.from));
      args.add(b.token);
    }
    Scripts.GIVE_BACK.eval(client, leaseKeys, args);
  }

  @Override
  public int attempt(Batch<T> item) {
    return item.failingAttempt();
  }

  @Override
  public String describe(Batch<T> item) {
    long at = item.from + item.done;
    return keys.type() + " event " + at + " (batch " + item.from + ".." + item.to
        + ") of subscription '" + name + "'";
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
