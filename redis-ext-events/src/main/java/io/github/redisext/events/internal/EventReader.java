package io.github.redisext.events.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.CodecException;
import io.github.redisext.events.Event;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an event hash (field/value pairs, values as stored) into an {@link Event}; a payload that
 * is not UTF-8 (pickle) or does not decode becomes an undecodable event with its raw bytes, never
 * an exception.
 */
public final class EventReader<T> {
  private final Codec<T> codec;
  private final String type;

  /** A reader decoding payloads with {@code codec}; {@code type} names the event type in errors. */
  public EventReader(Codec<T> codec, String type) {
    this.codec = codec;
    this.type = type;
  }

  /** An event from HGETALL's pairs (bytes or strings); {@code fallbackId} when it has no id. */
  public Event<T> fromPairs(List<Object> pairs, long fallbackId) {
    String id = null;
    String status = null;
    String created = null;
    String worker = null;
    byte[] payload = null;
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      String f = text(pairs.get(i));
      Object v = pairs.get(i + 1);
      switch (f) {
        case "id" -> id = text(v);
        case "status" -> status = text(v);
        case "created_at" -> created = text(v);
        case "worker_id" -> worker = text(v);
        case "payload" -> payload = bytes(v);
        default -> { }
      }
    }
    return build(parseId(id, fallbackId), status, created, worker, payload);
  }

  /** An event from a binary HGETALL map. */
  public Event<T> fromMap(Map<byte[], byte[]> hash, long fallbackId) {
    List<Object> pairs = new ArrayList<>(2 * hash.size());
    hash.forEach((k, v) -> {
      pairs.add(k);
      pairs.add(v);
    });
    return fromPairs(pairs, fallbackId);
  }

  /** An event whose fields are known; payload and created_at are decoded on first use. */
  public Event<T> build(long id, String status, String created, String worker, byte[] payload) {
    return Event.lazy(id, status, created, worker, payload, this::decode);
  }

  private T decode(byte[] raw) {
    String textPayload = strictUtf8(raw);
    if (textPayload == null) {
      throw new CodecException("payload of " + type + " event is not UTF-8 text (" + raw.length
          + " bytes; Python's pickle serializer?)", new String(raw, StandardCharsets.ISO_8859_1),
          null);
    }
    try {
      return codec.decode(textPayload);
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException("payload of " + type + " event does not decode: "
          + e.getMessage(), textPayload, e);
    }
  }

  private static long parseId(String id, long fallback) {
    if (id == null) {
      return fallback;
    }
    try {
      return Long.parseLong(id.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String strictUtf8(byte[] b) {
    boolean ascii = true;
    for (byte x : b) {
      if (x < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, StandardCharsets.US_ASCII); // ASCII is valid UTF-8: no decoder needed
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static String text(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return o.toString();
  }

  static byte[] bytes(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return b;
    }
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
