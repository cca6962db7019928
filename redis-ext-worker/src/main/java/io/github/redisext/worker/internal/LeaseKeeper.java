package io.github.redisext.worker.internal;

import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker does on every lease renewal (the kernel calls it every third of the lease): it
 * renews the worker's lease, finds the held tasks it lost (another worker recovered them after
 * this worker's lease ran out), recovers the tasks of workers whose lease ran out, and gives back
 * orphans (tasks in its in-flight hash that it does not hold: a fetch whose reply was lost).
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final int RECOVER_PER_ROUND = 16;

  private final WorkerScripts redis;
  private final String workerId;
  private final int maxAttempts;
  private final Holdings holdings;
  private final Metrics metrics;
  private final AtomicLong deadLettered;
  private Set<String> suspects = new HashSet<>();
  private boolean registeredOnce;

  LeaseKeeper(WorkerScripts redis, String workerId, int maxAttempts, Holdings holdings,
      Metrics metrics, AtomicLong deadLettered) {
    this.redis = redis;
    this.workerId = workerId;
    this.maxAttempts = maxAttempts;
    this.holdings = holdings;
    this.metrics = metrics;
    this.deadLettered = deadLettered;
  }

  private String queue() {
    return redis.keys().queue();
  }

  /**
   * Renews the lease and keeps the queue tidy; returns the ids among {@code held} that were lost.
   * Called by one thread at a time.
   *
   * @throws RuntimeException if the lease could not be renewed (Redis trouble)
   */
  synchronized Set<String> renew(Set<String> held, Duration lease) {
    boolean fresh = redis.heartbeat(workerId, lease.toMillis());
    if (fresh && registeredOnce) {
      log.warn("worker {} on queue '{}' had lost its lease (it stalled past {} or Redis lost its "
          + "data); its in-flight tasks may be handled twice", workerId, queue(), lease);
    }
    registeredOnce = true;
    Set<String> inFlight = new HashSet<>(redis.inFlightIds(workerId));
    Set<String> lost = new HashSet<>();
    for (String id : held) {
      if (!inFlight.contains(id) && holdings.lostIfMissing(id)) {
        lost.add(id);
      }
    }
    holdings.release(lost);
    try {
      recoverDeadWorkers();
      giveBackOrphans(inFlight);
    } catch (RuntimeException e) {
      log.warn("worker {} on queue '{}': recovering dead workers or orphaned tasks failed ({}: "
          + "{}); will retry", workerId, queue(), e.getClass().getSimpleName(), e.getMessage());
    }
    return lost;
  }

  private void recoverDeadWorkers() {
    for (String dead : redis.expired(RECOVER_PER_ROUND)) {
      if (dead.equals(workerId)) {
        continue;
      }
      WorkerScripts.Recovered r = redis.recover(dead, maxAttempts, workerId);
      if (r.recovered()) {
        deadLettered.addAndGet(r.deadLettered());
        metrics.count(Metric.DEAD_LETTERED, r.deadLettered());
        log.warn("queue '{}': lease of worker {} expired; worker {} requeued {} of its tasks and "
            + "dead-lettered {}", queue(), dead, workerId, r.requeued(), r.deadLettered());
      }
    }
  }

  /** Gives back in-flight tasks nothing here holds, once they were seen twice in a row. */
  private void giveBackOrphans(Set<String> inFlight) {
    Set<String> unknown = new HashSet<>();
    for (String id : inFlight) {
      if (!holdings.holds(id)) {
        unknown.add(id);
      }
    }
    List<String> orphans = new ArrayList<>();
    for (String id : unknown) {
      if (suspects.contains(id)) {
        orphans.add(id);
      }
    }
    unknown.removeAll(orphans);
    suspects = unknown;
    if (!orphans.isEmpty()) {
      WorkerScripts.Released r = redis.release(workerId, orphans, false);
      log.warn("worker {} on queue '{}': gave back {} orphaned in-flight tasks (a fetch reply was "
          + "lost)", workerId, queue(), r.released());
    }
  }
}
