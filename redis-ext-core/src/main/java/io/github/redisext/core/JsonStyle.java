package io.github.redisext.core;

/**
 * How {@link JsonCodec} writes JSON. Reading accepts any JSON (and Python's {@code NaN}, {@code
 * Infinity} tokens) whatever the style.
 */
public enum JsonStyle {
  /**
   * Gson's compact form: no spaces, object fields in declaration order (maps in iteration order),
   * non-ASCII characters raw, no HTML escaping, nulls written. This is also what pydantic's {@code
   * model_dump_json()} writes for the same model.
   */
  COMPACT,
  /**
   * Canonical: equal content gives equal bytes. Compact separators, object keys sorted by code
   * point at every depth, integral numbers without a fraction ({@code 1.0} is written {@code 1}),
   * other numbers in their shortest round-trip form, non-ASCII characters raw. NaN and infinities
   * are rejected.
   */
  CANONICAL,
  /**
   * Exactly Python's {@code json.dumps(value, sort_keys=True, ensure_ascii=False)}: separators
   * {@code ", "} and {@code ": "}, keys sorted by code point at every depth, floats as Python's
   * {@code repr} ({@code 1.0}, {@code 1e+16}), integers exact, non-ASCII characters raw.
   */
  PYTHON,
  /**
   * Exactly Python's {@code json.dumps(value, sort_keys=True)}: like {@link #PYTHON} but every
   * character outside U+0020..U+007E is written as a lowercase {@code \\uXXXX} escape.
   */
  PYTHON_ASCII,
  /**
   * Exactly Python's plain {@code json.dumps(value)} (no options): separators {@code ", "} and
   * {@code ": "}, object keys in insertion order (declaration order for objects, iteration order
   * for maps, document order for parsed JSON), floats as Python's {@code repr}, every character
   * outside U+0020..U+007E escaped like {@link #PYTHON_ASCII}. What the process-redis-events
   * library writes into its streams.
   */
  PYTHON_PLAIN
}
