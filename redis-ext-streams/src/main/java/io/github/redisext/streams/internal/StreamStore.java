package io.github.redisext.streams.internal;

import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@link LeasedStore} of a stream consumer. Claims are a reclaim pass ({@code XAUTOCLAIM}
 * following its cursor, at most every reclaim interval or at once while the cursor has not
 * wrapped) and otherwise a blocking {@code XREADGROUP ... >}. Entries this consumer is still
 * running are never dispatched twice (a local in-flight set filters every claim). Leases are
 * the entries' idle times in the group's pending list: renewals re-claim owned entries to
 * themselves; settlements (ack, retry, dead letter, give back) are fenced by the pending-list
 * owner, and a refused one is counted as a duplicate. A lost group ({@code NOGROUP}, e.g. Redis
 * restarted without persistence) is re-created by the next claim.
 *
 * @param <T> the entry type
 */
public final class StreamStore<T> implements LeasedStore<Entry<T>> {
  private static final Logger log = LoggerFactory.getLogger(StreamStore.class);
  private static final Duration HOUSEKEEPING_EVERY = Duration.ofSeconds(30);

  private final Engine<T> engine;
  private final ProcessOptions options;
  private final String group;
  private final String consumer;
  private final Metrics metrics;
  private final long reclaimAfterMillis;
  private final long reclaimEveryNanos;
  /** Entries held here (claimed, not settled; lost ones until their handler is done), by id. */
  private final Map<String, Entry<T>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final Entry.Progress progress;

  private volatile boolean groupReady;
  private String cursor = "0-0";
  private long nextReclaim;
  private long nextPrune;
  private long nextTrim;

  /** A store for one consumer named {@code consumer}. */
  public StreamStore(Engine<T> engine, ProcessOptions options, String consumer, Metrics metrics) {
    this.engine = engine;
    this.options = options;
    this.group = options.group();
    this.consumer = consumer;
    this.metrics = metrics;
    this.reclaimAfterMillis = options.consumer().lease().toMillis();
    long every = Math.min(options.consumer().idleWait().toMillis(),
        Math.min(reclaimAfterMillis / 4, Math.max(1, options.consumer().retryInitial().toMillis()
            / 2)));
    this.reclaimEveryNanos = Math.max(10, every) * 1_000_000L;
    long now = System.nanoTime();
    this.nextReclaim = now;
    this.nextPrune = now;
    this.nextTrim = now;
    this.progress = (id, ratio, status) -> {
      if (engine.options().produceEvents()) {
        engine.eventQuietly(Wire.progress(id, ratio, status));
      }
    };
  }

  /** This consumer's name. */
  public String consumer() {
    return consumer;
  }

  /** Settlements refused so far (another consumer owned the entry). */
  public long duplicates() {
    return duplicates.get();
  }

  /** Creates the group unless it exists. */
  public void ensureGroup() {
    if (engine.createGroup(group, options.startFrom().groupId())) {
      log.info("stream '{}': created consumer group '{}' at '{}'", engine.keys().stream(), group,
          options.startFrom().groupId());
    }
    groupReady = true;
  }

  static boolean isNoGroup(RuntimeException e) {
    return e instanceof JedisDataException && e.getMessage() != null
        && e.getMessage().contains("NOGROUP");
  }

  @Override
  public Claim<Entry<T>> claim(int max, Duration lease, Duration maxWait) {
    if (!groupReady) {
      ensureGroup();
    }
    try {
      return claimInGroup(max, maxWait);
    } catch (RuntimeException e) {
      if (!isNoGroup(e)) {
        throw e;
      }
      log.warn("stream '{}': consumer group '{}' is gone (Redis restarted without persistence, or "
          + "it was destroyed); re-creating it", engine.keys().stream(), group);
      groupReady = false;
      cursor = "0-0";
      ensureGroup();
      return Claim.none(Duration.ZERO);
    }
  }

  private Claim<Entry<T>> claimInGroup(int max, Duration maxWait) {
    long now = System.nanoTime();
    housekeeping(now);
    if (now - nextReclaim >= 0 || !"0-0".equals(cursor)) {
      nextReclaim = now + reclaimEveryNanos;
      Engine.Reclaimed r = engine.reclaim(group, consumer, reclaimAfterMillis, cursor, max);
      cursor = r.cursor();
      if (metrics.timed()) {
        metrics.gauge(Metric.DEPTH, r.pending());
      }
      List<Entry<T>> items = admit(r.entries());
      if (!items.isEmpty()) {
        return Claim.of(items);
      }
      if (!r.entries().isEmpty()) {
        return Claim.none(Duration.ZERO);
      }
    }
    long untilReclaim = Math.max(1, (nextReclaim - System.nanoTime()) / 1_000_000L);
    long block = Math.min(maxWait.toMillis(), untilReclaim);
    List<StreamEntry> read = engine.read(group, consumer, max, block);
    List<Engine.Raw> raws = new ArrayList<>(read.size());
    for (StreamEntry e : read) {
      raws.add(new Engine.Raw(e.getID().toString(), 1,
          e.getFields() == null ? Map.of() : e.getFields()));
    }
    List<Entry<T>> items = admit(raws);
    return items.isEmpty() ? Claim.none(Duration.ZERO) : Claim.of(items);
  }

  /**
   * Admits raw entries, skipping ones held here; they are decoded on the handling thread ({@link
   * #prepare}), not on the claim's serial path.
   */
  private List<Entry<T>> admit(List<Engine.Raw> raws) {
    List<Entry<T>> items = new ArrayList<>(raws.size());
    for (Engine.Raw raw : raws) {
      Entry<T> held = inFlight.get(raw.id());
      if (held != null && !(held.leaseLost() && held.supersede())) {
        log.debug("stream '{}': entry {} came back while it is held here; not dispatched again",
            engine.keys().stream(), raw.id());
        continue;
      }
      Entry<T> e = new Entry<>(raw.id(), raw.fields(), null, raw.deliveries(), progress);
      inFlight.put(raw.id(), e);
      items.add(e);
    }
    return items;
  }

  /**
   * Decodes the entry; one that does not decode goes to the dead-letter stream with its raw
   * fields and the error (fenced and acked as any dead letter), is forgotten here, and false is
   * returned. Should that write fail (Redis trouble), the exception leaves the entry pending: it
   * is reclaimed after the lease and tried again.
   */
  @Override
  public boolean prepare(Entry<T> entry) {
    try {
      entry.value(engine.decode(entry.fields()));
      return true;
    } catch (RuntimeException e) {
      String error = "undecodable entry: " + e.getMessage();
      log.warn("stream '{}': entry {} does not decode; moving it to '{}' with its raw fields: {}",
          engine.keys().stream(), entry.id(), engine.keys().dlq(), e.getMessage());
      List<String> events = engine.options().produceEvents()
          ? List.of(Wire.failed(entry.id(), error)) : List.of();
      try {
        List<Integer> refused = engine.settle(group, consumer, List.of(new Engine.Record('D',
            entry.id(), 0, events, Wire.deadLetterFields(entry.fields(), entry.id(),
                entry.deliveries(), group, consumer, error))));
        countRefused(refused.size());
        if (metrics.enabled()) {
          metrics.count(Metric.DEAD_LETTERED, 1 - refused.size());
        }
      } finally {
        inFlight.remove(entry.id(), entry); // settled, or left to the reclaim after its lease
      }
      return false;
    }
  }

  private void housekeeping(long now) {
    Duration idle = options.removeIdleConsumersAfter();
    if (!idle.isZero() && now - nextPrune >= 0) {
      nextPrune = now + HOUSEKEEPING_EVERY.toNanos();
      try {
        List<String> gone = engine.pruneConsumers(group, consumer, idle.toMillis());
        if (!gone.isEmpty()) {
          log.info("stream '{}': removed {} consumer(s) of group '{}' idle for more than {} with "
              + "nothing pending: {}", engine.keys().stream(), gone.size(), group, idle, gone);
        }
      } catch (RuntimeException e) {
        if (isNoGroup(e)) {
          throw e;
        }
        log.warn("stream '{}': removing idle consumers failed: {}", engine.keys().stream(),
            e.toString());
      }
    }
    Duration trim = options.trimInterval();
    if (!trim.isZero() && now - nextTrim >= 0) {
      nextTrim = now + trim.toNanos();
      try {
        long n = engine.trimAcknowledged();
        log.debug("stream '{}': trimmed {} acknowledged entries", engine.keys().stream(), n);
      } catch (RuntimeException e) {
        log.warn("stream '{}': trimming failed: {}", engine.keys().stream(), e.toString());
      }
    }
  }

  @Override
  public Collection<Entry<T>> renew(Collection<Entry<T>> held, Duration lease) {
    if (held.isEmpty()) {
      return List.of();
    }
    List<Entry<T>> items = new ArrayList<>(held);
    List<String> ids = new ArrayList<>(items.size());
    items.forEach(i -> ids.add(i.id()));
    List<Integer> lostAt;
    try {
      lostAt = engine.renew(group, consumer, ids);
    } catch (RuntimeException e) {
      if (!isNoGroup(e)) {
        throw e;
      }
      lostAt = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        lostAt.add(i);
      }
    }
    List<Entry<T>> lost = new ArrayList<>(lostAt.size());
    for (int k : lostAt) {
      Entry<T> e = items.get(k);
      if (e.isSettling()) {
        continue; // acked (or being settled) by this consumer meanwhile: not lost
      }
      e.markLeaseLost();
      lost.add(e);
    }
    // lost entries stay in the in-flight map while their handler runs (so a later delivery of
    // the same entry is not dispatched beside it); drop those that no longer run
    inFlight.values().removeIf(e -> e.leaseLost() && e.supersede());
    return lost;
  }

  @Override
  public void settle(List<Settlement<Entry<T>>> batch) {
    boolean events = engine.options().produceEvents();
    List<Engine.Record> records = new ArrayList<>(batch.size());
    int stale = 0;
    for (Settlement<Entry<T>> s : batch) {
      s.item().settling();
    }
    for (Settlement<Entry<T>> s : batch) {
      Entry<T> e = s.item();
      if (e.leaseLost()) {
        stale++; // taken over by another consumer: never settled through this delivery
        continue;
      }
      switch (s.outcome()) {
        case ACK -> records.add(new Engine.Record('A', e.id(), 0,
            events ? List.of(Wire.event(e.id(), StreamEvent.COMPLETED)) : List.of(), null));
        case RETRY -> records.add(new Engine.Record('R', e.id(),
            Math.max(0, reclaimAfterMillis - s.retryDelay().toMillis()),
            events ? List.of(Wire.failed(e.id(), failure(e, s))) : List.of(), null));
        case DEAD_LETTER -> records.add(new Engine.Record('D', e.id(), 0,
            events ? List.of(Wire.failed(e.id(), failure(e, s)),
                Wire.failed(e.id(), Wire.RETRY_LIMIT)) : List.of(),
            Wire.deadLetter(e.fields(), e.id(), e.deliveries(), group, consumer,
                s.error() == null ? Wire.RETRY_LIMIT : s.error())));
      }
    }
    List<Integer> refused = new ArrayList<>();
    try {
      if (!records.isEmpty()) {
        refused = engine.settle(group, consumer, records);
      }
    } catch (RuntimeException ex) {
      if (!isNoGroup(ex)) {
        throw ex;
      }
      refused = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        refused.add(i);
      }
    }
    for (Settlement<Entry<T>> s : batch) {
      inFlight.remove(s.item().id(), s.item());
    }
    if (!refused.isEmpty() || stale > 0) {
      countRefused(refused.size() + stale);
      log.warn("stream '{}': {} settlement(s) refused: another consumer of group '{}' took the "
          + "entries over (their lease ran out); it settles them", engine.keys().stream(),
          refused.size() + stale, group);
    }
  }

  private static String failure(Entry<?> e, Settlement<?> s) {
    return e.lastError() != null ? e.lastError() : String.valueOf(s.error());
  }

  private void countRefused(int n) {
    if (n > 0) {
      duplicates.addAndGet(n);
      metrics.count(Metric.DUPLICATE_REFUSED, n);
    }
  }

  @Override
  public void giveBack(Collection<Entry<T>> items) {
    List<Engine.Record> records = new ArrayList<>(items.size());
    for (Entry<T> e : items) {
      records.add(new Engine.Record('R', e.id(), reclaimAfterMillis, List.of(), null));
    }
    try {
      engine.settle(group, consumer, records);
    } catch (RuntimeException ex) {
      if (!isNoGroup(ex)) {
        throw ex;
      }
    }
    items.forEach(e -> inFlight.remove(e.id(), e));
  }

  @Override
  public int attempt(Entry<T> item) {
    return item.deliveries();
  }

  @Override
  public long dueAtMillis(Entry<T> item) {
    return item.deliveries() == 1 ? item.idMillis() : -1;
  }

  @Override
  public String describe(Entry<T> item) {
    return engine.keys().stream() + "/" + item.id();
  }
}
