package io.github.redisext.fastset;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Backoff;
import io.github.redisext.fastset.internal.LocalCache;
import io.github.redisext.fastset.internal.OpenSet;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link Set} backed by a Redis set and read from a local cache: {@code contains}, {@code size}
 * and iteration cost no round trip, every write is one atomic Lua script that changes the Redis
 * set, bumps its version and announces the change, and every instance in any process follows.
 * Compatible with the Python {@code redis-ext} {@code FastSet} (same keys, same member bytes).
 *
 * <pre>{@code
 * try (FastSet<String> users = FastSet.create(redis, "users", String.class)) {
 *   users.add("alice");                 // one script: SADD + INCR version + PUBLISH
 *   users.contains("alice");            // local, no round trip
 *   users.addAll(List.of("bob", "eve")); // one script for the batch
 *   Set<String> both = users.intersection(otherUsers);
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>The whole {@link Set} contract</b>: {@code equals}/{@code hashCode} with any set,
 *       iterators with {@code remove}, bulk methods that report whether the set changed. Nulls are
 *       not allowed: {@code add(null)}, {@code contains(null)}, ... throw {@link
 *       NullPointerException}.
 *   <li><b>Atomic writes.</b> {@code add}, {@code remove}, {@code addAll}, {@code removeAll},
 *       {@code clear} each run one script. {@code retainAll}, {@code removeIf} and {@code
 *       symmetricDifferenceUpdate} compute the change from the cache and apply it only if the
 *       version is still the one they read (optimistic concurrency), retrying on a conflict. No
 *       update of any writer in any process is lost.
 *   <li><b>Read your writes.</b> When a write returns, the cache holds its effect and everything
 *       written before it (the script returns the changes the cache had not seen).
 *   <li><b>Freshness.</b> With push invalidation (default) other instances apply a change within
 *       one pub/sub delivery (milliseconds); after a reconnect the cache is re-validated. The
 *       timeout refresh bounds staleness by {@link FastSetOptions#refreshInterval()} plus one round
 *       trip for writers that do not publish (the Python FastSet) and whenever the subscription is
 *       down.
 *   <li><b>Iteration over a snapshot</b>: an iterator sees the set at one version and never throws
 *       {@link java.util.ConcurrentModificationException}.
 *   <li><b>Thread-safe</b>; reads never lock.
 * </ul>
 *
 * <p>Elements are stored as Python's {@code json.dumps(value, sort_keys=True)} text ({@link
 * io.github.redisext.core.JsonStyle#PYTHON_ASCII}); equal elements must encode to equal text. A
 * member in Redis that is not the canonical text of an element makes reads throw {@link
 * FastSetDecodeException} naming the key and the member.
 *
 * <p>All or nothing: every script checks each of the set's keys before its first write. When one
 * holds another Redis type (say {@code key + ":log"} is a string), every operation that reaches
 * Redis throws {@link io.github.redisext.core.WrongTypeException} naming that key and nothing is
 * changed; a version key that holds no integer fails the same way with a {@link
 * RedisExtException}. Open instances keep serving their last good state and catch up once the key
 * is fixed. Bulk writes are one script whatever their size.
 *
 * <p>Lifecycle and metrics: a set is {@link AutoCloseable}; after {@link #close()} its operations
 * throw {@link IllegalStateException}. {@link FastSetOptions.Builder#metrics} reports {@code
 * PUBLISHED} (members written) and {@code RELOADED} (full loads) to a listener.
 *
 * @param <T> the element type
 */
public final class FastSet<T> extends AbstractSet<T> implements AutoCloseable {
  private static final Backoff CONFLICT_BACKOFF = Backoff.exponential(Duration.ofMillis(1),
      Duration.ofMillis(100));

  private final OpenSet<T> open;

  private FastSet(OpenSet<T> open) {
    this.open = open;
  }

  /**
   * Opens the set stored under {@code key} with the default options, loading it from Redis.
   *
   * @param client the client (standalone, cluster or sentinel); not closed by the set
   * @param key the set's name, the prefix of its keys: members in {@code key + ":value"}, version
   *     in {@code key + ":version"} (the Python layout). A name with a hash tag ({@code
   *     "{users}"}) is used as given everywhere; an untagged one ({@code "users"}) as given on a
   *     standalone or sentinel server and as {@code "{users}"} on a cluster, so both work
   *     everywhere (see {@link io.github.redisext.core.KeySpace#forName})
   * @param type the element class (decoded and encoded with {@link JsonCodec})
   * @param <T> the element type
   * @return the open set; close it to stop its threads
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the key is blank, or has braces that form
   *     no hash tag
   * @throws FastSetDecodeException if a member in Redis is not a canonical element
   * @throws io.github.redisext.core.WrongTypeException if a key of the set holds another type
   */
  public static <T> FastSet<T> create(UnifiedJedis client, String key, Class<T> type) {
    return create(client, key, type, FastSetOptions.defaults());
  }

  /**
   * Opens the set stored under {@code key}, loading it from Redis.
   *
   * @param client the client (standalone, cluster or sentinel); not closed by the set
   * @param key the set's name (see {@link #create(UnifiedJedis, String, Class)})
   * @param type the element class
   * @param options the options
   * @param <T> the element type
   * @return the open set; close it to stop its threads
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the key is blank, or has braces that form
   *     no hash tag
   * @throws FastSetDecodeException if a member in Redis is not a canonical element
   * @see #create(UnifiedJedis, String, Class)
   */
  public static <T> FastSet<T> create(UnifiedJedis client, String key, Class<T> type,
      FastSetOptions options) {
    Args.notNull(type, "type");
    return create(client, key, JsonCodec.of(type), options);
  }

  /**
   * Opens the set stored under {@code key} with a codec of your own (a generic element type,
   * custom Gson adapters). Members are always written in {@link
   * io.github.redisext.core.JsonStyle#PYTHON_ASCII}, whatever the codec's style.
   *
   * @param client the client (standalone, cluster or sentinel); not closed by the set
   * @param key the set's name (see {@link #create(UnifiedJedis, String, Class)})
   * @param codec the element codec (its Gson and type are used, its style is not)
   * @param options the options
   * @param <T> the element type
   * @return the open set; close it to stop its threads
   * @throws NullPointerException if an argument is null
   * @throws io.github.redisext.core.KeyNameException if the key is blank, or has braces that form
   *     no hash tag
   * @throws FastSetDecodeException if a member in Redis is not a canonical element
   * @see #create(UnifiedJedis, String, Class)
   */
  public static <T> FastSet<T> create(UnifiedJedis client, String key, JsonCodec<T> codec,
      FastSetOptions options) {
    Args.notNull(client, "client");
    Args.notNull(codec, "codec");
    Args.notNull(options, "options");
    return new FastSet<>(OpenSet.open(client, key, codec, options));
  }

  // ------------------------------------------------------------------ reads (local)

  /**
   * Whether the set holds {@code o}, answered from the local cache.
   *
   * @throws NullPointerException if {@code o} is null
   * @throws FastSetDecodeException if Redis holds a member that cannot be decoded
   */
  @Override
  public boolean contains(Object o) {
    open.ensureOpen();
    if (o == null) {
      throw new NullPointerException("FastSet '" + open.name() + "' holds no nulls: element "
          + "must not be null");
    }
    return open.contains(o);
  }

  /** The number of elements, from the local cache. */
  @Override
  public int size() {
    return open.size();
  }

  /** Whether the set is empty, from the local cache. */
  @Override
  public boolean isEmpty() {
    return open.size() == 0;
  }

  /**
   * An iterator over a snapshot of the set (one version); never throws {@link
   * java.util.ConcurrentModificationException}. Its {@code remove} removes the last element from
   * the set (one script).
   */
  @Override
  public Iterator<T> iterator() {
    return new SnapshotIterator(open.snapshot().elements());
  }

  /** The elements of one snapshot, in a new array. */
  @Override
  public Object[] toArray() {
    return open.snapshot().elements().clone();
  }

  /**
   * The elements of one snapshot in {@code a} if it is big enough (the next slot is set to null),
   * else in a new array of its type.
   *
   * @throws NullPointerException if {@code a} is null
   * @throws ArrayStoreException if an element is not of {@code a}'s component type
   */
  @Override
  @SuppressWarnings("unchecked")
  public <A> A[] toArray(A[] a) {
    open.ensureOpen();
    Objects.requireNonNull(a, "array must not be null");
    Object[] s = open.snapshot().elements();
    if (a.length < s.length) {
      return (A[]) Arrays.copyOf(s, s.length, a.getClass());
    }
    System.arraycopy(s, 0, a, 0, s.length);
    if (a.length > s.length) {
      a[s.length] = null;
    }
    return a;
  }

  /**
   * Whether every element of {@code c} is in the set, from the local cache.
   *
   * @throws NullPointerException if {@code c} or one of its elements is null
   */
  @Override
  public boolean containsAll(Collection<?> c) {
    open.ensureOpen();
    return super.containsAll(c);
  }

  /**
   * A spliterator over a snapshot of the set (one version), taken now: {@code SIZED}, {@code
   * DISTINCT}, {@code NONNULL}; {@code stream()} and {@code forEach} use it.
   */
  @Override
  public Spliterator<T> spliterator() {
    return Spliterators.spliterator(open.snapshot().elements(), Spliterator.DISTINCT
        | Spliterator.NONNULL);
  }

  /** Whether {@code o} is a set with the same elements (the {@link Set} contract). */
  @Override
  public boolean equals(Object o) {
    open.ensureOpen();
    return super.equals(o);
  }

  /** The sum of the elements' hash codes (the {@link Set} contract), over one snapshot. */
  @Override
  public int hashCode() {
    open.ensureOpen();
    return super.hashCode();
  }

  /**
   * The elements, like any collection ({@code [a, b]}); once closed, {@code FastSet '<name>'
   * (closed)} instead of throwing, so a closed set can still be logged.
   */
  @Override
  public String toString() {
    return open.isClosed() ? "FastSet '" + open.name() + "' (closed)" : super.toString();
  }

  // ------------------------------------------------------------------ writes (one script each)

  /**
   * Adds {@code e} (one script: SADD, and when it was new, INCR of the version, log, PUBLISH).
   *
   * @return whether it was not in the set yet
   * @throws NullPointerException if {@code e} is null
   * @throws io.github.redisext.core.CodecException if {@code e} cannot be encoded
   * @throws IllegalStateException if the set is closed
   * @throws io.github.redisext.core.WrongTypeException if a key of the set holds another type
   *     (nothing changed; the same for every write)
   */
  @Override
  public boolean add(T e) {
    open.ensureOpen();
    Args.notNull(e, "element");
    String m = open.encode(e);
    return open.change(List.of(m), List.of(), null, Map.of(m, e)) > 0;
  }

  /**
   * Removes {@code o} (one script).
   *
   * @return whether it was in the set
   * @throws NullPointerException if {@code o} is null
   * @throws IllegalStateException if the set is closed
   */
  @Override
  public boolean remove(Object o) {
    open.ensureOpen();
    Args.notNull(o, "element");
    String m = open.encodeIfElement(o);
    if (m == null) {
      return false;
    }
    return open.change(List.of(), List.of(m), null, Map.of()) > 0;
  }

  /**
   * Adds every element of {@code c} in one script (Python's {@code update}).
   *
   * @return whether the set changed
   * @throws NullPointerException if {@code c} or one of its elements is null (nothing is added)
   */
  @Override
  public boolean addAll(Collection<? extends T> c) {
    open.ensureOpen();
    Args.noNulls(c, "elements");
    Map<String, T> members = new LinkedHashMap<>();
    for (T e : c) {
      members.put(open.encode(e), e);
    }
    return open.change(members.keySet(), List.of(), null, members) > 0;
  }

  /**
   * Removes every element of {@code c} in one script (Python's {@code difference_update}).
   *
   * @return whether the set changed
   * @throws NullPointerException if {@code c} or one of its elements is null (nothing is removed)
   */
  @Override
  public boolean removeAll(Collection<?> c) {
    open.ensureOpen();
    Args.noNulls(c, "elements");
    Set<String> members = new LinkedHashSet<>();
    for (Object o : c) {
      String m = open.encodeIfElement(o);
      if (m != null) {
        members.add(m);
      }
    }
    return open.change(List.of(), members, null, Map.of()) > 0;
  }

  /**
   * Keeps only the elements in {@code c} (Python's {@code intersection_update}): computed from the
   * cache and applied only if the set is still at that version; retried after a conflict.
   *
   * @return whether the set changed
   * @throws NullPointerException if {@code c} is null
   * @throws RedisExtException if other writers won {@link FastSetOptions#maxConflictRetries()}
   *     times in a row
   */
  @Override
  public boolean retainAll(Collection<?> c) {
    open.ensureOpen();
    Objects.requireNonNull(c, "collection must not be null");
    return removeWhere(c::contains, false, "retainAll");
  }

  /**
   * Removes the elements matching {@code filter}: evaluated on the cache and applied only if the
   * set is still at that version; retried (re-evaluated) after a conflict.
   *
   * @return whether the set changed
   * @throws NullPointerException if {@code filter} is null
   * @throws RedisExtException if other writers won {@link FastSetOptions#maxConflictRetries()}
   *     times in a row
   */
  @Override
  public boolean removeIf(Predicate<? super T> filter) {
    open.ensureOpen();
    Objects.requireNonNull(filter, "filter must not be null");
    return removeWhere(filter, true, "removeIf");
  }

  @SuppressWarnings("unchecked")
  private boolean removeWhere(Predicate<? super T> test, boolean removeMatching, String what) {
    for (int attempt = 0; ; attempt++) {
      LocalCache.Snapshot snap = open.snapshot();
      List<String> removes = new ArrayList<>();
      for (Object o : snap.elements()) {
        if (test.test((T) o) == removeMatching) {
          removes.add(open.encode((T) o));
        }
      }
      long r = open.change(List.of(), removes, snap, Map.of());
      if (r >= 0) {
        return r > 0;
      }
      afterConflict(attempt, what);
    }
  }

  /**
   * Makes the set the symmetric difference of itself and {@code other} (Python's {@code
   * symmetric_difference_update}): elements of {@code other} in the set are removed, the others
   * added, in one conditional script, retried after a conflict.
   *
   * @return whether the set changed
   * @throws NullPointerException if {@code other} or one of its elements is null
   */
  @SuppressWarnings("unchecked")
  public boolean symmetricDifferenceUpdate(Collection<? extends T> other) {
    open.ensureOpen();
    Args.noNulls(other, "other");
    Set<T> distinct = new LinkedHashSet<>(other);
    for (int attempt = 0; ; attempt++) {
      LocalCache.Snapshot snap = open.snapshot();
      Set<Object> current = new HashSet<>(Arrays.asList(snap.elements()));
      Map<String, T> adds = new LinkedHashMap<>();
      List<String> removes = new ArrayList<>();
      for (T e : distinct) {
        if (current.contains(e)) {
          removes.add(open.encode(e));
        } else {
          adds.put(open.encode(e), e);
        }
      }
      long r = open.change(adds.keySet(), removes, snap, adds);
      if (r >= 0) {
        return r > 0;
      }
      afterConflict(attempt, "symmetricDifferenceUpdate");
    }
  }

  private void afterConflict(int attempt, String what) {
    if (attempt >= open.options().maxConflictRetries()) {
      throw new RedisExtException("FastSet '" + open.name() + "': " + what + " gave up after "
          + (attempt + 1) + " version conflicts with other writers");
    }
    // the first retry is immediate (the cache has just caught up); later ones back off with jitter
    // so that a steady stream of other writes cannot starve a conditional write
    if (attempt >= 1 && !CONFLICT_BACKOFF.sleep(attempt)) {
      throw new RedisExtException("FastSet '" + open.name() + "': " + what
          + " interrupted while retrying after a version conflict");
    }
  }

  /**
   * Removes every element (one script: DEL of the value key, INCR of the version, like the Python
   * {@code clear}).
   *
   * @throws IllegalStateException if the set is closed
   */
  @Override
  public void clear() {
    open.clear();
  }

  // ------------------------------------------------------------------ set algebra (local)

  /** A modifiable copy of the elements (a {@link HashSet} not connected to Redis). */
  @SuppressWarnings("unchecked")
  public Set<T> copy() {
    Set<T> out = new HashSet<>();
    for (Object o : open.snapshot().elements()) {
      out.add((T) o);
    }
    return out;
  }

  /** A new set with the elements of this set and of {@code other} (Python's {@code |}). */
  public Set<T> union(Collection<? extends T> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    Set<T> out = copy();
    out.addAll(other);
    return out;
  }

  /** A new set with the elements of this set that are in {@code other} (Python's {@code &}). */
  public Set<T> intersection(Collection<?> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    Set<T> out = copy();
    out.retainAll(other instanceof Set<?> ? other : new HashSet<>(other));
    return out;
  }

  /** A new set with the elements of this set that are not in {@code other} (Python's {@code -}). */
  public Set<T> difference(Collection<?> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    Set<T> out = copy();
    out.removeAll(other instanceof Set<?> ? other : new HashSet<>(other));
    return out;
  }

  /**
   * A new set with the elements in exactly one of this set and {@code other} (Python's {@code ^}).
   */
  public Set<T> symmetricDifference(Collection<? extends T> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    Set<T> out = copy();
    for (T e : new HashSet<T>(other)) {
      if (!out.remove(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether every element of this set is in {@code other} (Python's {@code issubset}). */
  public boolean isSubsetOf(Collection<?> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    Collection<?> o = other instanceof Set<?> ? other : new HashSet<>(other);
    for (Object e : open.snapshot().elements()) {
      if (!o.contains(e)) {
        return false;
      }
    }
    return true;
  }

  /** Whether every element of {@code other} is in this set (Python's {@code issuperset}). */
  public boolean isSupersetOf(Collection<?> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    for (Object e : other) {
      if (e == null || !open.contains(e)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this set and {@code other} have no element in common (Python's {@code isdisjoint}). */
  public boolean isDisjoint(Collection<?> other) {
    open.ensureOpen();
    Objects.requireNonNull(other, "other must not be null");
    for (Object e : other) {
      if (e != null && open.contains(e)) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ the rest

  /** The name this set was opened with, as given (its keys may carry a tag added on a cluster). */
  public String key() {
    return open.name();
  }

  /**
   * The version of the local cache: the value of {@code key:version} the cache reflects (every
   * change bumps it by one).
   */
  public long version() {
    return open.version();
  }

  /**
   * Re-validates the cache now: one round trip, plus the changes (or a reload) if the set moved.
   *
   * @throws FastSetDecodeException if Redis holds a member that cannot be decoded
   * @throws IllegalStateException if the set is closed
   * @throws io.github.redisext.core.WrongTypeException if a key of the set holds another type
   */
  public void refresh() {
    open.refresh();
  }

  /** This instance's counters. */
  public FastSetStats stats() {
    return open.stats();
  }

  /** The options the set was opened with. */
  public FastSetOptions options() {
    return open.options();
  }

  /**
   * Stops push invalidation and the refresh timer and waits for their threads. The Redis data is
   * untouched. Afterwards every operation throws {@link IllegalStateException} ({@code "FastSet
   * '<name>' is closed"}), reads and iteration included, except {@link #close()} itself,
   * {@link #key()}, {@link #options()}, {@link #stats()} and {@link #toString()}. Idempotent.
   */
  @Override
  public void close() {
    open.close();
  }

  private final class SnapshotIterator implements Iterator<T> {
    private final Object[] elements;
    private int next;
    private Object last;

    SnapshotIterator(Object[] elements) {
      this.elements = elements;
    }

    @Override
    public boolean hasNext() {
      return next < elements.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
      if (next >= elements.length) {
        throw new NoSuchElementException();
      }
      last = elements[next++];
      return (T) last;
    }

    @Override
    public void remove() {
      if (last == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      FastSet.this.remove(last);
      last = null;
    }
  }
}
