package io.github.redisext.events.internal;

import io.github.redisext.core.CodecException;
import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.consumer.DeadLetterException;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Replies;
import io.github.redisext.events.DeliveryMode;
import io.github.redisext.events.Event;
import io.github.redisext.events.EventHandler;
import io.github.redisext.events.StartPosition;
import io.github.redisext.events.SubscriberInfo;
import io.github.redisext.events.Subscription;
import io.github.redisext.events.SubscriptionOptions;
import io.github.redisext.events.SubscriptionStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/** A running durable subscription: a {@link ConsumerKernel} over a {@link SubscriptionStore}. */
public final class SubscriptionRunner<T> implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionRunner.class);

  private final UnifiedJedis client;
  private final EventKeys keys;
  private final EventKeys.Sub sub;
  private final String name;
  private final SubscriptionOptions options;
  private final EventHandler<T> handler;
  private final String consumerId;
  private final String handlerType;
  private final Duration eventTtl;
  private final Metrics metrics;
  private final Runnable onClose;
  private final ConsumerKernel<Batch<T>> kernel;
  private final ScheduledFuture<?> heartbeat;
  private volatile boolean closed;
  /**
   * Ordered: the next id to handle (every id below it is through here); a batch starting above it
   * waits (is given back) until the batches before it are through; -1 until the first claim.
   */
  private volatile long expected = -1;
  private final boolean ordered;

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();

  /**
   * Creates the subscription in Redis if needed (join.lua) and starts consuming.
   *
   * @param scheduler runs the presence heartbeats
   * @param onClose called once when closed (the queue forgets it)
   */
  public SubscriptionRunner(UnifiedJedis client, EventKeys keys, String name,
      EventReader<T> reader, EventHandler<T> handler, SubscriptionOptions options,
      String consumerId, Duration eventTtl, ScheduledExecutorService scheduler,
      Runnable onClose) {
    this.client = client;
    this.keys = keys;
    this.sub = keys.sub(name);
    this.name = name;
    this.options = options;
    this.handler = handler;
    this.consumerId = consumerId;
    this.handlerType = handler.getClass().getName();
    this.eventTtl = eventTtl;
    this.onClose = onClose;
    this.metrics = Metrics.of(client, options.consumer().metrics(),
        MetricSource.of("events", keys.type()).withTag("subscription", name));
    this.ordered = options.mode() == DeliveryMode.BROADCAST;
    join(options.start());
    SubscriptionStore<T> store = new SubscriptionStore<>(client, keys, name, reader,
        options.batchSize(), options.mode() == DeliveryMode.BROADCAST, options.writeStatus(),
        consumerId, () -> join(StartPosition.OLDEST), this::onNews, this::onSettled);
    // the kernel counts batches; per-event metrics are reported here
    // ordered: one handler thread takes the batches in the order they were claimed
    ConsumerOptions.Builder kernelOptions = options.consumer().toBuilder()
        .metrics(MetricsListener.NONE);
    if (ordered) {
      kernelOptions.concurrency(1);
    }
    this.kernel = ConsumerKernel.start(store, this::handleBatch, kernelOptions.build(),
        "redis-ext-events", metrics.source());
    long every = Math.max(100, options.presenceTimeout().toMillis() / 3);
    this.heartbeat = scheduler.scheduleWithFixedDelay(this::beat, every, every,
        TimeUnit.MILLISECONDS);
    log.info("events subscription '{}' of {} started ({}, consumer {})", name, keys.type(),
        options.mode(), consumerId);
  }

  private void join(StartPosition start) {
    Scripts.JOIN.eval(client, List.of(sub.state(), keys.registry(), sub.subscriber(),
        keys.counter(), keys.index(), keys.epoch()), List.of(name,
        options.mode().name().toLowerCase(Locale.ROOT), start.name().toLowerCase(Locale.ROOT),
        Long.toString(options.presenceTimeout().toMillis()), handlerType, consumerId,
        Long.toString(eventTtl.toSeconds())));
  }

  private void beat() {
    if (closed) {
      return;
    }
    try {
      join(StartPosition.OLDEST);
    } catch (RuntimeException e) {
      log.warn("events subscription '{}' of {}: presence heartbeat failed ({}); retrying at the "
          + "next one", name, keys.type(), e.toString());
    }
  }

  /** Claims at once (a notification arrived, or the pub/sub connection was re-established). */
  public void wakeUp() {
    if (!closed) {
      kernel.wakeUp();
    }
  }

  private void handleBatch(Batch<T> b) throws Exception {
    if (ordered && expected >= 0 && b.from > expected) {
      b.skipped = true; // an earlier batch is not through yet (failing, or given back)
      return;
    }
    try {
      handleEntries(b);
    } catch (Exception | Error x) {
      if (ordered) {
        expected = b.from + b.done; // the failing event: its retry comes first
      }
      throw x;
    }
    if (ordered) {
      expected = Math.max(expected, b.to + 1);
    }
  }

  private void handleEntries(Batch<T> b) throws Exception {
    for (int i = b.done; i < b.entries.size(); i++) {
      Batch.Entry<T> e = b.entries.get(i);
      if (e.missed()) {
        b.done = i + 1;
        continue;
      }
      if (e.problem() != null) {
        throw new DeadLetterException(e.problem());
      }
      Event<T> ev = e.event();
      if (!ev.isDecoded()) {
        try {
          ev.payload();
        } catch (CodecException c) {
          // pickle or foreign bytes: no attempt will do better; kept aside with the raw bytes
          throw new DeadLetterException("payload of event " + ev.id() + " cannot be decoded: "
              + c.getMessage(), c);
        }
      }
      boolean timed = metrics.timed();
      if (timed && ev.createdAt() != null) {
        metrics.time(Metric.DELIVERY_LAG, Math.max(0,
            System.currentTimeMillis() - ev.createdAt().toEpochMilli()) * 1_000_000L);
      }
      long started = timed ? System.nanoTime() : 0;
      try {
        handler.handle(ev);
      } catch (Exception | Error x) {
        failed.incrementAndGet();
        if (timed) {
          metrics.time(Metric.HANDLER_TIME, System.nanoTime() - started);
        }
        metrics.count(Metric.FAILED, 1);
        throw x;
      }
      handled.incrementAndGet();
      if (timed) {
        metrics.time(Metric.HANDLER_TIME, System.nanoTime() - started);
      }
      metrics.count(Metric.HANDLED, 1);
      b.done = i + 1;
    }
  }

  private void onNews(SubscriptionStore.ClaimNews n) {
    if (ordered && n.headFrom() >= 0) {
      expected = n.headFrom(); // nothing below it is open in Redis: every id before it is through
    }
    if (n.delivered() > 0) {
      delivered.addAndGet(n.delivered());
      metrics.count(Metric.DELIVERED, n.delivered());
    }
    if (!n.missed().isEmpty()) {
      missed.addAndGet(n.missed().size());
      metrics.count(Metric.MISSED, n.missed().size());
      log.warn("events subscription '{}' of {}: {} events expired before they were read "
          + "(missed), ids {}", name, keys.type(), n.missed().size(), abbreviate(n.missed()));
    }
    if (n.reset()) {
      resets.incrementAndGet();
      log.warn("events subscription '{}' of {}: the counter {} was reset (Redis restarted empty or "
          + "the key was deleted); reading again from id 1", name, keys.type(), keys.counter());
    }
  }

  private static String abbreviate(List<Long> ids) {
    if (ids.size() <= 10) {
      return ids.toString();
    }
    return ids.subList(0, 5) + "..." + ids.get(ids.size() - 1);
  }

  private void onSettled(List<Settlement<Batch<T>>> batch) {
    boolean progress = false;
    for (Settlement<Batch<T>> s : batch) {
      switch (s.outcome()) {
        case RETRY -> {
          retried.incrementAndGet();
          metrics.count(Metric.RETRIED, 1);
        }
        case DEAD_LETTER -> {
          deadLettered.incrementAndGet();
          metrics.count(Metric.DEAD_LETTERED, 1);
          if (ordered && s.item().doneUpTo() + 1 == expected) {
            expected = expected + 1; // the failing event is aside now: the rest may go on
          }
          progress = true;
        }
        default -> progress = true; // handled, or skipped and given back
      }
    }
    if (progress) {
      kernel.wakeUp();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DeliveryMode mode() {
    return options.mode();
  }

  @Override
  public boolean isRunning() {
    return !closed;
  }

  @Override
  public SubscriptionStats stats() {
    return new SubscriptionStats(delivered.get(), handled.get(), failed.get(), retried.get(),
        deadLettered.get(), missed.get(), resets.get());
  }

  @Override
  public SubscriberInfo info() {
    open();
    for (SubscriberInfo i : SubscriberList.read(client, keys)) {
      if (i.name().equals(name)) {
        return i;
      }
    }
    return null;
  }

  @Override
  public List<DeadLetter> deadLetters(int max) {
    open();
    Args.inRange(max, 0, 1_000_000, "max");
    if (max == 0) {
      return List.of();
    }
    List<Object> reply = Replies.toList(Scripts.DEAD_LETTERS.evalBinary(client,
        List.of(sub.dead(), sub.deadData()), List.of(Integer.toString(max)
            .getBytes(StandardCharsets.UTF_8))));
    List<DeadLetter> out = new ArrayList<>(reply.size());
    for (Object o : reply) {
      List<Object> r = Replies.toList(o);
      String id = Replies.toStr(r.get(0));
      DeadLetter.Builder b = DeadLetter.builder(id, EventReader.bytes(r.get(2)))
          .error(Replies.toStr(r.get(3)))
          .attempts((int) Math.max(1, Replies.toLong(r.get(4))))
          .failedAt(Instant.ofEpochMilli((long) Double.parseDouble(Replies.toStr(r.get(1)))))
          .topic(name)
          .ref(id);
      String consumer = Replies.toStr(r.get(6));
      if (consumer != null && !consumer.isEmpty()) {
        b.consumer(consumer);
      }
      out.add(b.build());
    }
    return out;
  }

  @Override
  public long deadLetterCount() {
    open();
    return io.github.redisext.core.support.KeyTypes.call(client, () -> client.zcard(sub.dead()),
        sub.dead(), "zset");
  }

  @Override
  public long requeue(Collection<DeadLetter> letters) {
    open();
    List<String> ids = ids(letters);
    if (ids.isEmpty()) {
      return 0;
    }
    return requeueIds(ids);
  }

  @Override
  public long requeueAllDeadLetters() {
    open();
    return requeueIds(List.of("*"));
  }

  private long requeueIds(List<String> ids) {
    long n = Replies.toLong(Scripts.REQUEUE_DEAD.eval(client,
        List.of(sub.dead(), sub.deadData(), sub.leases(), sub.batches()), ids));
    if (n > 0) {
      kernel.wakeUp();
    }
    return n;
  }

  @Override
  public long purge(Collection<DeadLetter> letters) {
    open();
    List<String> ids = ids(letters);
    if (ids.isEmpty()) {
      return 0;
    }
    return Replies.toLong(Scripts.PURGE_DEAD.eval(client, List.of(sub.dead(), sub.deadData()),
        ids));
  }

  @Override
  public long purgeAllDeadLetters() {
    open();
    return Replies.toLong(Scripts.PURGE_DEAD.eval(client, List.of(sub.dead(), sub.deadData()),
        List.of("*")));
  }

  private static List<String> ids(Collection<DeadLetter> letters) {
    Args.notNull(letters, "letters");
    List<String> ids = new ArrayList<>();
    for (DeadLetter d : letters) {
      String ref = Args.notNull(d, "dead letter").ref();
      if (!"*".equals(ref)) {
        ids.add(ref);
      }
    }
    return ids;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("Subscription '" + name + "' is closed");
    }
  }

  @Override
  public void close() {
    close(options.consumer().shutdownGrace());
  }

  @Override
  public boolean close(Duration grace) {
    synchronized (this) {
      if (closed) {
        return kernel.close(grace);
      }
      closed = true;
    }
    heartbeat.cancel(false);
    boolean clean = kernel.close(grace);
    onClose.run();
    log.info("events subscription '{}' of {} stopped ({})", name, keys.type(), stats());
    return clean;
  }

  @Override
  public String toString() {
    return "Subscription[" + keys.type() + "/" + name + ", " + options.mode()
        + (closed ? ", closed" : "") + "]";
  }
}
