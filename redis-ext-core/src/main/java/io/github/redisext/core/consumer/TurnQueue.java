package io.github.redisext.core.consumer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a {@link ConsumerKernel}'s {@code concurrency + 1} threads share the work: one of them at a
 * time holds the claiming turn (it claims from the store); the others take claimed items, at most
 * {@code concurrency} being handled at once.
 *
 * <p>A thread that claimed items while a handler slot is free keeps the first one and handles it
 * itself, passing the claiming turn to an idle thread: the first item of a claim starts without
 * a hand-off to another thread (on a busy machine a woken thread can wait for a CPU for
 * milliseconds; this keeps that wait off an idle consumer's pickup latency). With every slot
 * taken, the claiming thread queues what it claimed and claims on (up to the kernel's prefetch),
 * so claims never wait for a handler to finish.
 *
 * <p>One lock guards everything here, so "at most {@code concurrency} handled" is exact.
 */
final class TurnQueue<I> {
  /** What {@link #next()} returns besides an item. */
  enum Signal {
    /** The caller now holds the claiming turn. */
    CLAIM,
    /** The kernel has stopped: the caller's thread ends. */
    EXIT
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<I> items = new ArrayDeque<>();
  private final int concurrency;
  /** Items being handled, or handed to a thread about to handle them. */
  private int running;
  /** Whether a thread holds the claiming turn. */
  private boolean claiming;
  /** No more claims and no more items handed out (the kernel is stopping). */
  private boolean closed;
  /** The threads leave. */
  private boolean exit;

  TurnQueue(int concurrency) {
    this.concurrency = concurrency;
  }

  /**
   * Waits for something to do: the claiming turn (a {@link Signal#CLAIM}) when it is free, else a
   * claimed item while fewer than {@code concurrency} are handled (the caller must call {@link
   * #done()} after handling it), else {@link Signal#EXIT} once the kernel has stopped. Clears the
   * caller's interrupt flag (a handler's interrupt does not carry over to the next item).
   */
  Object next() {
    lock.lock();
    try {
      while (true) {
        if (exit) {
          return Signal.EXIT;
        }
        if (!closed) {
          if (!claiming) {
            claiming = true;
            return Signal.CLAIM;
          }
          if (running < concurrency && !items.isEmpty()) {
            running++;
            Thread.interrupted();
            return items.poll();
          }
        }
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called by the turn's holder with what it claimed (not empty). If a handler slot is free it
   * takes it, queues the rest, gives the claiming turn up and returns the first item (the caller
   * handles it and then calls {@link #done()}); else it queues everything and returns null (the
   * caller keeps the turn). After {@link #close()} it queues everything (to be given back) and
   * gives the turn up, returning null.
   */
  I claimed(List<I> claimed) {
    lock.lock();
    try {
      if (closed) {
        items.addAll(claimed);
        claiming = false;
        changed.signalAll();
        return null;
      }
      if (running < concurrency) {
        running++;
        I first = claimed.get(0);
        for (int i = 1; i < claimed.size(); i++) {
          items.add(claimed.get(i));
        }
        claiming = false;
        wake(claimed.size()); // the rest, and the turn
        return first;
      }
      items.addAll(claimed);
      wake(claimed.size());
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Gives the claiming turn up without items (its holder saw the kernel stopping). */
  void endTurn() {
    lock.lock();
    try {
      claiming = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** An item handed out by {@link #next()} or {@link #claimed} is handled (or skipped). */
  void done() {
    lock.lock();
    try {
      running--;
      if (!items.isEmpty() || !claiming) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops claiming and handing items out; waits up to {@code timeout} for the turn's holder to
   * give the turn up, then returns the items nobody started (to be given back).
   */
  List<I> close(Duration timeout) {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      long left = timeout.toNanos();
      try {
        while (claiming && left > 0) {
          left = changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stop waiting; hand back what is queued now
      }
      List<I> out = new ArrayList<>(items);
      items.clear();
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Lets every thread leave once it is done with what it has. */
  void exit() {
    lock.lock();
    try {
      exit = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void wake(int n) {
    for (int i = 0; i < n; i++) {
      changed.signal();
    }
  }
}
