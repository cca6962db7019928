package io.github.redisext.debounce.internal;

import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.debounce.DebounceInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every Redis operation of one DebounceTask: the one class of the module that runs its scripts
 * (and its two plain commands) and turns their replies into values and records; nothing else
 * touches a script or a raw reply. One short method per script. Thread-safe, stateless beyond its
 * fixed arguments.
 */
public final class Commands {
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
  static final LuaScript PURGE_DEAD = script("purge_dead.lua");

  /** Members per add/remove/requeue script call: bounds how long one call holds the server. */
  public static final int BATCH = 10_000;
  /** Expired leases one pop puts back. */
  static final int RECOVER_LIMIT = 100;

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
   * A dead letter to write.
   *
   * @param token the claim's owner token, or {@code ""} for a popped (unleased) member
   * @param member the raw member
   * @param countsAsAttempt whether this delivery failed (a handler threw) rather than never
   *     started (undecodable)
   * @param error the error text stored with it
   */
  public record Dead(String token, String member, boolean countsAsAttempt, String error) {}

  private final UnifiedJedis client;
  private final Keys keys;
  private final List<String> family;
  private final String policyArg;
  private final String maxWaitArg;
  private final String channelArg;
  private final String maxAttemptsArg;

  private static LuaScript script(String... resources) {
    String[] all = new String[resources.length + 2];
    all[0] = LuaScript.CORE_LIB;
    all[1] = "family_lib.lua";
    System.arraycopy(resources, 0, all, 2, resources.length);
    return LuaScript.fromResources(Commands.class, all);
  }

  /**
   * Commands on {@code keys}.
   *
   * @param keepFirst the duplicate policy: true keeps a waiting task's due time, false moves it
   * @param maxWait the DEBOUNCE policy's maximum wait, or null
   * @param wakeUps whether writes that make a task due earlier publish a wake-up
   * @param maxAttempts deliveries after which an expired lease dead-letters its task
   */
  public Commands(UnifiedJedis client, Keys keys, boolean keepFirst, Duration maxWait,
      boolean wakeUps, int maxAttempts) {
    this.client = client;
    this.keys = keys;
    this.family = keys.all();
    this.policyArg = keepFirst ? "keep-first" : "debounce";
    this.maxWaitArg = maxWait == null ? "-1" : Long.toString(micros(maxWait));
    this.channelArg = wakeUps ? keys.wakeChannel() : "";
    this.maxAttemptsArg = Integer.toString(maxAttempts);
  }

  static long micros(Duration d) {
    long s = d.getSeconds();
    if (s > Long.MAX_VALUE / 2_000_000) {
      return Long.MAX_VALUE / 2;
    }
    return s * 1_000_000 + d.getNano() / 1000;
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
    for (Object raw : ADD.evalPipelined(client, family, calls)) {
      n += Replies.toLong(raw);
    }
    return n;
  }

  /** Pops (removes) up to {@code count} due members. */
  public PopReply pop(int count) {
    return POP.eval(client, family, List.of(Integer.toString(count),
        Integer.toString(RECOVER_LIMIT), maxAttemptsArg), PopReply::parse);
  }

  /**
   * Claims up to {@code count} due members, leased to {@code token} for {@code lease}; each
   * comes with its failed deliveries so far.
   */
  public PopReply.Claimed claim(int count, String token, Duration lease) {
    return CLAIM.eval(client, family, List.of(Integer.toString(count),
        Integer.toString(RECOVER_LIMIT), Long.toString(micros(lease)), token, maxAttemptsArg),
        PopReply::parseClaim);
  }

  /**
   * Drops the leases and attempt counts of handled members, one script call for all of them;
   * returns how many leases were no longer ours (nothing changed for those).
   */
  public long ack(List<Lease> leases) {
    if (leases.isEmpty()) {
      return 0;
    }
    return ACK.eval(client, family, leaseArgs(null, leases), Replies::toLong);
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
    List<Object> r = RETRY.eval(client, family, args, Replies::toList);
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
    return DEAD_LETTER.eval(client, family, args, Replies::toLong);
  }

  /**
   * Renews the leases by {@code lease}; returns the indexes (0-based, into {@code leases}) of
   * those no longer ours.
   */
  public List<Integer> renew(List<Lease> leases, Duration lease) {
    if (leases.isEmpty()) {
      return List.of();
    }
    List<Object> lost = RENEW.eval(client, family,
        leaseArgs(Long.toString(micros(lease)), leases), Replies::toList);
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
    return GIVE_BACK.eval(client, family, leaseArgs(channelArg, leases), Replies::toLong);
  }

  /** {@code first} (if not null) then token, member pairs. */
  private static List<String> leaseArgs(String first, List<Lease> leases) {
    List<String> args = new ArrayList<>(leases.size() * 2 + 1);
    if (first != null) {
      args.add(first);
    }
    for (Lease l : leases) {
      args.add(l.token());
      args.add(l.member());
    }
    return args;
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
      n += REMOVE.eval(client, family, chunk, Replies::toLong);
    }
    return n;
  }

  /** ZCARD. */
  public long pendingCount() {
    return KeyTypes.call(client, () -> client.zcard(keys.tasks()), keys.tasks(), "zset");
  }

  /** The counts. */
  public DebounceInfo info() {
    List<Object> r = INFO.eval(client, family, List.of(), Replies::toList);
    return new DebounceInfo(Replies.toLong(r.get(0)), Replies.toLong(r.get(1)),
        Replies.toLong(r.get(2)), Replies.toLong(r.get(3)));
  }

  /** Deletes the waiting tasks, their first-add times and the attempt counts. */
  public void clear() {
    CLEAR.eval(client, family, List.of(), Replies::toLong);
  }

  /** Up to {@code max} dead letters (one snapshot of both hashes). */
  public List<DeadLetter> deadLetters(int max) {
    List<Object> r = DEAD_LETTERS.eval(client, family, List.of(Integer.toString(max)),
        Replies::toList);
    List<String> dead = Replies.toStringList(r.get(0));
    List<Object> infos = Replies.toList(r.get(1));
    List<DeadLetter> out = new ArrayList<>(dead.size() / 2);
    for (int i = 0; i + 1 < dead.size(); i += 2) {
      Object info = infos.get(i / 2);
      out.add(deadLetter(dead.get(i), dead.get(i + 1),
          info instanceof Boolean ? null : Replies.toStr(info)));
    }
    return out;
  }

  static DeadLetter deadLetter(String member, String error, String info) {
    DeadLetter.Builder b = DeadLetter.builder(member, member.getBytes(StandardCharsets.UTF_8))
        .error(error);
    if (info != null) {
      int sp = info.indexOf(' ');
      try {
        long attempts = (long) Double.parseDouble(info.substring(0, sp));
        double at = Double.parseDouble(info.substring(sp + 1));
        long micros = Math.round(at * 1_000_000);
        b.attempts((int) Math.min(Integer.MAX_VALUE, attempts)).failedAt(
            Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
      } catch (RuntimeException e) {
        // written by another writer in another form: attempts and time stay unknown
      }
    }
    return b.build();
  }

  /**
   * Puts dead letters back into the tasks, due now, with a fresh attempt count; every dead
   * letter when {@code members} is empty. Returns how many were dead letters.
   */
  public long requeueDead(List<String> members) {
    if (members.isEmpty()) {
      return REQUEUE_DEAD.eval(client, family, List.of(channelArg), Replies::toLong);
    }
    long n = 0;
    for (int from = 0; from < members.size(); from += BATCH) {
      List<String> args = new ArrayList<>();
      args.add(channelArg);
      args.addAll(members.subList(from, Math.min(members.size(), from + BATCH)));
      n += REQUEUE_DEAD.eval(client, family, args, Replies::toLong);
    }
    return n;
  }

  /** Deletes the given dead letters; returns how many were dead letters. */
  public long purgeDead(List<String> members) {
    long n = 0;
    for (int from = 0; from < members.size(); from += BATCH) {
      n += PURGE_DEAD.eval(client, family, members.subList(from, Math.min(members.size(),
          from + BATCH)), Replies::toLong);
    }
    return n;
  }

  /** Deletes the dead letters; returns how many there were. */
  public long clearDeadLetters() {
    return CLEAR_DEAD.eval(client, family, List.of(), Replies::toLong);
  }
}
