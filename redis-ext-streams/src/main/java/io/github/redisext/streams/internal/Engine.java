package io.github.redisext.streams.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.redisext.core.Codec;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import io.github.redisext.core.metrics.Metrics;
import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.core.support.LuaScript;
import io.github.redisext.core.support.Replies;
import io.github.redisext.core.support.Strings;
import io.github.redisext.streams.GroupInfo;
import io.github.redisext.streams.StreamEvent;
import io.github.redisext.streams.StreamInfo;
import io.github.redisext.streams.StreamOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Every Redis operation of one stream: adds, reads, the consumer scripts, dead letters, events,
 * info. Thread-safe.
 *
 * @param <T> the entry type
 */
public final class Engine<T> {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** Commands per pipeline sync of {@link #addAll}. */
  private static final int PIPELINE = 1000;
  private static final LuaScript RECLAIM = script("reclaim.lua");
  private static final LuaScript RENEW = script("renew.lua");
  private static final LuaScript SETTLE = script("settle.lua");
  private static final LuaScript REQUEUE = script("requeue.lua");
  private static final LuaScript TRIM = script("trim.lua");
  private static final LuaScript PRUNE = script("prune_consumers.lua");

  private final UnifiedJedis client;
  private final Keys keys;
  private final Codec<T> codec;
  private final StreamOptions options;
  private final Metrics metrics;

  /** The engine of stream {@code keys}. */
  public Engine(UnifiedJedis client, Keys keys, Codec<T> codec, StreamOptions options) {
    this.client = client;
    this.keys = keys;
    this.codec = codec;
    this.options = options;
    this.metrics = Metrics.of(client, options.metrics(),
        MetricSource.of("streams", keys.name()));
  }

  private static LuaScript script(String name) {
    return LuaScript.fromResources(Engine.class, LuaScript.CORE_LIB, "ids_lib.lua", name);
  }

  /** Its keys. */
  public Keys keys() {
    return keys;
  }

  /** Its options. */
  public StreamOptions options() {
    return options;
  }

  /** Its client. */
  public UnifiedJedis client() {
    return client;
  }

  // ------------------------------------------------------------------ producing

  private XAddParams addParams() {
    XAddParams p = XAddParams.xAddParams();
    if (options.maxLength() > 0) {
      p.maxLen(options.maxLength()).approximateTrimming();
    } else if (!options.maxAge().isZero()) {
      p.minId((System.currentTimeMillis() - options.maxAge().toMillis()) + "-0")
          .approximateTrimming();
    }
    return p;
  }

  /** XADD of one value; its id. */
  public String add(T value) {
    Map<String, String> f = Map.of(Wire.DATA, codec.encode(value));
    StreamEntryID id = KeyTypes.call(client, () -> client.xadd(keys.stream(), addParams(), f),
        keys.stream(), "stream");
    metrics.count(Metric.PUBLISHED, 1);
    return id.toString();
  }

  /** Pipelined XADDs; their ids in order. */
  public List<String> addAll(Collection<? extends T> values) {
    List<Map<String, String>> encoded = new ArrayList<>(values.size());
    for (T v : values) {
      encoded.add(Map.of(Wire.DATA, codec.encode(v)));
    }
    List<String> ids = new ArrayList<>(values.size());
    for (int from = 0; from < encoded.size(); from += PIPELINE) {
      List<Response<StreamEntryID>> rs = new ArrayList<>();
      try (AbstractPipeline p = client.pipelined()) {
        for (int i = from; i < Math.min(encoded.size(), from + PIPELINE); i++) {
          rs.add(p.xadd(keys.stream(), addParams(), encoded.get(i)));
        }
        p.sync();
      }
      for (Response<StreamEntryID> r : rs) {
        try {
          ids.add(r.get().toString());
        } catch (JedisDataException e) {
          throw KeyTypes.translate(client, e, keys.stream(), "stream");
        }
      }
    }
    metrics.count(Metric.PUBLISHED, ids.size());
    return ids;
  }

  /** XLEN. */
  public long length() {
    return KeyTypes.call(client, () -> client.xlen(keys.stream()), keys.stream(), "stream");
  }

  /** DEL of the stream (not its dead letters or events). */
  public void clear() {
    client.del(keys.stream());
  }

  /** XINFO STREAM, zeros when missing. */
  public StreamInfo info() {
    if (!KeyTypes.call(client, () -> client.exists(keys.stream()), keys.stream(), "stream")) {
      return new StreamInfo(0, 0, 0, null, null, null);
    }
    Map<String, Object> m;
    try {
      m = client.xinfoStream(keys.stream()).getStreamInfo();
    } catch (JedisDataException e) {
      throw KeyTypes.translate(client, e, keys.stream(), "stream");
    }
    return new StreamInfo(num(m.get("length"), 0), num(m.get("groups"), 0),
        num(m.get("entries-added"), -1), str(m.get("last-generated-id")),
        entryId(m.get("first-entry")), entryId(m.get("last-entry")));
  }

  /** XINFO GROUPS, empty when missing. */
  public List<GroupInfo> groups() {
    if (!KeyTypes.call(client, () -> client.exists(keys.stream()), keys.stream(), "stream")) {
      return List.of();
    }
    List<StreamGroupInfo> gs;
    try {
      gs = client.xinfoGroups(keys.stream());
    } catch (JedisDataException e) {
      throw KeyTypes.translate(client, e, keys.stream(), "stream");
    }
    List<GroupInfo> out = new ArrayList<>(gs.size());
    for (StreamGroupInfo g : gs) {
      Map<String, Object> m = g.getGroupInfo();
      out.add(new GroupInfo(g.getName(), g.getConsumers(), g.getPending(),
          String.valueOf(g.getLastDeliveredId()), num(m.get("entries-read"), -1),
          num(m.get("lag"), -1)));
    }
    return out;
  }

  private static long num(Object o, long missing) {
    if (o == null) {
      return missing;
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(Replies.toStr(o));
    } catch (RuntimeException e) {
      return missing;
    }
  }

  private static String str(Object o) {
    return o == null ? null : o instanceof StreamEntryID id ? id.toString() : Replies.toStr(o);
  }

  private static String entryId(Object o) {
    return o instanceof StreamEntry e ? e.getID().toString() : null;
  }

  // ------------------------------------------------------------------ decoding

  /** Decodes an entry's value (see {@link io.github.redisext.streams.Delivery#value()}). */
  public T decode(Map<String, String> fields) {
    String data = fields.get(Wire.DATA);
    if (data != null) {
      return codec.decode(data);
    }
    if (fields.isEmpty()) {
      return null;
    }
    return codec.decode(Wire.fieldsAsJson(fields));
  }

  // ------------------------------------------------------------------ consuming

  /**
   * XGROUP CREATE ... MKSTREAM; an existing group is left alone.
   *
   * @return true if it created the group
   */
  public boolean createGroup(String group, String startId) {
    try {
      KeyTypes.call(client, () -> client.xgroupCreate(keys.stream(), group,
          startId.equals("$") ? StreamEntryID.XGROUP_LAST_ENTRY : new StreamEntryID(0, 0), true),
          keys.stream(), "stream");
      return true;
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP")) {
        return false;
      }
      throw e;
    }
  }

  /** XREADGROUP ... BLOCK of new entries. */
  public List<StreamEntry> read(String group, String consumer, int count, long blockMillis) {
    XReadGroupParams p = XReadGroupParams.xReadGroupParams().count(count)
        .block((int) Math.max(1, blockMillis));
    List<Map.Entry<String, List<StreamEntry>>> r;
    try {
      r = client.xreadGroup(group, consumer, p,
          Map.of(keys.stream(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    } catch (JedisDataException e) {
      throw KeyTypes.translate(client, e, keys.stream(), "stream");
    }
    if (r == null || r.isEmpty()) {
      return List.of();
    }
    List<StreamEntry> out = new ArrayList<>();
    for (Map.Entry<String, List<StreamEntry>> e : r) {
      if (e.getValue() != null) {
        out.addAll(e.getValue());
      }
    }
    return out;
  }

  /** A raw entry: id, delivery count, fields. */
  public record Raw(String id, int deliveries, Map<String, String> fields) {}

  /** The reply of {@link #reclaim}. */
  public record Reclaimed(String cursor, long pending, List<Raw> entries) {}

  /** reclaim.lua: XAUTOCLAIM from {@code cursor}. */
  public Reclaimed reclaim(String group, String consumer, long minIdleMillis, String cursor,
      int count) {
    List<Object> r = Replies.toList(RECLAIM.eval(client, List.of(keys.stream()),
        List.of(group, consumer, Long.toString(minIdleMillis), cursor, Integer.toString(count))));
    List<Raw> entries = new ArrayList<>(r.size() - 2);
    for (int i = 2; i < r.size(); i++) {
      List<Object> e = Replies.toList(r.get(i));
      Map<String, String> f = new LinkedHashMap<>();
      for (int k = 2; k + 1 < e.size(); k += 2) {
        f.put(Replies.toStr(e.get(k)), Replies.toStr(e.get(k + 1)));
      }
      entries.add(new Raw(Replies.toStr(e.get(0)), (int) Replies.toLong(e.get(1)), f));
    }
    return new Reclaimed(Replies.toStr(r.get(0)), Replies.toLong(r.get(1)), entries);
  }

  /** renew.lua; the positions (0-based) of ids no longer owned. */
  public List<Integer> renew(String group, String consumer, List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 4);
    args.add(group);
    args.add(consumer);
    String[] range = range(ids);
    args.add(range[0]);
    args.add(range[1]);
    args.addAll(ids);
    List<Integer> lost = new ArrayList<>();
    for (Object o : Replies.toList(RENEW.eval(client, List.of(keys.stream()), args))) {
      lost.add((int) Replies.toLong(o) - 1);
    }
    return lost;
  }

  /** The least and the greatest of stream entry ids ({@code ms-seq}), compared as numbers. */
  static String[] range(List<String> ids) {
    String lo = null;
    String hi = null;
    long loMs = 0;
    long loSeq = 0;
    long hiMs = 0;
    long hiSeq = 0;
    for (String id : ids) {
      int dash = id.indexOf('-');
      long ms = Long.parseLong(id.substring(0, dash));
      long seq = Long.parseLong(id.substring(dash + 1));
      if (lo == null || ms < loMs || (ms == loMs && seq < loSeq)) {
        lo = id;
        loMs = ms;
        loSeq = seq;
      }
      if (hi == null || ms > hiMs || (ms == hiMs && seq > hiSeq)) {
        hi = id;
        hiMs = ms;
        hiSeq = seq;
      }
    }
    return lo == null ? new String[] {"0-0", "0-0"} : new String[] {lo, hi};
  }

  /** One settlement record of settle.lua. */
  public record Record(char op, String id, long idleMillis, List<String> events,
      Wire.DeadFields dead) {}

  /**
   * settle.lua; the positions (0-based, in {@code records}) of records refused. Acks without
   * events travel as a plain id list, the rest as full records.
   */
  public List<Integer> settle(String group, String consumer, List<Record> records) {
    List<String> args = new ArrayList<>(records.size() + 8);
    args.add(group);
    args.add(consumer);
    args.add(Long.toString(options.deadLetterMaxLength()));
    args.add(Long.toString(options.eventsMaxLength()));
    List<String> ids = new ArrayList<>(records.size());
    records.forEach(r -> ids.add(r.id()));
    String[] range = range(ids);
    args.add(range[0]);
    args.add(range[1]);
    args.add("0");
    List<Integer> order = new ArrayList<>(records.size());
    for (int k = 0; k < records.size(); k++) {
      Record r = records.get(k);
      if (r.op() == 'A' && r.events().isEmpty()) {
        args.add(r.id());
        order.add(k);
      }
    }
    args.set(6, Integer.toString(order.size()));
    for (int k = 0; k < records.size(); k++) {
      Record r = records.get(k);
      if (r.op() == 'A' && r.events().isEmpty()) {
        continue;
      }
      order.add(k);
      args.add(String.valueOf(r.op()));
      args.add(r.id());
      args.add(Long.toString(r.idleMillis()));
      args.add(Integer.toString(r.events().size()));
      args.addAll(r.events());
      if (r.dead() == null) {
        args.add("0");
        args.add("0");
        args.add("");
      } else {
        args.add(Integer.toString(r.dead().fields().size()));
        r.dead().fields().forEach((f, v) -> {
          args.add(f);
          args.add(v);
        });
        args.add(Integer.toString(r.dead().stampedPair()));
        args.add(r.dead().suffix());
      }
    }
    List<Integer> refused = new ArrayList<>();
    for (Object o : Replies.toList(SETTLE.eval(client,
        List.of(keys.stream(), keys.dlq(), keys.events()), args))) {
      refused.add(order.get((int) Replies.toLong(o) - 1));
    }
    return refused;
  }

  /** prune_consumers.lua; the names removed. */
  public List<String> pruneConsumers(String group, String consumer, long idleMillis) {
    return Replies.toStringList(PRUNE.eval(client, List.of(keys.stream()),
        List.of(group, consumer, Long.toString(idleMillis))));
  }

  /** trim.lua; entries removed. */
  public long trimAcknowledged() {
    return TRIM.eval(client, List.of(keys.stream()), List.of("="), Replies::toLong);
  }

  /**
   * XADD of one {@code started} or {@code progress} event (when events are on). These are best
   * effort: a failure is logged and does not fail the handler (the {@code completed} and {@code
   * failed} events are written atomically with their settlement).
   */
  public void eventQuietly(String json) {
    try {
      event(json);
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      if (now - lastEventWarning > 60_000_000_000L || lastEventWarning == 0) {
        lastEventWarning = now;
        log.warn("stream '{}': writing a lifecycle event to '{}' failed (at most one warning a "
            + "minute): {}", keys.stream(), keys.events(), e.toString());
      }
    }
  }

  private volatile long lastEventWarning;

  /** XADD of one event (when events are on). */
  public void event(String json) {
    if (!options.produceEvents()) {
      return;
    }
    XAddParams p = XAddParams.xAddParams();
    if (options.eventsMaxLength() > 0) {
      p.maxLen(options.eventsMaxLength()).approximateTrimming();
    }
    KeyTypes.call(client, () -> client.xadd(keys.events(), p, Map.of(Wire.DATA, json)),
        keys.events(), "stream");
  }

  /** The first {@code max} events. */
  public List<StreamEvent> events(int max) {
    List<StreamEntry> es = KeyTypes.call(client,
        () -> client.xrange(keys.events(), "-", "+", max), keys.events(), "stream");
    List<StreamEvent> out = new ArrayList<>(es.size());
    for (StreamEntry e : es) {
      out.add(Wire.parseEvent(e.getID().toString(), e.getFields()));
    }
    return out;
  }

  // ------------------------------------------------------------------ dead letters

  /** The oldest {@code max} dead letters. */
  public List<DeadLetter> deadLetters(int max) {
    List<StreamEntry> es = KeyTypes.call(client, () -> client.xrange(keys.dlq(), "-", "+", max),
        keys.dlq(), "stream");
    List<DeadLetter> out = new ArrayList<>(es.size());
    for (StreamEntry e : es) {
      Wire.ReadBack rb = Wire.readDeadLetter(e.getFields());
      JsonObject m = rb.metadata();
      String originalId = m != null && m.has("originalId") ? m.get("originalId").getAsString()
          : e.getID().toString();
      String payload = rb.original().containsKey(Wire.DATA) && rb.original().size() == 1
          ? rb.original().get(Wire.DATA) : Wire.fieldsAsJson(rb.original());
      DeadLetter.Builder b = DeadLetter.builder(originalId, Strings.utf8(payload))
          .ref(e.getID().toString())
          .error(rb.error() != null ? rb.error() : Wire.RETRY_LIMIT)
          .topic(keys.name());
      if (m != null) {
        b.attempts(intOf(m.get("attempts")));
        long ts = longOf(m.get("timestamp"));
        b.failedAt(ts > 0 ? Instant.ofEpochMilli(ts) : null);
        if (m.has("consumerId") && m.get("consumerId").isJsonPrimitive()) {
          b.consumer(m.get("consumerId").getAsString());
        }
      }
      out.add(b.build());
    }
    return out;
  }

  private static int intOf(JsonElement e) {
    try {
      return e == null ? 0 : Math.max(0, e.getAsInt());
    } catch (RuntimeException x) {
      return 0;
    }
  }

  private static long longOf(JsonElement e) {
    try {
      return e == null ? 0 : e.getAsLong();
    } catch (RuntimeException x) {
      return 0;
    }
  }

  /** The group's pending entries (XPENDING summary); 0 when the stream or group is missing. */
  public long pendingCount(String group) {
    try {
      return client.xpending(keys.stream(), group).getTotal();
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
        return 0;
      }
      throw KeyTypes.translate(client, e, keys.stream(), "stream");
    }
  }

  /** XLEN of the dead letters. */
  public long deadLetterCount() {
    return KeyTypes.call(client, () -> client.xlen(keys.dlq()), keys.dlq(), "stream");
  }

  /** requeue.lua for dead letters identified by {@link DeadLetter#ref()}; how many moved. */
  public int requeue(Collection<DeadLetter> letters) {
    List<String> refs = new ArrayList<>();
    for (DeadLetter d : letters) {
      refs.add(d.ref());
    }
    int moved = 0;
    for (int from = 0; from < refs.size(); from += 500) {
      List<String> chunk = refs.subList(from, Math.min(refs.size(), from + 500));
      List<String> args = new ArrayList<>();
      for (String ref : chunk) {
        List<StreamEntry> e = KeyTypes.call(client, () -> client.xrange(keys.dlq(), ref, ref),
            keys.dlq(), "stream");
        if (e.isEmpty()) {
          continue;
        }
        Map<String, String> original = Wire.readDeadLetter(e.get(0).getFields()).original();
        args.add(ref);
        args.add(Integer.toString(original.size()));
        original.forEach((k, v) -> {
          args.add(k);
          args.add(v);
        });
      }
      if (args.isEmpty()) {
        continue;
      }
      for (Object o : Replies.toList(REQUEUE.eval(client, List.of(keys.stream(), keys.dlq()),
          args))) {
        if (o instanceof String || o instanceof byte[]) {
          moved++;
        }
      }
    }
    return moved;
  }

  /** XDEL of the given dead letters; how many were removed. */
  public int purge(Collection<DeadLetter> letters) {
    List<StreamEntryID> ids = new ArrayList<>();
    for (DeadLetter d : letters) {
      ids.add(new StreamEntryID(d.ref()));
    }
    if (ids.isEmpty()) {
      return 0;
    }
    return (int) (long) KeyTypes.call(client,
        () -> client.xdel(keys.dlq(), ids.toArray(new StreamEntryID[0])), keys.dlq(), "stream");
  }

  /** DEL of the dead-letter stream; how many dead letters it held. */
  public long purgeAll() {
    long n = deadLetterCount();
    client.del(keys.dlq());
    return n;
  }
}
