package io.github.redisext.streams.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.redisext.core.CodecException;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.streams.StreamEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of the wire format (WIRE-FORMAT.md §9), written as Python's plain {@code json.dumps}
 * writes it: entries' {@code data}, lifecycle events and dead letters with {@code _dlqMetadata}.
 */
public final class Wire {
  /** The one field of an entry. */
  public static final String DATA = "data";
  /** The metadata key of a dead letter (in its {@code data} object, or a field of its own). */
  public static final String DLQ_METADATA = "_dlqMetadata";
  /** The extra field of a dead letter written here: the failure (Python readers ignore it). */
  public static final String ERROR = "error";
  /** The error of the {@code failed} event written when an entry is dead-lettered. */
  public static final String RETRY_LIMIT = "Exceeded retry limit";

  private static final JsonCodec<JsonElement> TREE = JsonCodec.of(JsonElement.class);
  private static final JsonCodec<JsonElement> PLAIN = TREE.withStyle(JsonStyle.PYTHON_PLAIN);

  private Wire() {}

  /** {@code {"id": "<id>", "type": "<type>"}}. */
  public static String event(String id, String type) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("type", type);
    return PLAIN.encode(o);
  }

  /** {@code {"id": ..., "type": "progress", "completionRatio": r, "status": s}}. */
  public static String progress(String id, double ratio, String status) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("type", StreamEvent.PROGRESS);
    o.add("completionRatio", new JsonPrimitive(ratio));
    o.addProperty("status", status);
    return PLAIN.encode(o);
  }

  /** {@code {"id": ..., "type": "failed", "error": e}}. */
  public static String failed(String id, String error) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("type", StreamEvent.FAILED);
    o.addProperty("error", error);
    return PLAIN.encode(o);
  }

  /** Parses an event entry's {@code data}. */
  public static StreamEvent parseEvent(String eventId, Map<String, String> fields) {
    String json = fields.get(DATA);
    String entry = null;
    String type = null;
    Double ratio = null;
    String status = null;
    String error = null;
    try {
      JsonObject o = TREE.decode(json).getAsJsonObject();
      entry = str(o, "id");
      type = str(o, "type");
      if (o.has("completionRatio") && o.get("completionRatio").isJsonPrimitive()) {
        ratio = o.get("completionRatio").getAsDouble();
      }
      status = str(o, "status");
      error = str(o, "error");
    } catch (RuntimeException e) {
      type = null; // not an event of this format: keep the raw JSON only
    }
    return new StreamEvent(eventId, entry, type, ratio, status, error, json);
  }

  private static String str(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    return e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }

  /**
   * The fields of a dead letter for an entry whose {@code data} is a JSON object: {@code data} is
   * the object plus {@code _dlqMetadata} exactly as Python's {@code json.dumps({**data,
   * "_dlqMetadata": {...}})} writes it, except that the text stops after {@code "timestamp": }
   * (settle.lua appends the server time and {@code }}}); then the {@code error} field. Null
   * when {@code data} is missing or not a JSON object: see {@link #deadLetterFields}.
   */
  public static DeadFields deadLetterData(Map<String, String> fields, String id, int attempts,
      String group, String consumer, String error) {
    String data = fields.get(DATA);
    if (data == null) {
      return null;
    }
    JsonElement tree;
    try {
      tree = TREE.decode(data);
    } catch (CodecException e) {
      return null;
    }
    if (tree == null || !tree.isJsonObject()) {
      return null;
    }
    JsonObject o = tree.getAsJsonObject().deepCopy();
    o.remove(DLQ_METADATA); // a requeued dead letter's old metadata; the new one goes last
    o.add(DLQ_METADATA, metadata(id, attempts, group, consumer));
    String text = PLAIN.encode(o);
    String cut = text.substring(0, text.length() - "0}}".length());
    Map<String, String> out = new LinkedHashMap<>();
    out.put(DATA, cut);
    out.put(ERROR, error);
    return new DeadFields(out, 1, "}}");
  }

  /**
   * The fields of a dead letter for any entry (no {@code data}, undecodable or non-object {@code
   * data}): the original fields as they were, plus a {@code _dlqMetadata} field holding the
   * metadata JSON (cut before the timestamp like {@link #deadLetterData}) and {@code error}.
   */
  public static DeadFields deadLetterFields(Map<String, String> fields, String id, int attempts,
      String group, String consumer, String error) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> {
      if (!k.equals(DLQ_METADATA) && !k.equals(ERROR)) {
        out.put(k, v);
      }
    });
    String text = PLAIN.encode(metadata(id, attempts, group, consumer));
    out.put(DLQ_METADATA, text.substring(0, text.length() - "0}".length()));
    out.put(ERROR, error);
    return new DeadFields(out, out.size() - 1, "}");
  }

  /** Either form, whichever applies. */
  public static DeadFields deadLetter(Map<String, String> fields, String id, int attempts,
      String group, String consumer, String error) {
    DeadFields d = deadLetterData(fields, id, attempts, group, consumer, error);
    return d != null ? d : deadLetterFields(fields, id, attempts, group, consumer, error);
  }

  private static JsonObject metadata(String id, int attempts, String group, String consumer) {
    JsonObject m = new JsonObject();
    m.addProperty("originalId", id);
    m.addProperty("attempts", attempts);
    m.addProperty("consumerGroup", group);
    m.addProperty("consumerId", consumer);
    m.addProperty("timestamp", 0);
    return m;
  }

  /**
   * Dead-letter fields ready for settle.lua.
   *
   * @param fields field → value, in order
   * @param stampedPair the 1-based pair whose value gets the timestamp and {@code suffix}
   * @param suffix what follows the timestamp
   */
  public record DeadFields(Map<String, String> fields, int stampedPair, String suffix) {}

  /**
   * A dead letter read back: the original entry's fields (without the metadata), the metadata
   * (null if absent) and the error.
   */
  public record ReadBack(Map<String, String> original, JsonObject metadata, String error) {}

  /** Splits a dead-letter stream entry into the original entry and its metadata. */
  public static ReadBack readDeadLetter(Map<String, String> fields) {
    Map<String, String> original = new LinkedHashMap<>(fields);
    String error = original.remove(ERROR);
    JsonObject meta = null;
    String metaField = original.remove(DLQ_METADATA);
    if (metaField != null) {
      try {
        JsonElement m = TREE.decode(metaField);
        meta = m != null && m.isJsonObject() ? m.getAsJsonObject() : null;
      } catch (CodecException e) {
        meta = null;
      }
    } else if (original.get(DATA) != null) {
      try {
        JsonElement t = TREE.decode(original.get(DATA));
        if (t != null && t.isJsonObject() && t.getAsJsonObject().has(DLQ_METADATA)) {
          JsonObject o = t.getAsJsonObject().deepCopy();
          JsonElement m = o.remove(DLQ_METADATA);
          meta = m.isJsonObject() ? m.getAsJsonObject() : null;
          original.put(DATA, PLAIN.encode(o));
        }
      } catch (CodecException e) {
        // not JSON: requeued as it is
      }
    }
    return new ReadBack(original, meta, error);
  }

  /** The field map as a JSON object of strings (for entries without {@code data}). */
  public static String fieldsAsJson(Map<String, String> fields) {
    JsonObject o = new JsonObject();
    fields.forEach(o::addProperty);
    return TREE.encode(o);
  }
}
