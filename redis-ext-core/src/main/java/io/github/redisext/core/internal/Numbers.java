package io.github.redisext.core.internal;

import com.google.gson.ToNumberStrategy;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.math.BigInteger;

/**
 * How untyped JSON numbers are read: integers as {@code Long} (or {@code BigInteger} when they do
 * not fit), everything else as {@code Double}. So {@code 1} stays an integer and {@code 1.0} a
 * float, and a value read then written again keeps its form.
 */
public final class Numbers implements ToNumberStrategy {
  /** The one instance. */
  public static final Numbers INSTANCE = new Numbers();

  private Numbers() {}

  @Override
  public Number readNumber(JsonReader in) throws IOException {
    String s = in.nextString();
    return parse(s);
  }

  /** Parses a JSON number text (or Python's NaN / Infinity tokens). */
  public static Number parse(String s) {
    boolean integral = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) {
        integral = false;
        break;
      }
    }
    if (integral && !s.isEmpty() && !"-".equals(s)) {
      if (s.length() < 19) {
        return Long.parseLong(s);
      }
      BigInteger b = new BigInteger(s);
      return b.bitLength() < 64 ? (Number) b.longValue() : b;
    }
    return Double.parseDouble(s);
  }
}
