package io.github.redisext.uniqueid.internal;

import io.github.redisext.core.WrongTypeException;
import io.github.redisext.uniqueid.InvalidIdException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Combines concurrent single-name get-or-create calls into one script call (flat combining): each
 * caller queues its request; whoever gets the lock sends every queued request (up to one script
 * call's worth) with one {@link Mappings#getOrCreate} and hands each caller its id. Alone, a
 * caller takes the lock at once and sends just its own name, so one thread pays nothing extra;
 * with many threads the round trips are shared. No thread of its own.
 *
 * <p>Errors: a bad value ({@link InvalidIdException}) or a key of another type ({@link
 * WrongTypeException}) fails the whole script call without any change, so the batch is then retried name by name and only the callers of the bad name get the
 * exception; any other failure (connection) goes to every caller of that batch. Thread-safe.
 */
public final class Combiner {
  private final Mappings mappings;
  private final Counters counters;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * A combiner over {@code mappings}.
   *
   * @param mappings the namespace's mappings
   * @param counters where callers served by another caller's call are counted as found
   * @param maxBatch most names per script call
   */
  public Combiner(Mappings mappings, Counters counters, int maxBatch) {
    this.mappings = mappings;
    this.counters = counters;
    this.maxBatch = maxBatch;
  }

  /**
   * The id of {@code name}, created if missing; may be sent together with other threads' names.
   *
   * @param name a valid name
   * @return its id
   */
  public long getOrCreate(String name) {
    Request r = new Request(name, Thread.currentThread());
    queue.add(r);
    boolean interrupted = false;
    try {
      while (!r.done) {
        if (lock.tryLock()) {
          try {
            while (!r.done) {
              List<Request> batch = drain();
              if (batch.isEmpty()) {
                break;
              }
              run(batch);
            }
          } finally {
            lock.unlock();
          }
          // requests queued while we held the lock: wake one of their callers to combine them
          Request next = queue.peek();
          if (next != null) {
            LockSupport.unpark(next.thread);
          }
        } else {
          LockSupport.park(this);
          if (Thread.interrupted()) {
            // the request may already be on its way: wait for its answer, keep the interrupt
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.error != null) {
      throw r.error;
    }
    return r.id;
  }

  private List<Request> drain() {
    List<Request> batch = new ArrayList<>();
    Request x;
    while (batch.size() < maxBatch && (x = queue.poll()) != null) {
      batch.add(x);
    }
    return batch;
  }

  private void run(List<Request> batch) {
    Map<String, List<Request>> byName = new LinkedHashMap<>();
    for (Request x : batch) {
      byName.computeIfAbsent(x.name, k -> new ArrayList<>(1)).add(x);
    }
    List<String> names = new ArrayList<>(byName.keySet());
    // the same name asked by several callers at once: one lookup, the others found its id
    long shared = batch.size() - names.size();
    try {
      long[] ids = mappings.getOrCreate(names);
      for (int i = 0; i < ids.length; i++) {
        for (Request x : byName.get(names.get(i))) {
          x.id = ids[i];
        }
      }
      counters.found.add(shared);
    } catch (InvalidIdException | WrongTypeException e) {
      if (names.size() == 1) {
        fail(batch, e);
      } else {
        for (Map.Entry<String, List<Request>> en : byName.entrySet()) {
          try {
            long id = mappings.getOrCreate(List.of(en.getKey()))[0];
            en.getValue().forEach(x -> x.id = id);
            counters.found.add(en.getValue().size() - 1);
          } catch (RuntimeException one) {
            fail(en.getValue(), one);
          }
        }
      }
    } catch (RuntimeException | Error e) {
      RuntimeException re = e instanceof RuntimeException rt ? rt
          : new IllegalStateException("get-or-create failed", e);
      fail(batch, re);
    }
    for (Request x : batch) {
      x.done = true;
      LockSupport.unpark(x.thread);
    }
  }

  private static void fail(List<Request> requests, RuntimeException e) {
    for (Request x : requests) {
      x.error = e;
    }
  }

  private static final class Request {
    final String name;
    final Thread thread;
    long id;
    RuntimeException error;
    volatile boolean done;

    Request(String name, Thread thread) {
      this.name = name;
      this.thread = thread;
    }
  }
}
