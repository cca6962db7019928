package io.github.redisext.timers.internal;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.timers.DeadTimer;
import java.time.Instant;

/**
 * The JSON stored for a dead timer: {@code {"payload":...,"error":...,"attempts":n,"failedAt":ms}}
 * (payload is the raw stored text, as a JSON string, or null).
 */
public record DeadRecord(String payload, String error, int attempts, long failedAt) {
  private static final JsonCodec<DeadRecord> CODEC = JsonCodec.of(DeadRecord.class);

  /** This record as JSON. */
  public String toJson() {
    return CODEC.encode(this);
  }

  /** A record from JSON; an unreadable record becomes one carrying the raw text as error. */
  public static DeadRecord parse(String json) {
    try {
      return CODEC.decode(json);
    } catch (RuntimeException e) {
      return new DeadRecord(null, "unreadable dead record: " + json, 0, 0);
    }
  }

  /** As the public value type. */
  public DeadTimer toDeadTimer(String topic, String timerId) {
    return new DeadTimer(topic, timerId, payload, error, attempts, Instant.ofEpochMilli(failedAt));
  }
}
