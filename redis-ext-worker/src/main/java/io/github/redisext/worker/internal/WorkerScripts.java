package io.github.redisext.worker.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.redisext.core.WrongTypeException;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Every Redis call of one queue with a typed reply: the worker's Lua scripts (see each {@code
 * .lua} file's header) and the few plain commands (push, gauges, dead-letter reads). Nothing else
 * in the module runs a script or reads a raw reply (the blocking wait only moves a task and
 * ignores its reply). Every script is prefixed with core's {@code core_lib.lua} (wrong-type guard,
 * chunked calls) and the worker's {@code worker_lib.lua}; a script or command that finds one of
 * its keys holding another type fails with a {@link io.github.redisext.core.WrongTypeException}
 * naming the key, having changed nothing. Thread-safe; holds no connection.
 *
 * <p>Why it is longer than 350 lines: it is, by design, the one place where the module meets
 * Redis (eleven scripts, seven plain commands, the dead-letter entry format), so that every key
 * list, argument order and reply shape can be checked against the {@code .lua} headers in one
 * file. Each method is a short call and its reply's decoding; splitting it would make two classes
 * run scripts.
 */
public final class WorkerScripts {
  private static final LuaScript FETCH = script("fetch.lua");
  private static final LuaScript ACK = script("ack.lua");
  private static final LuaScript FAIL = script("fail.lua");
  private static final LuaScript LOCATE = script("locate.lua");
  private static final LuaScript HEARTBEAT = script("heartbeat.lua");
  private static final LuaScript EXPIRED = script("expired.lua");
  private static final LuaScript RECOVER = script("recover.lua");
  private static final LuaScript RELEASE = script("release.lua");
  private static final LuaScript REQUEUE_DEAD = script("requeue_dead.lua");
  private static final LuaScript PURGE_DEAD = script("purge_dead.lua");
  private static final LuaScript PURGE_ALL_DEAD = script("purge_all_dead.lua");
  private static final int PUSH_CHUNK = 1000;

  /** Most tasks one fetch takes (fetch.lua clamps to the same number). */
  public static final int MAX_FETCH = 1000;

  /** Reply of {@link #fetch}: the tasks taken and, when none was, the ms until a retry is due. */
  public record Fetched(List<Delivery> deliveries, long nextDueMillis) {}

  /** What fail.lua did with one failed delivery. */
  public enum FailOutcome {
    /** Retry scheduled. */
    RETRIED,
    /** Moved to the dead-letter list. */
    DEAD_LETTERED,
    /**
     * No longer in-flight here: this worker's lease expired, the task was recovered and another
     * worker ({@link FailResult#otherWorker()}) fetched it again.
     */
    TAKEN_BY_OTHER_WORKER,
    /**
     * No longer in-flight here: it waits in the delayed set (recovered after this worker's lease
     * expired, or this worker's own earlier call succeeded and only its reply was lost).
     */
    WAITING_IN_DELAYED,
    /**
     * No longer in-flight here: it is already a dead letter (recovered with no attempts left, or
     * this worker's own earlier call succeeded and only its reply was lost).
     */
    ALREADY_DEAD,
    /** In no key of the queue: acknowledged, purged, or its keys were deleted. */
    GONE
  }

  /** Reply of {@link #fail}: the outcome and, for {@link FailOutcome#TAKEN_BY_OTHER_WORKER}, who. */
  public record FailResult(FailOutcome outcome, String otherWorker) {
    /** For a log line: where a task went that was no longer in this worker's in-flight hash. */
    public String whereItWent(QueueKeys keys) {
      return switch (outcome) {
        case TAKEN_BY_OTHER_WORKER -> "this worker's lease had expired, the task was recovered and "
            + "worker " + otherWorker + " has fetched it again";
        case WAITING_IN_DELAYED -> "it waits in '" + keys.delayed() + "' for another delivery "
            + "(recovered after this worker's lease expired, or this worker's earlier settle call "
            + "succeeded and only its reply was lost)";
        case ALREADY_DEAD -> "it is already in the dead-letter list '" + keys.dead() + "' "
            + "(recovered with no attempts left, or this worker's earlier settle call succeeded "
            + "and only its reply was lost)";
        case GONE -> "it is in no key of the queue any more (acknowledged or purged, or its keys "
            + "were deleted)";
        default -> outcome.toString();
      };
    }
  }

  /** Reply of {@link #recover}. */
  public record Recovered(boolean recovered, long requeued, long deadLettered) {}

  /** Reply of {@link #release}. */
  public record Released(long released, long stillInFlight) {}

  private final UnifiedJedis client;
  private final QueueKeys keys;

  /** The calls of the queue {@code keys} through {@code client}. */
  public WorkerScripts(UnifiedJedis client, QueueKeys keys) {
    this.client = client;
    this.keys = keys;
  }

  /** The queue's keys. */
  public QueueKeys keys() {
    return keys;
  }

  private static LuaScript script(String name) {
    return LuaScript.fromResources(WorkerScripts.class, LuaScript.CORE_LIB, "worker_lib.lua",
        name);
  }

  // ------------------------------------------------------------------ consuming

  /**
   * fetch.lua: up to {@code max} tasks (at most {@link #MAX_FETCH}) into the worker's in-flight
   * hash, lease renewed. Payloads are read as raw bytes, exactly as queued.
   */
  public Fetched fetch(String worker, int max, long leaseMs) {
    Object raw = FETCH.evalBinary(client, List.of(keys.queue(), keys.claim(worker),
        keys.inflight(worker), keys.delayed(), keys.parked(), keys.attempts(), keys.workers(),
        keys.seq()), List.of(bytes(worker), bytes(Integer.toString(max)),
            bytes(Long.toString(leaseMs))));
    try {
      List<Object> r = Replies.toList(raw);
      List<Delivery> out = new ArrayList<>((r.size() - 1) / 3);
      for (int i = 1; i + 2 < r.size(); i += 3) {
        Object p = r.get(i + 2);
        byte[] payload = p instanceof byte[] b ? b : bytes(Replies.toStr(p));
        out.add(new Delivery(Replies.toStr(r.get(i)), (int) Replies.toLong(r.get(i + 1)),
            payload));
      }
      return new Fetched(out, Replies.toLong(r.get(0)));
    } catch (RuntimeException e) {
      throw new IllegalStateException("unexpected reply from fetch.lua: " + raw, e);
    }
  }

  /** ack.lua: the handlers of these tasks returned; returns how many were still in-flight. */
  public long ack(String worker, List<String> ids) {
    return ACK.eval(client, List.of(keys.inflight(worker), keys.attempts()), ids,
        Replies::toLong);
  }

  /**
   * fail.lua: retry later or dead-letter one delivery. When the task is no longer in-flight here
   * (nothing changed then), locate.lua says where it went, with the other workers' in-flight
   * hashes read from the workers zset and declared in its KEYS.
   */
  public FailResult fail(String worker, String id, String error, int maxAttempts, long delayMs,
      boolean deadNow) {
    long code = FAIL.eval(client, List.of(keys.inflight(worker), keys.delayed(), keys.parked(),
        keys.attempts(), keys.dead()), List.of(id, error, Integer.toString(maxAttempts),
            Long.toString(delayMs), deadNow ? "1" : "0", worker),
        raw -> Replies.toLong(Replies.toList(raw).get(0)));
    if (code == 1) {
      return new FailResult(FailOutcome.RETRIED, null);
    }
    if (code == 2) {
      return new FailResult(FailOutcome.DEAD_LETTERED, null);
    }
    if (code != 0) {
      throw new IllegalStateException("unknown fail.lua code " + code);
    }
    return locate(worker, id);
  }

  private FailResult locate(String worker, String id) {
    List<String> others = new ArrayList<>();
    String workers = keys.workers();
    try {
      for (String w : KeyTypes.call(client, () -> client.zrange(workers, 0, -1), workers,
          "zset")) {
        if (!w.equals(worker)) {
          others.add(w);
        }
      }
    } catch (WrongTypeException e) {
      // no registered worker to search: the other places are still looked at
    }
    List<String> k = new ArrayList<>(others.size() + 2);
    k.add(keys.delayed());
    k.add(keys.dead());
    List<String> args = new ArrayList<>(others.size() + 1);
    args.add(id);
    for (String w : others) {
      k.add(keys.inflight(w));
      args.add(w);
    }
    return LOCATE.eval(client, k, args, raw -> {
      List<Object> r = Replies.toList(raw);
      int code = (int) Replies.toLong(r.get(0));
      FailOutcome o = switch (code) {
        case 3 -> FailOutcome.TAKEN_BY_OTHER_WORKER;
        case 4 -> FailOutcome.WAITING_IN_DELAYED;
        case 5 -> FailOutcome.ALREADY_DEAD;
        case 0 -> FailOutcome.GONE;
        default -> throw new IllegalArgumentException("unknown locate.lua code " + code);
      };
      return new FailResult(o, code == 3 ? Replies.toStr(r.get(1)) : null);
    });
  }

  /** heartbeat.lua: renew the lease; true if the worker had to be registered anew. */
  public boolean heartbeat(String worker, long leaseMs) {
    return HEARTBEAT.eval(client, List.of(keys.workers()), List.of(worker, Long.toString(leaseMs)),
        Replies::toLong) == 1;
  }

  /** The ids in a worker's in-flight hash (HKEYS). */
  public List<String> inFlightIds(String worker) {
    String inflight = keys.inflight(worker);
    return new ArrayList<>(KeyTypes.call(client, () -> client.hkeys(inflight), inflight, "hash"));
  }

  /** expired.lua: ids of workers whose lease ran out. */
  public List<String> expired(int max) {
    return EXPIRED.eval(client, List.of(keys.workers()), List.of(Integer.toString(max)),
        Replies::toStringList);
  }

  /** recover.lua: requeue a dead worker's tasks. */
  public Recovered recover(String deadWorker, int maxAttempts, String self) {
    return RECOVER.eval(client, List.of(keys.workers(), keys.inflight(deadWorker),
        keys.claim(deadWorker), keys.queue(), keys.delayed(), keys.parked(), keys.attempts(),
        keys.dead()), List.of(deadWorker, Integer.toString(maxAttempts), self), raw -> {
          List<Object> r = Replies.toList(raw);
          return new Recovered(Replies.toLong(r.get(0)) == 1, Replies.toLong(r.get(1)),
              Replies.toLong(r.get(2)));
        });
  }

  /** release.lua: give back unstarted tasks (and the claim list); optionally unregister. */
  public Released release(String worker, List<String> ids, boolean unregister) {
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(worker);
    args.add(unregister ? "1" : "0");
    args.addAll(ids);
    return RELEASE.eval(client, List.of(keys.inflight(worker), keys.claim(worker), keys.queue(),
        keys.delayed(), keys.parked(), keys.attempts(), keys.workers()), args, raw -> {
          List<Object> r = Replies.toList(raw);
          return new Released(Replies.toLong(r.get(0)), Replies.toLong(r.get(1)));
        });
  }

  // ------------------------------------------------------------------ producing and gauges

  /**
   * RPUSH of encoded tasks, in order: one command, or pipelined commands of 1,000 for more.
   *
   * @return the list's length after the last push
   */
  public long push(String... texts) {
    String queue = keys.queue();
    if (texts.length <= PUSH_CHUNK) {
      return KeyTypes.call(client, () -> client.rpush(queue, texts), queue, "list");
    }
    List<Response<Long>> replies = new ArrayList<>();
    try (AbstractPipeline p = client.pipelined()) {
      for (int from = 0; from < texts.length; from += PUSH_CHUNK) {
        replies.add(p.rpush(queue, Arrays.copyOfRange(texts, from,
            Math.min(texts.length, from + PUSH_CHUNK))));
      }
      p.sync();
    }
    long len = 0;
    for (Response<Long> r : replies) {
      try {
        len = r.get();
      } catch (JedisDataException e) {
        throw KeyTypes.translate(client, e, queue, "list");
      }
    }
    return len;
  }

  /** LLEN of the queue. */
  public long length() {
    String k = keys.queue();
    return KeyTypes.call(client, () -> client.llen(k), k, "list");
  }

  /** ZCARD of the delayed set. */
  public long delayedCount() {
    String k = keys.delayed();
    return KeyTypes.call(client, () -> client.zcard(k), k, "zset");
  }

  /** In-flight and claimed tasks of every registered worker (read worker by worker). */
  public long inFlightCount() {
    long n = 0;
    String workers = keys.workers();
    for (String w : KeyTypes.call(client, () -> client.zrange(workers, 0, -1), workers, "zset")) {
      String inflight = keys.inflight(w);
      String claim = keys.claim(w);
      n += KeyTypes.call(client, () -> client.hlen(inflight), inflight, "hash")
          + KeyTypes.call(client, () -> client.llen(claim), claim, "list");
    }
    return n;
  }

  // ------------------------------------------------------------------ dead letters

  /** LLEN of the dead-letter list. */
  public long deadLetterCount() {
    String k = keys.dead();
    return KeyTypes.call(client, () -> client.llen(k), k, "list");
  }

  /** The oldest {@code max} dead letters, parsed (an unreadable entry is returned as such). */
  public List<DeadLetter> deadLetters(int max) {
    String k = keys.dead();
    List<String> raw = KeyTypes.call(client, () -> client.lrange(k, 0, max - 1), k, "list");
    List<DeadLetter> out = new ArrayList<>(raw.size());
    for (String entry : raw) {
      out.add(parse(entry));
    }
    return out;
  }

  /** requeue_dead.lua over these letters (at most a few hundred per call); returns how many. */
  public long requeueDead(List<DeadLetter> letters) {
    List<byte[]> args = new ArrayList<>(2 * letters.size());
    for (DeadLetter d : letters) {
      args.add(bytes(d.ref()));
      args.add(d.rawPayload());
    }
    return Replies.toLong(REQUEUE_DEAD.evalBinary(client, List.of(keys.dead(), keys.queue()),
        args));
  }

  /** purge_dead.lua over these letters; returns how many were removed. */
  public long purgeDead(List<DeadLetter> letters) {
    List<String> entries = new ArrayList<>(letters.size());
    for (DeadLetter d : letters) {
      entries.add(d.ref());
    }
    return PURGE_DEAD.eval(client, List.of(keys.dead()), entries, Replies::toLong);
  }

  /** purge_all_dead.lua: deletes every dead letter; returns how many. */
  public long purgeAllDead() {
    return PURGE_ALL_DEAD.eval(client, List.of(keys.dead()), List.of(), Replies::toLong);
  }

  /**
   * A stored dead-letter entry ({@code wk_dead_entry} in worker_lib.lua) as the core shape: {@code
   * ref()} is the entry's text exactly as stored, {@code consumer()} the worker id. An entry that
   * is not such JSON comes back whole as the payload, with the parse error.
   */
  static DeadLetter parse(String entry) {
    try {
      JsonObject o = JsonParser.parseString(entry).getAsJsonObject();
      String payload = str(o.get("payload"));
      byte[] raw;
      if (payload == null && o.has("payloadHex")) {
        raw = HexFormat.of().parseHex(o.get("payloadHex").getAsString());
      } else {
        raw = payload == null ? new byte[0] : bytes(payload);
      }
      String id = str(o.get("id"));
      return DeadLetter.builder(id == null ? "" : id, raw).error(str(o.get("error")))
          .attempts(o.has("attempts") ? o.get("attempts").getAsInt() : 0)
          .failedAt(o.has("failedAt") ? Instant.ofEpochMilli(o.get("failedAt").getAsLong()) : null)
          .consumer(str(o.get("worker"))).ref(entry).build();
    } catch (RuntimeException e) {
      return DeadLetter.builder("", bytes(entry))
          .error("unreadable dead-letter entry: " + e.getMessage()).ref(entry).build();
    }
  }

  private static String str(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** UTF-8 bytes of a string. */
  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
