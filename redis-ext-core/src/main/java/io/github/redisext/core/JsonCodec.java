package io.github.redisext.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import io.github.redisext.core.internal.JsonShape;
import io.github.redisext.core.internal.JsonWriter;
import io.github.redisext.core.internal.NonFinite;
import io.github.redisext.core.internal.Numbers;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A Gson-based JSON {@link Codec}. Immutable and thread-safe.
 *
 * <p>Reading accepts any JSON document of the target type, plus Python's {@code NaN}/{@code
 * Infinity} tokens; untyped numbers (in {@code Object} or {@code Map<String, Object>} targets)
 * become {@code Long}, {@code BigInteger} or {@code Double}. Writing follows the {@link JsonStyle}:
 * {@link JsonStyle#COMPACT} by default, {@link JsonStyle#CANONICAL} wherever equal content must
 * give equal bytes, {@link JsonStyle#PYTHON}/{@link JsonStyle#PYTHON_ASCII} for byte-identical
 * interop with Python's {@code json.dumps(..., sort_keys=True)}.
 *
 * <pre>{@code
 * JsonCodec<Order> orders = JsonCodec.of(Order.class);
 * JsonCodec<Map<String, Object>> tasks =
 *     JsonCodec.<Map<String, Object>>of(new TypeToken<Map<String, Object>>() {}.getType())
 *         .withStyle(JsonStyle.PYTHON);
 * tasks.encode(Map.of("b", 1, "a", "é"));   // {"a": "é", "b": 1}
 * }</pre>
 *
 * @param <T> the value type
 */
public final class JsonCodec<T> implements Codec<T> {
  private static final Gson DEFAULT_GSON = configure(new GsonBuilder()).create();

  private final Type type;
  private final JsonStyle style;
  private final Gson gson;
  /** Strict decoding: the JSON's shape must be exactly the type's (see {@link #strict()}). */
  private final boolean strictShape;
  /** Reads strictly (rejects garbage such as unquoted words). */
  private final Gson strict;
  /** Writes (NaN/Infinity allowed for the Python styles) and reads Python's NaN tokens. */
  private final Gson lenient;

  private JsonCodec(Type type, JsonStyle style, Gson gson) {
    this(type, style, gson, false);
  }

  private JsonCodec(Type type, JsonStyle style, Gson gson, boolean strictShape) {
    this.strictShape = strictShape;
    this.type = Objects.requireNonNull(type, "type");
    this.style = Objects.requireNonNull(style, "style");
    this.gson = Objects.requireNonNull(gson, "gson");
    this.strict = gson.newBuilder().setStrictness(Strictness.LEGACY_STRICT).create();
    this.lenient = gson.newBuilder().setStrictness(Strictness.LENIENT).create();
  }

  /**
   * Applies redis-ext's Gson settings to a builder: no HTML escaping, nulls written, NaN allowed on
   * write, integers read as integers. Use it when building a Gson with your own type adapters for
   * {@link #withGson(Gson)}.
   */
  public static GsonBuilder configure(GsonBuilder builder) {
    return builder.disableHtmlEscaping().serializeNulls().serializeSpecialFloatingPointValues()
        .setObjectToNumberStrategy(Numbers.INSTANCE).setNumberToNumberStrategy(Numbers.INSTANCE)
        .setStrictness(Strictness.LEGACY_STRICT);
  }

  /** A {@link JsonStyle#COMPACT} codec for a class. */
  public static <T> JsonCodec<T> of(Class<T> type) {
    return new JsonCodec<>(type, JsonStyle.COMPACT, DEFAULT_GSON);
  }

  /**
   * A {@link JsonStyle#COMPACT} codec for a generic type, e.g. {@code new TypeToken<List<Item>>()
   * {}.getType()}. The caller is responsible for {@code T} matching {@code type}.
   */
  public static <T> JsonCodec<T> of(Type type) {
    return new JsonCodec<>(type, JsonStyle.COMPACT, DEFAULT_GSON);
  }

  /** A codec for a class writing in {@code style}. */
  public static <T> JsonCodec<T> of(Class<T> type, JsonStyle style) {
    return new JsonCodec<>(type, style, DEFAULT_GSON);
  }

  /** This codec writing in another style. */
  public JsonCodec<T> withStyle(JsonStyle newStyle) {
    return new JsonCodec<>(type, newStyle, gson, strictShape);
  }

  /**
   * This codec decoding strictly: a document must have exactly the shape of {@code T}, or {@link
   * #decode} throws a {@link CodecException} carrying the raw text (so a consumer sets the item
   * aside instead of handling a half-empty object). Strict means:
   *
   * <ul>
   *   <li>a JSON {@code null} document is rejected (there is no {@code T} in it);
   *   <li>every JSON object has exactly the properties Gson writes for the decoded value: a
   *       property the type does not have is <em>unknown</em>, a field or record component the
   *       document lacks is <em>missing</em> (also when it would be null), at any depth;
   *   <li>maps, lists and {@code JsonElement}s take whatever they are given.
   * </ul>
   *
   * <p>The default (lenient) mode is Gson's: unknown properties are ignored and missing ones are
   * left null/zero, which lets a producer add a field before every consumer knows it. Strict
   * mode costs a second pass over the document; {@code @SerializedName(alternate = ...)} names
   * count as unknown in it.
   *
   * <pre>{@code
   * record Task(int id, String pad) {}
   * JsonCodec<Task> tasks = JsonCodec.of(Task.class).strict();
   * tasks.decode("{\"wrong\":\"shape\"}");   // CodecException: unknown property $.wrong, ...
   * }</pre>
   */
  public JsonCodec<T> strict() {
    return new JsonCodec<>(type, style, gson, true);
  }

  /** Whether this codec decodes strictly ({@link #strict()}). */
  public boolean isStrict() {
    return strictShape;
  }

  /**
   * This codec using a Gson of your own (type adapters, naming policy). Pass it through {@link
   * #configure(GsonBuilder)} to keep redis-ext's number and null handling.
   */
  public JsonCodec<T> withGson(Gson customGson) {
    return new JsonCodec<>(type, style, customGson, strictShape);
  }

  /** The type this codec reads and writes. */
  public Type type() {
    return type;
  }

  /** The style it writes. */
  public JsonStyle style() {
    return style;
  }

  @Override
  public String encode(T value) {
    Objects.requireNonNull(value, "value");
    try {
      if (style == JsonStyle.COMPACT) {
        return lenient.toJson(value, type);
      }
      return JsonWriter.of(style).write(lenient.toJsonTree(value, type));
    } catch (IllegalArgumentException | JsonParseException e) {
      throw new CodecException("cannot encode " + value.getClass().getName() + " as " + style
          + " JSON: " + e.getMessage(), null, e);
    }
  }

  @Override
  public T decode(String text) {
    T v = decodeLenient(text);
    if (strictShape) {
      checkShape(text, v);
    }
    return v;
  }

  private void checkShape(String text, T v) {
    if (v == null) {
      throw new CodecException("JSON null is not a " + type.getTypeName() + " (strict decoding)",
          text, null);
    }
    String problem;
    try {
      JsonElement in = lenient.fromJson(text, JsonElement.class);
      JsonElement out = lenient.toJsonTree(v, type);
      problem = JsonShape.difference(in, out);
    } catch (RuntimeException e) {
      throw new CodecException("cannot check the shape of " + type.getTypeName() + " JSON "
          + abbreviate(text) + ": " + e.getMessage(), text, e);
    }
    if (problem != null) {
      throw new CodecException("JSON " + abbreviate(text) + " does not have the shape of "
          + type.getTypeName() + " (strict decoding): " + problem, text, null);
    }
  }

  private T decodeLenient(String text) {
    if (text == null) {
      throw new CodecException("cannot decode null as " + type.getTypeName(), null, null);
    }
    try {
      T v = strict.fromJson(text, type);
      if (v == null && !"null".equals(text.strip())) {
        throw new CodecException("empty JSON text for " + type.getTypeName(), text, null);
      }
      return v;
    } catch (JsonParseException e) {
      if (NonFinite.hasBareToken(text)) {
        try {
          return NonFinite.restore(lenient.fromJson(text, type));
        } catch (JsonParseException ignored) {
          // fall through to the original error
        }
      }
      throw new CodecException("cannot decode " + type.getTypeName() + " from JSON " + abbreviate(text)
          + ": " + e.getMessage(), text, e);
    }
  }

  /**
   * Re-writes any JSON text in {@code style} (e.g. to find the member a Python peer wrote for the
   * same content).
   *
   * @throws CodecException if {@code json} is not valid JSON
   */
  public static String reformat(String json, JsonStyle style) {
    JsonCodec<JsonElement> c = TREE_CODECS.get(Objects.requireNonNull(style, "style"));
    return c.encode(c.decode(json));
  }

  /** One untyped codec per style for {@link #reformat} (built once: a Gson is not cheap). */
  private static final java.util.Map<JsonStyle, JsonCodec<JsonElement>> TREE_CODECS;

  static {
    java.util.Map<JsonStyle, JsonCodec<JsonElement>> m = new java.util.EnumMap<>(JsonStyle.class);
    for (JsonStyle st : JsonStyle.values()) {
      m.put(st, new JsonCodec<>(JsonElement.class, st, DEFAULT_GSON));
    }
    TREE_CODECS = java.util.Collections.unmodifiableMap(m);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? "'" + text + "'" : "'" + text.substring(0, 200) + "…' ("
        + text.length() + " chars)";
  }

  @Override
  public String toString() {
    return "JsonCodec[" + type.getTypeName() + ", " + style + (strictShape ? ", strict" : "") + "]";
  }
}
