package io.github.redisext.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the wire format (WIRE-FORMAT.md §9): every expected string below was printed
 * by Python 3's {@code json.dumps}, the way process-redis-events writes it.
 */
class WireTest {
  private static final String ID = "1700000000000-0";

  @Test
  void lifecycleEventsAreByteIdenticalToPython() {
    assertThat(Wire.event(ID, "started"))
        .isEqualTo("{\"id\": \"1700000000000-0\", \"type\": \"started\"}");
    assertThat(Wire.progress(ID, 0.25, "Quarter")).isEqualTo("{\"id\": \"1700000000000-0\", "
        + "\"type\": \"progress\", \"completionRatio\": 0.25, \"status\": \"Quarter\"}");
    assertThat(Wire.progress(ID, 0.0, "Starting")).isEqualTo("{\"id\": \"1700000000000-0\", "
        + "\"type\": \"progress\", \"completionRatio\": 0.0, \"status\": \"Starting\"}");
    assertThat(Wire.failed(ID, "Something went wrong é")).isEqualTo("{\"id\": "
        + "\"1700000000000-0\", \"type\": \"failed\", "
        + "\"error\": \"Something went wrong \\u00e9\"}");
  }

  @Test
  void aDeadLetterIsPythonsDictMergeWithDlqMetadataOnceSettleAppendsTheTimestamp() {
    Map<String, String> fields = Map.of("data", "{\"foo\":\"bar\",\"n\":1.0,\"name\":\"é\","
        + "\"big\":12345678901234567890,\"nested\":{\"b\":[1,2],\"a\":null}}");
    Wire.DeadFields d = Wire.deadLetter(fields, ID, 3, "g", "c-1", "java.lang.Exception: x");
    assertThat(d.stampedPair()).isEqualTo(1);
    // settle.lua appends the server time and the suffix
    String data = d.fields().get("data") + "1700000000123" + d.suffix();
    assertThat(data).isEqualTo("{\"foo\": \"bar\", \"n\": 1.0, \"name\": \"\\u00e9\", \"big\": "
        + "12345678901234567890, \"nested\": {\"b\": [1, 2], \"a\": null}, \"_dlqMetadata\": "
        + "{\"originalId\": \"1700000000000-0\", \"attempts\": 3, \"consumerGroup\": \"g\", "
        + "\"consumerId\": \"c-1\", \"timestamp\": 1700000000123}}");
    assertThat(d.fields()).containsEntry("error", "java.lang.Exception: x");
  }

  @Test
  void aNonObjectOrUndecodablePayloadKeepsItsRawFieldsBesideAMetadataField() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("data", "[1, 2]");
    Wire.DeadFields d = Wire.deadLetter(fields, ID, 1, "g", "c-1", "boom");
    assertThat(d.fields().keySet()).containsExactly("data", "_dlqMetadata", "error");
    assertThat(d.fields().get("data")).isEqualTo("[1, 2]");
    assertThat(d.fields().get("_dlqMetadata") + "1700000000123" + d.suffix()).isEqualTo(
        "{\"originalId\": \"1700000000000-0\", \"attempts\": 1, \"consumerGroup\": \"g\", "
        + "\"consumerId\": \"c-1\", \"timestamp\": 1700000000123}");
    assertThat(d.stampedPair()).isEqualTo(2);
    Map<String, String> bad = Map.of("data", "{not json");
    assertThat(Wire.deadLetter(bad, ID, 1, "g", "c", "e").fields()).containsEntry("data",
        "{not json");
  }

  @Test
  void readingADeadLetterBackGivesTheOriginalEntryWithoutItsMetadata() {
    String data = "{\"foo\": \"bar\", \"_dlqMetadata\": {\"originalId\": \"1-0\", \"attempts\": 3, "
        + "\"consumerGroup\": \"g\", \"consumerId\": \"c\", \"timestamp\": 1700000000123}}";
    Wire.ReadBack rb = Wire.readDeadLetter(Map.of("data", data));
    assertThat(rb.original()).containsExactly(Map.entry("data", "{\"foo\": \"bar\"}"));
    assertThat(rb.metadata().get("attempts").getAsInt()).isEqualTo(3);
    assertThat(rb.error()).isNull();
  }

  @Test
  void theRangeOfABatchComparesIdsAsNumbers() {
    assertThat(Engine.range(java.util.List.of("10-2", "9-5", "10-10", "100-0")))
        .containsExactly("9-5", "100-0");
    assertThat(Engine.range(java.util.List.of())).containsExactly("0-0", "0-0");
  }
}
