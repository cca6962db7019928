package io.github.redisext.core.support;

import java.time.Duration;
import java.util.Collection;

/** Argument checks with messages that name the argument. */
public final class Args {
  private Args() {}

  /**
   * {@code value}, or a {@link NullPointerException} "NAME must not be null".
   */
  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** A non-null, non-negative duration, or an exception naming it. */
  public static Duration nonNegative(Duration d, String name) {
    notNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }

  /** A non-null, positive duration, or an exception naming it. */
  public static Duration positive(Duration d, String name) {
    notNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** A positive int, or an exception naming it. */
  public static int positive(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
    return v;
  }

  /** A non-negative int, or an exception naming it. */
  public static int nonNegative(int v, String name) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
    return v;
  }

  /** A non-null, non-blank string, or an exception naming it. */
  public static String notBlank(String s, String name) {
    notNull(s, name);
    if (s.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return s;
  }

  /** A collection without null elements, or a NullPointerException naming the first null's index. */
  public static <C extends Collection<?>> C noNulls(C c, String name) {
    notNull(c, name);
    int i = 0;
    for (Object o : c) {
      if (o == null) {
        throw new NullPointerException(name + " must not contain null (element " + i + ")");
      }
      i++;
    }
    return c;
  }

  /**
   * A non-null duration within {@code [min, max]}, or an {@link IllegalArgumentException} naming it
   * and the allowed range.
   */
  public static Duration inRange(Duration d, Duration min, Duration max, String name) {
    notNull(d, name);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max
          + ", got " + d);
    }
    return d;
  }

  /** An int within {@code [min, max]}, or an exception naming it and the allowed range. */
  public static int inRange(int v, int min, int max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max
          + ", got " + v);
    }
    return v;
  }

  /** A long within {@code [min, max]}, or an exception naming it and the allowed range. */
  public static long inRange(long v, long min, long max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max
          + ", got " + v);
    }
    return v;
  }
}
