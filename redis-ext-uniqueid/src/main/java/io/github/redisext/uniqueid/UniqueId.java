package io.github.redisext.uniqueid;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.Args;
import io.github.redisext.core.support.Registry;
import io.github.redisext.uniqueid.internal.BlockSequence;
import io.github.redisext.uniqueid.internal.Combiner;
import io.github.redisext.uniqueid.internal.Counters;
import io.github.redisext.uniqueid.internal.Mappings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Small integer ids for names, per namespace ({@code klass}), shared by every process that uses
 * the same Redis; plus fast sequence ids without a name.
 *
 * <p><b>Names.</b> {@link #getOrCreate(String)} returns the id mapped to a name, or maps the next
 * id of the namespace's counter to it. The mapping expires {@link UniqueIdOptions#timeout()} after
 * it was created (default 1 hour; optionally after it was last read), after which the name gets
 * a new, larger id. The key layout is the Python {@code redis_ext.UniqueId}'s, so Java and Python
 * processes can share a namespace:
 *
 * <ul>
 *   <li>{@code <klass>:auto}: the counter, a decimal STRING changed only by INCRBY, never expires;
 *       the first id is 1;
 *   <li>{@code <klass>:id:<name>}: a name's id, a decimal STRING with a time to live.
 * </ul>
 *
 * <p><b>Guarantees.</b> Get-or-create is one Lua script: of any number of racing callers (threads
 * or processes) exactly one creates a name's mapping and all of them get that id; the counter
 * moves only for names that really get a new id, so ids are neither duplicated nor burned (the
 * ids of a namespace whose mappings are never removed or expired are exactly 1..N). An id someone
 * else wrote into a mapping is honoured as is. A mapping holding something that is not a decimal
 * integer fails the call with {@link InvalidIdException} naming the name, and nothing is changed.
 * Expiry runs on the Redis server's clock.
 *
 * <p><b>Sequences.</b> {@link #next()} takes ids from a separate counter {@code <klass>:seq}
 * (never the names' counter, so name ids stay dense). With {@link
 * UniqueIdOptions#sequenceBlockSize()} above 1 it reserves that many ids per round trip and hands
 * them out locally with a lock-free fast path. Sequence ids are unique across all processes and
 * increasing within a process (a call that starts after another returned gets a larger id);
 * reserved ids not handed out when a process stops are never used (gaps).
 *
 * <p><b>Names and the cluster.</b> The klass is the key prefix, by the rule every primitive
 * follows ({@link KeySpace#forName}): a klass with a hash tag ({@code "{users}"}) is used as
 * given; an untagged one ({@code "users"}) is used as given on a standalone or sentinel server
 * (the Python layout, {@code users:auto}) and tagged on a Redis Cluster ({@code {users}:auto}), so
 * that all keys of the namespace share one slot and one script can touch them together. Both
 * spellings work everywhere; on a cluster they name the same keys.
 *
 * <p><b>Metrics.</b> {@link UniqueIdOptions.Builder#metrics} reports {@code CREATED} (names given
 * a new id) to a listener.
 *
 * <pre>{@code
 * UniqueId users = UniqueId.create(redis, "users");
 * long alice = users.getOrCreate("alice");                  // 1
 * long again = users.getOrCreate("alice");                  // 1
 * Map<String, Long> ids = users.getOrCreateAll(List.of("bob", "alice", "carol")); // {bob=2, alice=1, carol=3}
 * users.find("dave");                                       // OptionalLong.empty()
 *
 * UniqueId orders = UniqueId.create(redis, "orders",
 *     UniqueIdOptions.builder().sequenceBlockSize(1000).build());
 * long orderId = orders.next();                             // millions per second
 * }</pre>
 *
 * <p>Instances are thread-safe and hold no threads or connections of their own (the client
 * belongs to the caller), so there is nothing to close.
 */
public final class UniqueId {
  /**
   * The most names one script call carries; {@link #getOrCreateAll}, {@link #findAll} and {@link
   * #removeAll} split larger collections into several calls, each atomic on its own.
   */
  public static final int MAX_NAMES_PER_CALL = 1000;

  /**
   * The most ids one {@link #next(int)} call returns: 1,000,000 (an 8 MB array). Larger counts
   * are refused at once with an {@link IllegalArgumentException}; call it several times instead.
   */
  public static final int MAX_NEXT_COUNT = 1_000_000;

  private static final Logger log = LoggerFactory.getLogger(UniqueId.class);

  private final String klass;
  private final UniqueIdOptions options;
  private final Counters counters;
  private final Mappings mappings;
  private final Combiner combiner;
  private final BlockSequence sequence;
  private final String sequenceKey;

  private UniqueId(UnifiedJedis client, String klass, UniqueIdOptions options) {
    KeySpace keys = KeySpace.forName(klass, client);
    this.klass = klass;
    Registry.announce(client, "uniqueid", keys.prefix(),
        Map.of("counter", keys.key("auto"), "sequence", keys.key("seq")));
    this.options = options;
    this.counters = new Counters(Metrics.of(client, options.metrics(),
        MetricSource.of("uniqueid", klass)));
    this.mappings = new Mappings(client, klass, keys, options.timeout().toMillis(),
        options.refreshOnRead(), counters);
    this.combiner = new Combiner(mappings, counters, MAX_NAMES_PER_CALL);
    this.sequenceKey = keys.key("seq");
    this.sequence = new BlockSequence(client, klass, sequenceKey, options.sequenceBlockSize(),
        counters);
    log.debug("UniqueId '{}' created with {}", klass, options);
  }

  /**
   * The namespace {@code klass} with the default options.
   *
   * @param client the Redis client (standalone or cluster); it stays the caller's to close
   * @param klass the namespace, the key prefix (tagged on a cluster unless it has a tag)
   * @return the namespace's UniqueId
   * @throws NullPointerException if client is null
   * @throws KeyNameException if klass is null or blank, or has braces that form no hash tag
   */
  public static UniqueId create(UnifiedJedis client, String klass) {
    return create(client, klass, UniqueIdOptions.defaults());
  }

  /**
   * The namespace {@code klass}.
   *
   * @param client the Redis client (standalone or cluster); it stays the caller's to close
   * @param klass the namespace, the key prefix (tagged on a cluster unless it has a tag)
   * @param options the options
   * @return the namespace's UniqueId
   * @throws NullPointerException if client or options is null
   * @throws KeyNameException if klass is null or blank, or has braces that form no hash tag
   */
  public static UniqueId create(UnifiedJedis client, String klass, UniqueIdOptions options) {
    Args.notNull(client, "client");
    Args.notNull(options, "options");
    return new UniqueId(client, klass, options);
  }

  /** The namespace, as given. */
  public String klass() {
    return klass;
  }

  /** The options. */
  public UniqueIdOptions options() {
    return options;
  }

  /**
   * The id mapped to {@code name}, mapping the namespace's next id to it first if it has none.
   * Atomic (one script call): racing callers all get the same id and the counter moves once. A
   * new mapping lives {@link UniqueIdOptions#timeout()}; an existing one keeps its time to live
   * unless {@link UniqueIdOptions#refreshOnRead()} is set.
   *
   * <p>Calls made at the same time by several threads on this instance are combined: whichever
   * thread is free sends all waiting names in one script call (like {@link #getOrCreateAll}) and
   * hands each caller its id, so many threads share round trips. A single thread sends its name
   * alone, without waiting.
   *
   * @param name the name (any non-empty string)
   * @return its id (positive, unless someone else wrote another value into the mapping)
   * @throws NullPointerException if name is null
   * @throws KeyNameException if name is empty
   * @throws InvalidIdException if the mapping or the counter holds no decimal integer (nothing
   *     changed)
   * @throws WrongTypeException if the mapping or the counter is a key of another type (nothing
   *     changed)
   */
  public long getOrCreate(String name) {
    return combiner.getOrCreate(checkName(name, "name"));
  }

  /**
   * The ids of many names at once, creating missing mappings like {@link #getOrCreate(String)}:
   * one script call (one round trip) per {@link #MAX_NAMES_PER_CALL} distinct names, each call
   * atomic. New ids are assigned in the order of the collection.
   *
   * @param names the names; duplicates are looked up once
   * @return an unmodifiable map from each distinct name to its id, in the order of {@code names}
   *     (first occurrence)
   * @throws NullPointerException if names or one of them is null
   * @throws KeyNameException if one of them is empty
   * @throws InvalidIdException if a mapping or the counter holds no decimal integer; nothing of
   *     that call changed (earlier calls of a split batch stay done)
   * @throws WrongTypeException if a mapping or the counter is a key of another type; nothing of
   *     that call changed (earlier calls of a split batch stay done)
   */
  public Map<String, Long> getOrCreateAll(Collection<String> names) {
    List<String> distinct = distinct(names);
    Map<String, Long> out = new LinkedHashMap<>(distinct.size() * 2);
    for (int from = 0; from < distinct.size(); from += MAX_NAMES_PER_CALL) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(),
          from + MAX_NAMES_PER_CALL));
      long[] ids = mappings.getOrCreate(chunk);
      for (int i = 0; i < ids.length; i++) {
        out.put(chunk.get(i), ids[i]);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The id mapped to {@code name}, without creating one. With {@link
   * UniqueIdOptions#refreshOnRead()} a found mapping's time to live is reset.
   *
   * @param name the name
   * @return its id, or empty when it has no mapping (never had one, expired or removed)
   * @throws NullPointerException if name is null
   * @throws KeyNameException if name is empty
   * @throws InvalidIdException if the mapping holds no decimal integer
   * @throws WrongTypeException if the mapping is a key of another type
   */
  public OptionalLong find(String name) {
    Long id = mappings.find(List.of(checkName(name, "name")))[0];
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  /**
   * The ids mapped to many names, without creating any: one script call per {@link
   * #MAX_NAMES_PER_CALL} distinct names.
   *
   * @param names the names; duplicates are looked up once
   * @return an unmodifiable map from each name that has a mapping to its id, in the order of
   *     {@code names}; names without one are absent
   * @throws NullPointerException if names or one of them is null
   * @throws KeyNameException if one of them is empty
   * @throws InvalidIdException if a mapping holds no decimal integer
   * @throws WrongTypeException if a mapping is a key of another type
   */
  public Map<String, Long> findAll(Collection<String> names) {
    List<String> distinct = distinct(names);
    Map<String, Long> out = new LinkedHashMap<>(distinct.size() * 2);
    for (int from = 0; from < distinct.size(); from += MAX_NAMES_PER_CALL) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(),
          from + MAX_NAMES_PER_CALL));
      Long[] ids = mappings.find(chunk);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] != null) {
          out.put(chunk.get(i), ids[i]);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Deletes the mapping of {@code name}; its next {@link #getOrCreate} gives it a new, larger id.
   * The counter is not touched, so the old id is never handed out again. A mapping key of another
   * type is not a mapping and is left alone.
   *
   * @param name the name
   * @return whether a mapping existed
   * @throws NullPointerException if name is null
   * @throws KeyNameException if name is empty
   * @throws WrongTypeException if the mapping key holds another type than a string (not deleted)
   */
  public boolean remove(String name) {
    return mappings.remove(List.of(checkName(name, "name"))) > 0;
  }

  /**
   * Deletes the mappings of many names: one script call per {@link #MAX_NAMES_PER_CALL} distinct
   * names, each atomic.
   *
   * @param names the names; duplicates count once
   * @return how many mappings existed
   * @throws NullPointerException if names or one of them is null
   * @throws KeyNameException if one of them is empty
   * @throws WrongTypeException if a mapping key holds another type than a string; nothing of that
   *     call was deleted (earlier calls of a split batch stay done)
   */
  public long removeAll(Collection<String> names) {
    List<String> distinct = distinct(names);
    long n = 0;
    for (int from = 0; from < distinct.size(); from += MAX_NAMES_PER_CALL) {
      n += mappings.remove(distinct.subList(from, Math.min(distinct.size(),
          from + MAX_NAMES_PER_CALL)));
    }
    return n;
  }

  /**
   * The next sequence id of this namespace (counter {@code <klass>:seq}, separate from the names'
   * counter). Unique across processes; on this instance a call that starts after another
   * returned gets a larger id (share one instance per namespace in a process: two instances with
   * blocks each hand out their own block). With {@link UniqueIdOptions#sequenceBlockSize()} n &gt; 1, one
   * round trip reserves n ids and the others come from memory (lock-free); ids reserved but not
   * handed out before the process stops are gaps.
   *
   * @return a positive id
   * @throws InvalidIdException if the sequence counter holds no integer
   * @throws WrongTypeException if the sequence counter is a key of another type
   */
  public long next() {
    return sequence.next();
  }

  /**
   * {@code count} sequence ids, ascending, with the guarantees of {@link #next()}. Without blocks,
   * or when {@code count} is at least the block size, they are contiguous and come from one round
   * trip (the rest of the current block is then given up: gaps).
   *
   * @param count how many, 1 to {@link #MAX_NEXT_COUNT}
   * @return the ids, ascending
   * @throws IllegalArgumentException if count is out of that range (nothing is reserved)
   * @throws InvalidIdException if the sequence counter holds no integer
   * @throws WrongTypeException if the sequence counter is a key of another type
   */
  public long[] next(int count) {
    Args.inRange(count, 1, MAX_NEXT_COUNT, "count");
    return sequence.next(count);
  }

  /**
   * The counter key of the names.
   *
   * @return {@code <klass>:auto}
   */
  public String counterKey() {
    return mappings.counterKey();
  }

  /**
   * The Redis key of a name's mapping.
   *
   * @param name the name
   * @return {@code <klass>:id:<name>}
   * @throws NullPointerException if name is null
   * @throws KeyNameException if name is empty
   */
  public String mappingKey(String name) {
    return mappings.mappingKey(checkName(name, "name"));
  }

  /**
   * The sequence counter key.
   *
   * @return {@code <klass>:seq}
   */
  public String sequenceKey() {
    return sequenceKey;
  }

  /** This instance's counters since it was created. */
  public UniqueIdStats stats() {
    return new UniqueIdStats(counters.created.sum(), counters.found.sum(),
        counters.removed.sum(), counters.mappingRoundTrips.sum(), counters.sequenceIds.sum(),
        counters.sequenceRoundTrips.sum());
  }

  @Override
  public String toString() {
    return "UniqueId[" + klass + ", " + options + "]";
  }

  private String checkName(String name, String what) {
    if (name == null) {
      throw new NullPointerException(what + " must not be null (UniqueId '" + klass + "')");
    }
    if (name.isEmpty()) {
      throw new KeyNameException(what + " must not be empty (UniqueId '" + klass + "')");
    }
    return name;
  }

  private List<String> distinct(Collection<String> names) {
    Args.notNull(names, "names");
    LinkedHashSet<String> set = new LinkedHashSet<>(Math.max(16, names.size() * 2));
    int i = 0;
    for (String n : names) {
      set.add(checkName(n, "names[" + i + "]"));
      i++;
    }
    return new ArrayList<>(set);
  }
}
