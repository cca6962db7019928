package io.github.redisext.core.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw script replies into Java types. Works for RESP2 and RESP3 replies alike (bulk strings
 * may arrive as {@code byte[]} or {@code String}).
 */
public final class Replies {
  private Replies() {}

  /** An integer reply (also a numeric string). */
  public static long toLong(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    String s = toStr(o);
    if (s == null) {
      throw new IllegalArgumentException("expected an integer reply, got nil");
    }
    return Long.parseLong(s);
  }

  /** A string reply, or null for nil. */
  public static String toStr(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return o.toString();
  }

  /** An array reply as a list of raw elements (empty for nil). */
  public static List<Object> toList(Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new IllegalArgumentException("expected an array reply, got " + o);
  }

  /** An array reply of strings (nil elements stay null). */
  public static List<String> toStringList(Object o) {
    List<Object> raw = toList(o);
    List<String> out = new ArrayList<>(raw.size());
    for (Object x : raw) {
      out.add(toStr(x));
    }
    return out;
  }
}
