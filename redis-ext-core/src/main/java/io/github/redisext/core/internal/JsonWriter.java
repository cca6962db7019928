package io.github.redisext.core.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.redisext.core.JsonStyle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a Gson tree as canonical or Python-identical JSON text (see {@link JsonStyle}).
 * Stateless and thread-safe.
 */
public final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final boolean python;
  private final boolean ascii;
  private final boolean sorted;

  private JsonWriter(boolean python, boolean ascii, boolean sorted) {
    this.python = python;
    this.ascii = ascii;
    this.sorted = sorted;
  }

  private static final JsonWriter CANONICAL = new JsonWriter(false, false, true);
  private static final JsonWriter PYTHON = new JsonWriter(true, false, true);
  private static final JsonWriter PYTHON_ASCII = new JsonWriter(true, true, true);
  private static final JsonWriter PYTHON_PLAIN = new JsonWriter(true, true, false);

  /** The writer for a style other than COMPACT; COMPACT is Gson's own and has no writer here. */
  public static JsonWriter of(JsonStyle style) {
    return switch (style) {
      case CANONICAL -> CANONICAL;
      case PYTHON -> PYTHON;
      case PYTHON_ASCII -> PYTHON_ASCII;
      case PYTHON_PLAIN -> PYTHON_PLAIN;
      case COMPACT -> throw new IllegalArgumentException("COMPACT is written by Gson itself");
    };
  }

  /** The element as JSON text. */
  public String write(JsonElement e) {
    StringBuilder sb = new StringBuilder(64);
    write(e, sb);
    return sb.toString();
  }

  private void write(JsonElement e, StringBuilder sb) {
    if (e == null || e.isJsonNull()) {
      sb.append("null");
    } else if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isBoolean()) {
        sb.append(p.getAsBoolean());
      } else if (p.isNumber()) {
        number(p.getAsNumber(), sb);
      } else {
        string(p.getAsString(), sb);
      }
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      sb.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(python ? ", " : ",");
        }
        write(a.get(i), sb);
      }
      sb.append(']');
    } else {
      JsonObject o = e.getAsJsonObject();
      List<Map.Entry<String, JsonElement>> entries = new ArrayList<>(o.entrySet());
      if (sorted) {
        entries.sort((x, y) -> compareCodePoints(x.getKey(), y.getKey()));
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonElement> en : entries) {
        if (!first) {
          sb.append(python ? ", " : ",");
        }
        first = false;
        string(en.getKey(), sb);
        sb.append(python ? ": " : ":");
        write(en.getValue(), sb);
      }
      sb.append('}');
    }
  }

  /** Orders strings by Unicode code point (as Python does), not by UTF-16 unit. */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || (ascii && c > 0x7e)) {
            sb.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private void number(Number n, StringBuilder sb) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger || n instanceof java.util.concurrent.atomic.AtomicInteger
        || n instanceof java.util.concurrent.atomic.AtomicLong) {
      sb.append(n);
      return;
    }
    if (n instanceof BigDecimal bd) {
      decimal(bd, sb);
      return;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n instanceof Float f ? Double.parseDouble(Float.toString(f)) : n.doubleValue();
      floating(d, sb);
      return;
    }
    // Gson's LazilyParsedNumber (a number read from text) and anything else: go by its text
    String text = n.toString();
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0
        && !text.contains("N") && !text.contains("I")) {
      sb.append(new BigInteger(text));
    } else {
      floating(Double.parseDouble(text), sb);
    }
  }

  private void decimal(BigDecimal bd, StringBuilder sb) {
    if (python) {
      if (bd.scale() <= 0) {
        sb.append(bd.toBigIntegerExact());
      } else {
        floating(bd.doubleValue(), sb);
      }
      return;
    }
    BigDecimal s = bd.signum() == 0 ? BigDecimal.ZERO : bd.stripTrailingZeros();
    if (s.scale() <= 0) {
      sb.append(s.toBigIntegerExact());
      return;
    }
    double d = bd.doubleValue();
    if (Double.isFinite(d) && shortest(d).compareTo(s) == 0) {
      floating(d, sb);
    } else {
      sb.append(s);
    }
  }

  private void floating(double d, StringBuilder sb) {
    if (!Double.isFinite(d)) {
      if (!python) {
        throw new IllegalArgumentException(
            "NaN and infinite numbers have no canonical JSON form: " + d);
      }
      sb.append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      return;
    }
    if (!python && d == Math.rint(d)) {
      sb.append(d == 0 ? BigInteger.ZERO : new BigDecimal(d).toBigIntegerExact());
      return;
    }
    sb.append(pythonRepr(d));
  }

  /** Python's {@code repr(float)} of a finite double. */
  public static String pythonRepr(double d) {
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal s = shortest(d);
    String digits = s.unscaledValue().abs().toString();
    int scale = s.scale();
    int strip = digits.length();
    while (strip > 1 && digits.charAt(strip - 1) == '0') {
      strip--;
    }
    scale -= digits.length() - strip;
    digits = digits.substring(0, strip);
    int exp = digits.length() - 1 - scale;
    StringBuilder out = new StringBuilder(24);
    if (d < 0) {
      out.append('-');
    }
    if (exp >= -4 && exp < 16) {
      if (exp >= 0) {
        if (digits.length() <= exp + 1) {
          out.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
        } else {
          out.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
      } else {
        out.append("0.").append("0".repeat(-exp - 1)).append(digits);
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        out.append('0');
      }
      out.append(a);
    }
    return out.toString();
  }

  /** The shortest decimal that reads back as {@code d} (closest to it among equally short ones). */
  static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode m : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR,
          RoundingMode.CEILING}) {
        BigDecimal c = exact.round(new MathContext(p, m));
        if (c.doubleValue() == d && (best == null
            || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = c;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }
}
