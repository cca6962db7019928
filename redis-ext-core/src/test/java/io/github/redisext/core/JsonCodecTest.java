package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private static final JsonCodec<Object> ANY = JsonCodec.of(Object.class);
  private static final JsonCodec<Map<String, Object>> MAP =
      JsonCodec.of(new TypeToken<Map<String, Object>>() {}.getType());

  record Order(String id, int qty, double price, List<String> tags, Map<String, Object> extra) {}

  private static List<String[]> golden() throws Exception {
    List<String[]> rows = new ArrayList<>();
    JsonCodec<String[]> row = JsonCodec.of(String[].class);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        JsonCodecTest.class.getResourceAsStream("python-json-golden.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        rows.add(row.decode(line));
      }
    }
    assertThat(rows).hasSizeGreaterThan(400);
    return rows;
  }

  @Test
  void pythonStyleIsByteIdenticalToPythonJsonDumpsOnTheGoldenCorpus() throws Exception {
    JsonCodec<Object> utf8 = ANY.withStyle(JsonStyle.PYTHON);
    JsonCodec<Object> ascii = ANY.withStyle(JsonStyle.PYTHON_ASCII);
    for (String[] g : golden()) {
      Object v = ANY.decode(g[0]);
      if (v == null) {
        continue; // a top-level null is not a value a codec encodes
      }
      assertThat(utf8.encode(v)).as("J-utf8 of %s", g[0]).isEqualTo(g[1]);
      assertThat(ascii.encode(v)).as("J-ascii of %s", g[0]).isEqualTo(g[2]);
      // the same through the untyped tree (numbers kept as their text)
      assertThat(JsonCodec.reformat(g[0], JsonStyle.PYTHON)).as("reformat %s", g[0]).isEqualTo(g[1]);
      assertThat(JsonCodec.reformat(g[0], JsonStyle.PYTHON_ASCII)).isEqualTo(g[2]);
    }
  }

  @Test
  void wireFormatExamplesAreReproducedExactly() {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("z", 1);
    n.put("y", List.of(1.0, 1e10));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", "é");
    m.put("n", n);
    assertThat(MAP.withStyle(JsonStyle.PYTHON).encode(m))
        .isEqualTo("{\"a\": \"é\", \"b\": 1, \"n\": {\"y\": [1.0, 10000000000.0], \"z\": 1}}");
    assertThat(JsonCodec.of(String.class, JsonStyle.PYTHON_ASCII).encode("é")).isEqualTo("\"\\u00e9\"");
    assertThat(MAP.withStyle(JsonStyle.PYTHON_ASCII).encode(Map.of("stock", "股票", "window", 1714999980)))
        .isEqualTo("{\"stock\": \"\\u80a1\\u7968\", \"window\": 1714999980}");
  }

  @Test
  void canonicalFormIgnoresKeyOrderAtEveryDepth() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("b", Map.of("y", 1, "x", List.of(Map.of("q", 1, "p", 2))));
    a.put("a", null);
    Map<String, Object> b = new TreeMap<>();
    b.put("a", null);
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("x", List.of(new TreeMap<>(Map.of("p", 2, "q", 1))));
    inner.put("y", 1);
    b.put("b", inner);
    JsonCodec<Map<String, Object>> c = MAP.withStyle(JsonStyle.CANONICAL);
    assertThat(c.encode(a)).isEqualTo(c.encode(b))
        .isEqualTo("{\"a\":null,\"b\":{\"x\":[{\"p\":2,\"q\":1}],\"y\":1}}");
  }

  @Test
  void canonicalNumbersAreIntegralWithoutFractionAndOtherwiseShortest() {
    JsonCodec<Object> c = ANY.withStyle(JsonStyle.CANONICAL);
    assertThat(c.encode(1.0)).isEqualTo("1");
    assertThat(c.encode(1)).isEqualTo("1");
    assertThat(c.encode(1L)).isEqualTo("1");
    assertThat(c.encode(-0.0)).isEqualTo("0");
    assertThat(c.encode(new BigDecimal("1.500"))).isEqualTo("1.5");
    assertThat(c.encode(1.5)).isEqualTo("1.5");
    assertThat(c.encode(0.1f)).isEqualTo("0.1");
    assertThat(c.encode(1e20)).isEqualTo("100000000000000000000");
    assertThat(c.encode(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
    assertThat(c.encode(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(c.encode(1.5e-5)).isEqualTo("1.5e-05");
    assertThat(c.encode(new BigDecimal("0.1000000000000000000000001")))
        .isEqualTo("0.1000000000000000000000001");
    assertThat(c.encode(Map.of("a", 2.0))).isEqualTo(c.encode(Map.of("a", 2)));
  }

  @Test
  void canonicalFormIsStableForUnicodeAndEscapes() {
    JsonCodec<Object> c = ANY.withStyle(JsonStyle.CANONICAL);
    assertThat(c.encode("é😀\u2028")).isEqualTo("\"é😀\u2028\"");
    assertThat(c.encode("a\"b\\c\n\u0001/")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001/\"");
    assertThat(c.encode(Map.of("\uE000", 1, "\uD83D\uDE00", 2)))
        .as("keys ordered by code point, not UTF-16 unit").isEqualTo("{\"\uE000\":1,\"😀\":2}");
  }

  @Test
  void canonicalRejectsNanButPythonWritesItsTokens() {
    assertThatThrownBy(() -> ANY.withStyle(JsonStyle.CANONICAL).encode(Double.NaN))
        .isInstanceOf(CodecException.class).hasMessageContaining("NaN");
    assertThat(ANY.withStyle(JsonStyle.PYTHON).encode(List.of(Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))).isEqualTo("[NaN, Infinity, -Infinity]");
  }

  @Test
  void decodingAcceptsPythonNanTokens() {
    assertThat(ANY.decode("[NaN, Infinity, -Infinity, 1]")).isEqualTo(
        List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1L));
  }

  @Test
  void untypedNumbersKeepIntegerOrFloatForm() {
    assertThat(ANY.decode("1")).isEqualTo(1L);
    assertThat(ANY.decode("1.0")).isEqualTo(1.0);
    assertThat(ANY.decode("1180591620717411303424")).isEqualTo(new BigInteger("1180591620717411303424"));
    assertThat(ANY.decode("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void recordsRoundTripInCompactFormWithFieldsInDeclarationOrder() {
    JsonCodec<Order> c = JsonCodec.of(Order.class);
    Order o = new Order("o-1", 2, 9.5, List.of("x<y", "a&b"), Map.of("note", "é"));
    String json = c.encode(o);
    assertThat(json).isEqualTo(
        "{\"id\":\"o-1\",\"qty\":2,\"price\":9.5,\"tags\":[\"x<y\",\"a&b\"],\"extra\":{\"note\":\"é\"}}");
    assertThat(c.decode(json)).isEqualTo(o);
    assertThat(c.encode(new Order(null, 0, 0, List.of(), Map.of()))).contains("\"id\":null");
  }

  @Test
  void decodeFailuresAreTypedAndCarryTheRawText() {
    JsonCodec<Order> c = JsonCodec.of(Order.class);
    for (String bad : List.of("{not json", "\"a string\"", "[1,2]", "{\"qty\":\"many\"}", "", "abc",
        "{\"id\":1} trailing")) {
      assertThatThrownBy(() -> c.decode(bad)).as(bad).isInstanceOf(CodecException.class)
          .satisfies(e -> assertThat(((CodecException) e).rawText()).isEqualTo(bad))
          .hasMessageContaining(Order.class.getName());
    }
    assertThatThrownBy(() -> c.decode(null)).isInstanceOf(CodecException.class);
  }

  @Test
  void encodingNullIsANullPointerException() {
    assertThatThrownBy(() -> ANY.encode(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void genericTypesDecodeIntoTheirElementTypes() {
    JsonCodec<List<Order>> c = JsonCodec.of(new TypeToken<List<Order>>() {}.getType());
    List<Order> back = c.decode("[{\"id\":\"a\",\"qty\":1,\"price\":1,\"tags\":[],\"extra\":{}}]");
    assertThat(back.get(0)).isInstanceOf(Order.class);
    assertThat(back.get(0).id()).isEqualTo("a");
    assertThat(c.toString()).contains("List", "COMPACT");
  }

  @Test
  void pythonFloatReprMatchesPythonForTheDocumentedCases() {
    JsonCodec<Object> p = ANY.withStyle(JsonStyle.PYTHON);
    assertThat(p.encode(List.of(1.0, 3.14, 0.0001, 1e10, 1e15, 1e16, 1.5e-5, -0.0)))
        .isEqualTo("[1.0, 3.14, 0.0001, 10000000000.0, 1000000000000000.0, 1e+16, 1.5e-05, -0.0]");
  }

  @Test
  void pythonPlainStyleKeepsInsertionOrderLikePlainJsonDumps() {
    // expected bytes from Python 3: json.dumps({"z": 1, "a": "é😀", "n": {"y": [1.0, 1e10],
    // "b": None}, "big": 12345678901234567890})
    String in = "{\"z\":1,\"a\":\"é😀\",\"n\":{\"y\":[1.0,1e10],\"b\":null},"
        + "\"big\":12345678901234567890}";
    String python = "{\"z\": 1, \"a\": \"\\u00e9\\ud83d\\ude00\", \"n\": {\"y\": [1.0, "
        + "10000000000.0], \"b\": null}, \"big\": 12345678901234567890}";
    assertThat(JsonCodec.reformat(in, JsonStyle.PYTHON_PLAIN)).isEqualTo(python);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", List.of(2.5));
    assertThat(ANY.withStyle(JsonStyle.PYTHON_PLAIN).encode(m)).isEqualTo("{\"b\": 1, \"a\": [2.5]}");
  }
}
