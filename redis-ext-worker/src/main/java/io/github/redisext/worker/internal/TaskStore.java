package io.github.redisext.worker.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.consumer.LeasedStore;
import io.github.redisext.core.consumer.Outcome;
import io.github.redisext.core.consumer.Settlement;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.KeyTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The worker's {@link LeasedStore} for the core consumer kernel. A claim runs fetch.lua (the
 * worker's claim list, due retries, then the queue head, into its in-flight hash under its lease);
 * when that finds nothing it blocks in BLMOVE until a task arrives (or a retry falls due, or the
 * idle wait ends) and fetches again at once, so an idle worker picks a pushed task up within a
 * round trip. Tasks are decoded on the thread about to handle them ({@link #prepare}: the claim's
 * serial path only parses the reply); one that cannot be decoded never reaches the handler: it is
 * dead-lettered there with its raw bytes. Settling is group-committed: the
 * batch's acknowledgements in one ack.lua call, each failure through fail.lua. Renewal is the
 * {@link LeaseKeeper}'s. Giving back runs release.lua.
 *
 * @param <T> the task type
 */
public final class TaskStore<T> implements LeasedStore<TaskStore.Task<T>> {
  private static final Logger log = LoggerFactory.getLogger(TaskStore.class);

  /** One delivery of a task. */
  public static final class Task<T> {
    private final String id;
    private final int attempt;
    private final byte[] payload;
    private T task; // set by prepare(), on the thread that then handles the task

    Task(String id, int attempt, byte[] payload) {
      this.id = id;
      this.attempt = attempt;
      this.payload = payload;
    }

    /** The task's id (unique within the queue). */
    public String id() {
      return id;
    }

    /** The delivery number, 1 on the first. */
    public int attempt() {
      return attempt;
    }

    /** The raw bytes as queued. */
    public byte[] payload() {
      return payload;
    }

    /** The decoded task (once {@link TaskStore#prepare} has run, on the handling thread). */
    public T task() {
      return task;
    }
  }

  private final UnifiedJedis client;
  private final WorkerScripts redis;
  private final QueueKeys keys;
  private final Codec<T> codec;
  private final String workerId;
  private final int maxAttempts;
  private final Metrics metrics;
  private final BlockingWait waiter;
  private final Holdings holdings = new Holdings();
  private final LeaseKeeper keeper;
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile boolean closing;
  /** Failures of a batch already applied when a later call of the same batch failed. */
  private final Set<String> failuresApplied = new HashSet<>();

  /** A store for worker {@code workerId}; {@code metrics} gets what the kernel cannot see. */
  public TaskStore(UnifiedJedis client, WorkerScripts redis, Codec<T> codec, String workerId,
      int maxAttempts, Metrics metrics) {
    this.client = client;
    this.redis = redis;
    this.keys = redis.keys();
    this.codec = codec;
    this.workerId = workerId;
    this.maxAttempts = maxAttempts;
    this.metrics = metrics;
    this.waiter = new BlockingWait(client, keys.queue(), keys.claim(workerId));
    this.keeper = new LeaseKeeper(redis, workerId, maxAttempts, holdings, metrics, deadLettered);
  }

  /**
   * Tasks this store moved to the dead-letter list itself: undecodable payloads and the tasks of
   * dead workers it recovered with no attempts left.
   */
  public long deadLettered() {
    return deadLettered.get();
  }

  /**
   * Claims nothing more from now on (the worker is stopping: a failure in stop-on-failure mode or
   * {@code close()} from a handler must not let the next tasks start while the shutdown begins).
   */
  public void stopClaiming() {
    closing = true;
    waiter.wakeUp();
  }

  @Override
  public Claim<Task<T>> claim(int max, Duration lease, Duration maxWait) {
    if (closing) {
      return Claim.none(null); // the kernel waits for its close()'s wake-up
    }
    int n = Math.min(max, WorkerScripts.MAX_FETCH);
    WorkerScripts.Fetched f = redis.fetch(workerId, n, lease.toMillis());
    if (f.deliveries().isEmpty()) {
      long waitMs = maxWait.toMillis();
      if (f.nextDueMillis() >= 0) {
        waitMs = Math.min(waitMs, f.nextDueMillis());
      }
      if (waitMs <= 0 || !await(waitMs)) {
        return Claim.none(Duration.ZERO); // claim again at once: due, timed out or woken up
      }
      f = redis.fetch(workerId, n, lease.toMillis());
    }
    List<Task<T>> tasks = decode(f.deliveries());
    return tasks.isEmpty() ? Claim.none(Duration.ZERO) : Claim.of(tasks);
  }

  private boolean await(long millis) {
    try {
      return waiter.await(millis);
    } catch (JedisDataException e) {
      throw KeyTypes.translate(client, e, keys.queue(), "list", keys.claim(workerId), "list");
    }
  }

  private List<Task<T>> decode(List<Delivery> deliveries) {
    List<Task<T>> out = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      out.add(new Task<>(d.id(), d.attempts(), d.payload()));
      holdings.hold(d.id());
    }
    return out;
  }

  /**
   * Decodes the task's payload; one the codec cannot read is dead-lettered with its raw bytes
   * and false is returned. Should that fail (Redis trouble), the task stays in-flight, held by
   * nothing here: the lease keeper gives it back as an orphan, and it is read (and set aside)
   * again.
   */
  @Override
  public boolean prepare(Task<T> t) {
    try {
      t.task = Payloads.decode(codec, t.payload());
      return true;
    } catch (Payloads.Undecodable e) {
      deadLetterUndecodable(t.id(), e.getMessage());
      holdings.release(List.of(t.id()));
      return false;
    }
  }

  private void deadLetterUndecodable(String id, String error) {
    log.warn("queue '{}': task {} cannot be decoded ({}); moving it to the dead-letter list with "
        + "its raw bytes", keys.queue(), id, error);
    try {
      WorkerScripts.FailResult r = redis.fail(workerId, id, error, maxAttempts, 0, true);
      if (r.outcome() == WorkerScripts.FailOutcome.DEAD_LETTERED) {
        deadLettered.incrementAndGet();
        metrics.count(Metric.DEAD_LETTERED, 1);
      }
    } catch (RuntimeException x) {
      log.warn("queue '{}': dead-lettering undecodable task {} failed ({}); it is given back and "
          + "read again", keys.queue(), id, x.toString());
    }
  }

  @Override
  public Collection<Task<T>> renew(Collection<Task<T>> held, Duration lease) {
    Set<String> ids = new HashSet<>();
    for (Task<T> t : held) {
      ids.add(t.id());
    }
    Set<String> lost = keeper.renew(ids, lease);
    if (lost.isEmpty()) {
      return List.of();
    }
    List<Task<T>> out = new ArrayList<>(lost.size());
    for (Task<T> t : held) {
      if (lost.contains(t.id())) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public void settle(List<Settlement<Task<T>>> batch) {
    List<String> all = new ArrayList<>(batch.size());
    List<String> acks = new ArrayList<>(batch.size());
    for (Settlement<Task<T>> s : batch) {
      all.add(s.item().id());
      if (s.outcome() == Outcome.ACK) {
        acks.add(s.item().id());
      }
    }
    holdings.settling(all);
    try {
      if (!acks.isEmpty()) {
        redis.ack(workerId, acks);
      }
      for (Settlement<Task<T>> s : batch) {
        if (s.outcome() != Outcome.ACK && failuresApplied.add(s.item().id())) {
          fail(s);
        }
      }
    } catch (RuntimeException e) {
      holdings.settleFailed(all);
      throw e; // the kernel repeats the batch: acks are idempotent, applied failures are skipped
    }
    failuresApplied.clear();
    holdings.release(all);
  }

  private void fail(Settlement<Task<T>> s) {
    Task<T> t = s.item();
    try {
      WorkerScripts.FailResult r = redis.fail(workerId, t.id(), s.error(), maxAttempts,
          s.retryDelay().toMillis(), s.outcome() == Outcome.DEAD_LETTER);
      if (r.outcome() != WorkerScripts.FailOutcome.RETRIED
          && r.outcome() != WorkerScripts.FailOutcome.DEAD_LETTERED) {
        log.warn("queue '{}': task {} was no longer in-flight at worker {}: {}; its failure ({}) "
            + "is not recorded", keys.queue(), t.id(), workerId, r.whereItWent(keys), s.error());
      }
    } catch (RuntimeException e) {
      failuresApplied.remove(t.id());
      throw e;
    }
  }

  @Override
  public void giveBack(Collection<Task<T>> items) {
    List<String> ids = new ArrayList<>(items.size());
    for (Task<T> t : items) {
      ids.add(t.id());
    }
    WorkerScripts.Released r = redis.release(workerId, ids, false);
    holdings.release(ids);
    if (r.released() > 0) {
      log.info("worker {} on queue '{}' gave back {} unstarted tasks", workerId, keys.queue(),
          r.released());
    }
  }

  /**
   * After the kernel stopped: gives back what the claim list still holds and unregisters the
   * worker if nothing is left in-flight (otherwise its lease expires and a live worker recovers
   * the rest).
   */
  public void unregister() {
    try {
      WorkerScripts.Released r = redis.release(workerId, List.of(), true);
      if (r.stillInFlight() > 0) {
        log.warn("worker {} on queue '{}' stopped with {} tasks still in-flight; they return to "
            + "the queue when its lease expires", workerId, keys.queue(), r.stillInFlight());
      }
    } catch (RuntimeException e) {
      log.warn("worker {} on queue '{}': unregistering failed ({}); its lease will expire",
          workerId, keys.queue(), e.getMessage());
    }
  }

  @Override
  public int attempt(Task<T> item) {
    return item.attempt();
  }

  @Override
  public String describe(Task<T> item) {
    return item.id();
  }

  @Override
  public void wakeUp() {
    waiter.wakeUp();
  }
}
