package io.github.redisext.fastset.internal;

import io.github.redisext.core.CodecException;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.JsonStyle;
import io.github.redisext.fastset.FastSetDecodeException;
import java.util.Map;

/**
 * Elements and their member text: encodes elements as Python's {@code json.dumps(v,
 * sort_keys=True)} ({@link JsonStyle#PYTHON_ASCII}), decodes members strictly (a member must be
 * the canonical text of its value, so equal elements are equal members), and applies a change
 * entry to a map of decoded members. Thread-safe (immutable).
 *
 * @param <T> the element type
 */
final class Members<T> {
  private final JsonCodec<T> codec;
  private final String name;
  private final String valueKey;

  Members(JsonCodec<T> codec, String name, String valueKey) {
    this.codec = codec.withStyle(JsonStyle.PYTHON_ASCII);
    this.name = name;
    this.valueKey = valueKey;
  }

  /** The member text of an element. */
  String encode(T element) {
    return codec.encode(element);
  }

  /**
   * The member text of an object that may not be an element, or null when it cannot be one (wrong
   * type, not encodable).
   */
  @SuppressWarnings("unchecked")
  String encodeIfElement(Object o) {
    try {
      return codec.encode((T) o);
    } catch (RuntimeException e) {
      // ClassCastException (another type), CodecException, reflection failures: not an element
      return null;
    }
  }

  /**
   * Applies a change entry to {@code map} (element → member): a clear empties it, added members
   * are decoded (or taken from {@code known}, the caller's own objects) and put, removed ones
   * taken out.
   *
   * @throws FastSetDecodeException if a member cannot be decoded (the map may then hold part of
   *     the entry)
   */
  void apply(Map<T, String> map, Entry e, Map<String, T> known) {
    if (e.cleared()) {
      map.clear();
    }
    for (String m : e.added()) {
      T t = known.get(m);
      map.put(t != null ? t : decode(m), m);
    }
    for (String m : e.removed()) {
      map.remove(decode(m));
    }
  }

  /**
   * The element a member stands for.
   *
   * @throws FastSetDecodeException if the member is not valid JSON for the element type, is JSON
   *     null, or is not the canonical text of its value
   */
  T decode(String member) {
    T value;
    try {
      value = codec.decode(member);
    } catch (CodecException e) {
      throw refused(member, "is not valid JSON for " + codec.type().getTypeName() + ": "
          + e.getMessage(), e);
    }
    if (value == null) {
      throw refused(member, "is JSON null, which a java.util.Set element cannot be", null);
    }
    String canonical;
    try {
      canonical = codec.encode(value);
    } catch (CodecException e) {
      throw refused(member, "decodes to a value that cannot be written back: " + e.getMessage(),
          e);
    }
    if (!canonical.equals(member)) {
      throw refused(member, "is not the canonical JSON of its value as "
          + codec.type().getTypeName() + " (Python's json.dumps(v, sort_keys=True) gives "
          + quote(canonical) + "); it was written by another writer or for another element type",
          null);
    }
    return value;
  }

  private FastSetDecodeException refused(String member, String why, Throwable cause) {
    return new FastSetDecodeException(name, member, "FastSet '" + name + "': member "
        + quote(member) + " of " + valueKey + " " + why, cause);
  }

  /** {@code 'text'}, cut at 200 characters. */
  static String quote(String s) {
    return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…' (" + s.length()
        + " chars)";
  }
}
