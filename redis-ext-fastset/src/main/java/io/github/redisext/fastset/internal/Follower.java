package io.github.redisext.fastset.internal;

import io.github.redisext.core.support.RedisSubscriber;
import io.github.redisext.fastset.FastSetDecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LocalCache} following the set in Redis. It makes the one decision of the
 * module — given where the cache is and what Redis said, apply these change entries, reload the
 * whole set, ask Redis first, or do nothing ({@link #plan}) — and carries it out. What Redis says
 * arrives four ways, all through that decision: a write's reply ({@link #afterWrite}), a version
 * check ({@link #check}: a read after the refresh interval, {@link #refresh}, a (re)subscription,
 * a message it could not use), a pub/sub change message ({@link #onMessage}), and the entries
 * written while the {@link Loader} scanned.
 *
 * <p>It also owns the read path's slow branch: a read takes it only when a check is due (the
 * refresh timer calls {@link #markCheckDue}) or the cache is broken (a member could not be
 * decoded: reads then throw until a load succeeds). Every change of the cache is made under its
 * lock; reads never lock.
 *
 * <p>Why this class is a little over 350 lines: the decision, the four ways news arrives and the
 * read path's slow branch share one lock and one piece of state (broken, check due, closed);
 * moving any of them elsewhere would spread the one decision over two classes again, which is
 * what this split removed. About a third of it is the pure {@link #plan} and its records.
 *
 * @param <T> the element type
 */
final class Follower<T> implements RedisSubscriber.Listener {
  private static final Logger log = LoggerFactory.getLogger(Follower.class);

  /** What the cache does about some news from Redis. */
  enum Action {
    /** The cache already holds it. */
    NOTHING,
    /** Apply {@link Plan#entries()} in order. */
    APPLY,
    /** Load the whole set. */
    RELOAD,
    /** The news is a hint (a message): check the version in Redis, then decide again. */
    CHECK
  }

  /**
   * The decision.
   *
   * @param action what to do
   * @param entries for {@link Action#APPLY}, the entries after the cached version, oldest first
   * @param reason for a {@link Action#RELOAD} caused by a data reset, why (logged); else null
   */
  record Plan(Action action, List<Entry> entries, String reason) {
    private static final Plan NOTHING = new Plan(Action.NOTHING, List.of(), null);
  }

  /**
   * Something Redis said about the set.
   *
   * @param head the version and epoch it reports
   * @param newestFirst change entries up to that version, newest first
   * @param asOf the cached version the question was asked at: a head below it means the data was
   *     reset ({@link Long#MIN_VALUE} for a message, which answers no question)
   * @param authoritative whether {@code head} is Redis's current head (a script's reply); a
   *     pub/sub message is not: where it does not fit, the answer is to ask, not to reload
   */
  record News(RemoteSet.Head head, List<Entry> newestFirst, long asOf, boolean authoritative) {
    /** A script's reply to a question asked at cached version {@code asOf}. */
    static News reply(RemoteSet.Changes changes, long asOf) {
      return new News(changes.head(), changes.newestFirst(), asOf, true);
    }

    /** A change message from pub/sub. */
    static News message(Entry e) {
      return new News(new RemoteSet.Head(e.version(), e.epoch()), List.of(e), Long.MIN_VALUE,
          false);
    }
  }

  /**
   * THE decision: how a cache at {@code cached} (and {@code broken} or not) catches up with
   * {@code news}. Entries are applied only when they continue the cached version without a gap,
   * in the cached epoch, none of them too big to list, and reach the reported version; anything
   * else means a reload (or, for a message, a check first). Pure.
   */
  static Plan plan(RemoteSet.Head cached, boolean broken, News news) {
    Action miss = news.authoritative() ? Action.RELOAD : Action.CHECK;
    RemoteSet.Head remote = news.head();
    if (!remote.epoch().equals(cached.epoch())) {
      return new Plan(miss, List.of(), "the set's epoch is " + remote.epoch() + ", the cache's "
          + cached.epoch() + " (data reset?)");
    }
    if (broken) {
      return new Plan(miss, List.of(), null);
    }
    if (remote.version() < news.asOf()) {
      return new Plan(Action.RELOAD, List.of(), "remote version " + remote.version()
          + " is below the cached " + news.asOf() + " (data reset?)");
    }
    if (remote.version() <= cached.version()) {
      return Plan.NOTHING;
    }
    List<Entry> todo = new ArrayList<>();
    long v = cached.version();
    List<Entry> entries = news.newestFirst();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.version() <= v) {
        continue;
      }
      if (e.version() != v + 1 || e.reload() || !e.epoch().equals(cached.epoch())) {
        return new Plan(miss, List.of(), null);
      }
      todo.add(e);
      v = e.version();
    }
    return v < remote.version() ? new Plan(miss, List.of(), null)
        : new Plan(Action.APPLY, todo, null);
  }

  private final String name;
  private final LocalCache<T> cache;
  private final RemoteSet remote;
  private final Loader<T> loader;
  private final SetCounters counters;
  private final ReentrantLock lock;
  private final boolean alwaysCheck;
  private final CountDownLatch firstSubscription = new CountDownLatch(1);
  /** True when a read must take the slow path: a check is due, the cache is broken or closed. */
  private volatile boolean attention;
  private volatile boolean checkDue;
  private volatile FastSetDecodeException broken;
  private volatile boolean stopped;

  Follower(String name, LocalCache<T> cache, RemoteSet remote, Loader<T> loader,
      SetCounters counters, boolean alwaysCheck) {
    this.name = name;
    this.cache = cache;
    this.remote = remote;
    this.loader = loader;
    this.counters = counters;
    this.lock = cache.lock();
    this.alwaysCheck = alwaysCheck;
    this.attention = alwaysCheck;
  }

  // ---------------------------------------------------------------- the ways news arrives

  /** Loads the set (opening). */
  void load() {
    lock.lock();
    try {
      reload();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Brings the cache to the head a write replied with, using the entries it returned.
   *
   * @param seen the cached version when the write was sent
   * @param known elements of members the writer added (not decoded again)
   */
  void afterWrite(long seen, RemoteSet.Changes reply, Map<String, T> known) {
    lock.lock();
    try {
      follow(News.reply(reply, seen), known);
    } catch (FastSetDecodeException e) {
      markBroken(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Re-validates now.
   *
   * @throws FastSetDecodeException if a member cannot be decoded
   */
  void refresh() {
    lock.lock();
    try {
      checkDue = false;
      updateAttention();
      check();
    } catch (FastSetDecodeException e) {
      markBroken(e);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The fast path of every read (one volatile read): nothing unless a check is due, the cache is
   * broken or the set is closed.
   *
   * @throws IllegalStateException if the set is closed
   * @throws FastSetDecodeException if the cache is broken
   */
  void beforeRead() {
    if (attention) {
      slowRead();
    }
  }

  private void slowRead() {
    ensureOpen();
    if (alwaysCheck || checkDue) {
      lock.lock();
      try {
        if (alwaysCheck || checkDue) {
          checkDue = false;
          updateAttention();
          try {
            check();
          } catch (FastSetDecodeException e) {
            markBroken(e);
          } catch (RuntimeException e) {
            counters.failedChecks.increment();
            log.warn("FastSet '{}': version check failed ({}); serving the cached version {}",
                name, e.getMessage(), cache.version());
          }
        }
      } finally {
        lock.unlock();
      }
    }
    FastSetDecodeException b = broken;
    if (b != null) {
      throw new FastSetDecodeException(b.key(), b.rawText(), b.getMessage(), b);
    }
  }

  @Override
  public void onMessage(String channel, String message) {
    counters.messages.increment();
    if (stopped) {
      return;
    }
    lock.lock();
    try {
      follow(News.message(Entry.parse(message)), Map.of());
    } catch (FastSetDecodeException e) {
      markBroken(e);
    } catch (RuntimeException e) {
      log.warn("FastSet '{}': could not follow change '{}' ({}); re-validating on the next read",
          name, message.length() > 100 ? message.substring(0, 100) + "…" : message, e.toString());
      markCheckDue();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onSubscribed() {
    if (stopped) {
      return;
    }
    lock.lock();
    try {
      check();
    } catch (FastSetDecodeException e) {
      markBroken(e);
    } catch (RuntimeException e) {
      log.warn("FastSet '{}': re-validation after (re)subscribing failed ({}); re-validating on "
          + "the next read", name, e.toString());
      markCheckDue();
    } finally {
      lock.unlock();
      firstSubscription.countDown();
    }
  }

  /** Waits until the first subscription has re-validated the cache; false on timeout. */
  boolean awaitFirstSubscription(long millis) throws InterruptedException {
    return firstSubscription.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The refresh timer's tick: the next read checks the version first. */
  void markCheckDue() {
    checkDue = true;
    attention = true;
  }

  /** Ignores messages and subscriptions from now on and makes every operation throw (closing). */
  void stop() {
    stopped = true;
    attention = true;
  }

  /** Whether {@link #stop()} was called. */
  boolean stopped() {
    return stopped;
  }

  /**
   * Throws once stopped.
   *
   * @throws IllegalStateException naming the set
   */
  void ensureOpen() {
    if (stopped) {
      throw new IllegalStateException("FastSet '" + name + "' is closed");
    }
  }

  // ---------------------------------------------------------------- carrying the decision out

  /** One round trip for the head and the entries after the cached version; then follows them. */
  private void check() {
    counters.versionChecks.increment();
    long at = cache.version();
    follow(News.reply(remote.changesSince(at), at), Map.of());
  }

  private void follow(News news, Map<String, T> known) {
    Plan plan = plan(new RemoteSet.Head(cache.version(), cache.epoch()), broken != null, news);
    switch (plan.action()) {
      case NOTHING -> { }
      case APPLY -> {
        for (Entry e : plan.entries()) {
          cache.apply(e, known);
          counters.deltasApplied.increment();
        }
      }
      case RELOAD -> {
        if (plan.reason() != null) {
          log.info("FastSet '{}': {}; reloading", name, plan.reason());
        }
        reload();
      }
      case CHECK -> check();
      default -> throw new AssertionError(plan);
    }
  }

  private void reload() {
    Loader.Loaded<T> l = loader.load();
    cache.install(l.members(), l.head().version(), l.head().epoch());
    counters.loaded();
    broken = null;
    updateAttention();
  }

  private void markBroken(FastSetDecodeException e) {
    if (broken == null) {
      log.error("FastSet '{}': cannot use member {}: {}", name,
          Members.quote(String.valueOf(e.rawText())), e.getMessage());
    }
    broken = e;
    updateAttention();
  }

  private void updateAttention() {
    attention = alwaysCheck || checkDue || broken != null || stopped;
  }
}
