package io.github.redisext.core.internal;

import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * Python's {@code json} writes NaN and infinities as the bare tokens {@code NaN}, {@code
 * Infinity}, {@code -Infinity}. Gson's lenient reader reads them into double fields, but into an
 * untyped target ({@code Object}, {@code Map<String, Object>}) it yields the strings "NaN"... This
 * class finds such bare tokens and turns those strings back into doubles in untyped results.
 * (A document that has a bare NaN and also the quoted string "NaN" gets both as doubles: an
 * accepted ambiguity of this rare case.)
 */
public final class NonFinite {
  private NonFinite() {}

  /** Whether the text has NaN / Infinity outside of string literals. */
  public static boolean hasBareToken(String text) {
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (text.startsWith("NaN", i) || text.startsWith("Infinity", i)) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the strings "NaN", "Infinity", "-Infinity" in untyped maps and lists by doubles. */
  @SuppressWarnings("unchecked")
  public static <T> T restore(T value) {
    Object v = convert(value);
    return (T) v;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Object v) {
    if (v instanceof String s) {
      return switch (s) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> s;
      };
    }
    if (v instanceof Map m) {
      try {
        for (Map.Entry e : (Iterable<Map.Entry>) m.entrySet()) {
          e.setValue(convert(e.getValue()));
        }
      } catch (UnsupportedOperationException immutable) {
        return v;
      }
    } else if (v instanceof List l) {
      try {
        for (ListIterator it = l.listIterator(); it.hasNext();) {
          it.set(convert(it.next()));
        }
      } catch (UnsupportedOperationException immutable) {
        return v;
      }
    }
    return v;
  }
}
