package io.github.redisext.debounce.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.CodecException;
import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.debounce.DeadLetter;
import io.github.redisext.debounce.DebounceInfo;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceStats;
import io.github.redisext.debounce.DuplicatePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Every Redis operation of one DebounceTask, each one script call: the one class that runs the
 * module's scripts and turns their replies into values (the consumer's store, {@link
 * ConsumeStore}, calls it too). Longer than the ~350 lines aimed at for internal classes because
 * it is exactly that: one short method per script, nothing else. Thread-safe.
 *
 * @param <T> the task type
 */
public final class Engine<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  // every script: core's helpers, the family type check, (shared steps,) the operation; every
  // script takes the whole key family (Keys#all) as KEYS and changes nothing when one of them holds
  // another type (LuaScript then throws WrongTypeException naming it)
  static final LuaScript ADD = script("add.lua");
  static final LuaScript POP = script("leases_lib.lua", "pop.lua");
  static final LuaScript CLAIM = script("leases_lib.lua", "claim.lua");
  static final LuaScript ACK = script("ack.lua");
  static final LuaScript RETRY = script("retry.lua");
  static final LuaScript RENEW = script("renew.lua");
  static final LuaScript DEAD_LETTER = script("dead_letter.lua");
  static final LuaScript GIVE_BACK = script("give_back.lua");
  static final LuaScript INFO = script("info.lua");
  static final LuaScript REMOVE = script("remove.lua");
  static final LuaScript REQUEUE_DEAD = script("requeue_dead.lua");
  static final LuaScript CLEAR = script("clear.lua");
  static final LuaScript CLEAR_DEAD = script("clear_dead.lua");
  static final LuaScript DEAD_LETTERS = script("dead_letters.lua");

  /** Members per add/remove script call: bounds how long one call holds the server. */
  public static final int BATCH = 10_000;
  /** Expired leases one pop puts back. */
  static final int RECOVER_LIMIT = 100;

  private final UnifiedJedis client;
  private final Keys keys;
  private final Codec<T> codec;
  private final DebounceOptions options;
  private final String policyArg;
  private final String maxWaitArg;
  private final String channelArg;
  private final String maxAttemptsArg;
  private final Object wakeLock = new Object();
  private volatile WakeUps wakeUps;
  private volatile boolean closed;

  final LongAdder added = new LongAdder();
  final LongAdder popped = new LongAdder();
  final LongAdder recovered = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder handled = new LongAdder();
  final LongAdder failed = new LongAdder();

  private static LuaScript script(String... resources) {
    String[] all = new String[resources.length + 2];
    all[0] = LuaScript.CORE_LIB;
    all[1] = "family_lib.lua";
    System.arraycopy(resources, 0, all, 2, resources.length);
    return LuaScript.fromResources(Engine.class, all);
  }

  /** An engine for {@code keys}. */
  public Engine(UnifiedJedis client, Keys keys, Codec<T> codec, DebounceOptions options) {
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.options = options;
    this.policyArg = options.duplicatePolicy() == DuplicatePolicy.KEEP_FIRST ? "keep-first"
        : "debounce";
    this.maxWaitArg = options.maxWait().map(d -> Long.toString(micros(d))).orElse("-1");
    this.channelArg = options.publishWakeUps() ? keys.wakeChannel() : "";
    this.maxAttemptsArg = Integer.toString(options.maxAttempts());
  }

  /** The keys. */
  public Keys keys() {
    return keys;
  }

  /** The options. */
  public DebounceOptions options() {
    return options;
  }

  /** The client. */
  public UnifiedJedis client() {
    return client;
  }

  static long micros(Duration d) {
    long s = d.getSeconds();
    if (s > Long.MAX_VALUE / 2_000_000) {
      return Long.MAX_VALUE / 2;
    }
    return s * 1_000_000 + d.getNano() / 1000;
  }

  /**
   * The member text of a task.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public String encode(T task, String what) {
    if (task == null) {
      throw new NullPointerException(what + " must not be null");
    }
    return codec.encode(task);
  }

  /**
   * Adds members due after {@code delay}; returns how many were new. Up to {@link #BATCH}
   * members are one script call; more are sent as one pipeline of script calls (one round trip),
   * each call atomic.
   */
  public long add(List<String> members, Duration delay) {
    if (members.isEmpty()) {
      return 0;
    }
    String delayArg = Long.toString(micros(delay));
    List<String> addKeys = keys.all();
    List<List<String>> calls = new ArrayList<>();
    for (int from = 0; from < members.size(); from += BATCH) {
      List<String> chunk = members.subList(from, Math.min(members.size(), from + BATCH));
      List<String> args = new ArrayList<>(chunk.size() + 4);
      args.add(delayArg);
      args.add(policyArg);
      args.add(maxWaitArg);
      args.add(channelArg);
      args.addAll(chunk);
      calls.add(args);
    }
    long n = 0;
    if (calls.size() == 1) {
      n = ADD.eval(client, addKeys, calls.get(0), Replies::toLong);
    } else {
      List<Response<Object>> replies = new ArrayList<>(calls.size());
      try (AbstractPipeline p = client.pipelined()) {
        for (List<String> args : calls) {
          replies.add(p.evalsha(ADD.sha(), addKeys, args));
        }
        p.sync();
      }
      for (int i = 0; i < calls.size(); i++) {
        Object raw;
        try {
          raw = replies.get(i).get();
        } catch (JedisDataException e) {
          if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
            // e.g. a key of the family holds another type: then every call of the pipeline
            // failed the same way before writing anything (each checks all the keys first)
            throw LuaScript.translate(e);
          }
          // not cached on that node (first use, flush, failover): this call did not run; run it now
          raw = ADD.eval(client, addKeys, calls.get(i));
        }
        n += Replies.toLong(raw);
      }
    }
    added.add(n);
    return n;
  }

  /**
   * Pops up to {@code count} due members, or claims them with a lease when token is not null
   * (then see {@link #claim} for their failure counts).
   */
  public PopReply pop(int count, String token) {
    if (token != null) {
      return claim(count, token, options.lease()).reply();
    }
    return counted(POP.eval(client, keys.all(), List.of(Integer.toString(count),
        Integer.toString(RECOVER_LIMIT), maxAttemptsArg), PopReply::parse));
  }

  /**
   * Claims up to {@code count} due members, leased to {@code token} for {@code lease}; each
   * comes with its failed deliveries so far.
   */
  public PopReply.Claimed claim(int count, String token, Duration lease) {
    PopReply.Claimed c = CLAIM.eval(client, keys.all(), List.of(Integer.toString(count),
        Integer.toString(RECOVER_LIMIT), Long.toString(micros(lease)), token,
        maxAttemptsArg), PopReply::parseClaim);
    counted(c.reply());
    return c;
  }

  private PopReply counted(PopReply r) {
    if (r.expiredDeadLettered() > 0) {
      deadLettered.add(r.expiredDeadLettered());
      log.warn("debounce task '{}': {} task(s) whose consumer lease ran out had used all {} "
          + "attempts; moved to '{}'", keys.tasks(), r.expiredDeadLettered(),
          options.maxAttempts(), keys.dead());
    }
    if (r.recovered() > 0) {
      recovered.add(r.recovered());
      log.info("debounce task '{}': {} task(s) whose consumer lease ran out are due again",
          keys.tasks(), r.recovered());
    }
    popped.add(r.members().size());
    return r;
  }

  /**
   * Decodes a popped (unleased) member; one that cannot be decoded, or decodes to null, is moved
   * to the dead letters and null is returned.
   *
   * @throws RuntimeException when the dead letter cannot be written (Redis unreachable)
   */
  public T decodeOrDeadLetter(String member) {
    String error;
    try {
      T task = codec.decode(member);
      if (task != null) {
        return task;
      }
      // a codec that answers null: keep the text rather than hand out a null task
      error = "decoded to null";
    } catch (RuntimeException e) {
      error = undecodable(member, e);
    }
    deadLetter(List.of(new Dead("", member, false, error)));
    return null;
  }

  /** Logs a member that cannot be decoded; returns the error text to store with it. */
  String undecodable(String member, RuntimeException e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    log.error("debounce task '{}': member {} cannot be decoded, moved to '{}': {}", keys.tasks(),
        abbreviate(member), keys.dead(), error);
    return error;
  }

  /** Decodes a member (null when the codec answers null); throws when it cannot. */
  T decode(String member) {
    return codec.decode(member);
  }

  /**
   * Decodes popped (no longer stored) members in order, dead-lettering the ones that fail. If
   * even the dead letter cannot be written, the raw member is logged at ERROR in full, and the
   * other tasks are still returned.
   */
  public List<T> decodeAll(List<String> members) {
    List<T> out = new ArrayList<>(members.size());
    for (String m : members) {
      try {
        T t = decodeOrDeadLetter(m);
        if (t != null) {
          out.add(t);
        }
      } catch (RuntimeException e) {
        log.error("debounce task '{}': could not store undecodable member in '{}' ({}); its raw "
            + "text is: {}", keys.tasks(), keys.dead(), e.toString(), m);
      }
    }
    return out;
  }

  /**
   * A leased member and its owner token.
   *
   * @param token the claim's owner token
   * @param member the raw member
   */
  public record Lease(String token, String member) {}

  /**
   * A retry: the leased member back into the tasks after {@code delay}.
   *
   * @param token the claim's owner token
   * @param member the raw member
   * @param delay until it is due again
   */
  public record Retry(String token, String member, Duration delay) {}

  /**
   * A dead letter.
   *
   * @param token the claim's owner token, or {@code ""} for a popped (unleased) member
   * @param member the raw member
   * @param countsAsAttempt whether this delivery failed (a handler threw) rather than never
   *     started (undecodable)
   * @param error the error text stored with it
   */
  public record Dead(String token, String member, boolean countsAsAttempt, String error) {}

  /**
   * Drops the leases and attempt counts of handled members, one script call for all of them;
   * returns how many leases were no longer ours (nothing changed for those).
   */
  public long ack(List<Lease> leases) {
    if (leases.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(leases.size() * 2);
    for (Lease l : leases) {
      args.add(l.token());
      args.add(l.member());
    }
    return ACK.eval(client, keys.all(), args, Replies::toLong);
  }

  /**
   * Counts a failed attempt of each leased member and puts it back, due after its delay, one
   * script call for all of them; returns how many leases were no longer ours.
   */
  public long retry(List<Retry> retries) {
    if (retries.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(retries.size() * 3 + 1);
    args.add(channelArg);
    for (Retry r : retries) {
      args.add(r.token());
      args.add(r.member());
      args.add(Long.toString(micros(r.delay())));
    }
    List<Object> r = RETRY.eval(client, keys.all(), args, Replies::toList);
    return Replies.toLong(r.get(1));
  }

  /** Moves members to the dead letters, one script call; returns how many were stored. */
  public long deadLetter(List<Dead> dead) {
    if (dead.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(dead.size() * 4);
    for (Dead d : dead) {
      args.add(d.token());
      args.add(d.member());
      args.add(d.countsAsAttempt() ? "1" : "0");
      args.add(d.error());
    }
    long n = DEAD_LETTER.eval(client, keys.all(), args, Replies::toLong);
    deadLettered.add(n);
    return n;
  }

  /**
   * Renews the leases by {@code lease}; returns the indexes (0-based, into {@code leases}) of those no longer
   * ours.
   */
  public List<Integer> renew(List<Lease> leases, Duration lease) {
    if (leases.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(leases.size() * 2 + 1);
    args.add(Long.toString(micros(lease)));
    for (Lease l : leases) {
      args.add(l.token());
      args.add(l.member());
    }
    List<Object> lost = RENEW.eval(client, keys.all(), args, Replies::toList);
    List<Integer> out = new ArrayList<>(lost.size());
    for (Object o : lost) {
      out.add((int) Replies.toLong(o) - 1);
    }
    return out;
  }

  /**
   * Returns leased members that were never started to the tasks, due now, attempt counts
   * unchanged; returns how many were still ours.
   */
  public long giveBack(List<Lease> leases) {
    if (leases.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(leases.size() * 2 + 1);
    args.add(channelArg);
    for (Lease l : leases) {
      args.add(l.token());
      args.add(l.member());
    }
    return GIVE_BACK.eval(client, keys.all(), args, Replies::toLong);
  }

  /** Whether a member waits. */
  public boolean has(String member) {
    return KeyTypes.call(client, () -> client.zscore(keys.tasks(), member), keys.tasks(), "zset")
        != null;
  }

  /** Removes waiting members; returns how many were there. */
  public long remove(List<String> members) {
    long n = 0;
    for (int from = 0; from < members.size(); from += BATCH) {
      List<String> chunk = members.subList(from, Math.min(members.size(), from + BATCH));
      n += REMOVE.eval(client, keys.all(), chunk, Replies::toLong);
    }
    return n;
  }

  /** ZCARD. */
  public long pendingCount() {
    return KeyTypes.call(client, () -> client.zcard(keys.tasks()), keys.tasks(), "zset");
  }

  /** The counts. */
  public DebounceInfo info() {
    List<Object> r = INFO.eval(client, keys.all(), List.of(), Replies::toList);
    return new DebounceInfo(Replies.toLong(r.get(0)), Replies.toLong(r.get(1)),
        Replies.toLong(r.get(2)), Replies.toLong(r.get(3)));
  }

  /** Deletes the waiting tasks, their first-add times and the attempt counts. */
  public void clear() {
    CLEAR.eval(client, keys.all(), List.of(), Replies::toLong);
  }

  /** Every dead letter (one snapshot of both hashes). */
  public List<DeadLetter> deadLetters() {
    List<Object> r = DEAD_LETTERS.eval(client, keys.all(), List.of(), Replies::toList);
    List<String> dead = Replies.toStringList(r.get(0));
    List<String> infoPairs = Replies.toStringList(r.get(1));
    Map<String, String> info = new HashMap<>(infoPairs.size());
    for (int i = 0; i + 1 < infoPairs.size(); i += 2) {
      info.put(infoPairs.get(i), infoPairs.get(i + 1));
    }
    List<DeadLetter> out = new ArrayList<>(dead.size() / 2);
    for (int i = 0; i + 1 < dead.size(); i += 2) {
      out.add(deadLetter(dead.get(i), dead.get(i + 1), info.get(dead.get(i))));
    }
    return out;
  }

  static DeadLetter deadLetter(String member, String error, String info) {
    if (info == null) {
      return new DeadLetter(member, error);
    }
    int sp = info.indexOf(' ');
    try {
      long attempts = (long) Double.parseDouble(info.substring(0, sp));
      double at = Double.parseDouble(info.substring(sp + 1));
      long micros = Math.round(at * 1_000_000);
      return new DeadLetter(member, error, attempts,
          Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
    } catch (RuntimeException e) {
      return new DeadLetter(member, error);
    }
  }

  /**
   * Puts dead letters back into the tasks, due now, with a fresh attempt count; every dead
   * letter when {@code members} is empty. Returns how many were dead letters.
   */
  public long requeueDead(List<String> members) {
    long n = 0;
    if (members.isEmpty()) {
      n = REQUEUE_DEAD.eval(client, keys.all(), List.of(channelArg), Replies::toLong);
    }
    for (int from = 0; from < members.size(); from += BATCH) {
      List<String> args = new ArrayList<>();
      args.add(channelArg);
      args.addAll(members.subList(from, Math.min(members.size(), from + BATCH)));
      n += REQUEUE_DEAD.eval(client, keys.all(), args, Replies::toLong);
    }
    return n;
  }

  /** Deletes the dead letters; returns how many there were. */
  public long clearDeadLetters() {
    return CLEAR_DEAD.eval(client, keys.all(), List.of(), Replies::toLong);
  }

  /** The counters. */
  public DebounceStats stats() {
    return new DebounceStats(added.sum(), popped.sum(), recovered.sum(), deadLettered.sum(),
        handled.sum(), failed.sum());
  }

  /** Counts a handled task. */
  public void countHandled() {
    handled.increment();
  }

  /** Counts a failed handler call. */
  public void countFailed() {
    failed.increment();
  }

  /** The wake-up subscription, started on first use. */
  public WakeUps wakeUps() {
    WakeUps w = wakeUps;
    if (w == null) {
      synchronized (wakeLock) {
        if (closed) {
          throw new RedisExtException("debounce task '" + keys.tasks() + "' is closed");
        }
        w = wakeUps;
        if (w == null) {
          w = new WakeUps(client, keys.wakeChannel());
          wakeUps = w;
        }
      }
    }
    return w;
  }

  /**
   * Pops up to {@code count} due members, sleeping until something is due, a wake-up arrives,
   * or {@code deadlineNanos} (System.nanoTime; {@link Long#MAX_VALUE} for none) passes.
   *
   * @return the members, empty on timeout
   */
  public List<String> awaitMembers(int count, long deadlineNanos) throws InterruptedException {
    WakeUps w = wakeUps();
    long idle = options.idleWait().toNanos();
    while (true) {
      long gen = w.generation();
      PopReply r = pop(count, null);
      if (!r.members().isEmpty()) {
        return r.members();
      }
      long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE
          : deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      long sleep = Math.min(left, Math.min(r.nanosUntilNext(), w.subscribed() ? idle
          : Math.min(idle, 50_000_000L)));
      if (sleep > 0) {
        w.awaitChange(gen, sleep);
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…' (" + s.length()
        + " chars)";
  }

  /** Stops the wake-up subscription. */
  @Override
  public void close() {
    synchronized (wakeLock) {
      closed = true;
      if (wakeUps != null) {
        wakeUps.close();
        wakeUps = null;
      }
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }
}
