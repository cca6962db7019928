package io.github.redisext.timers.internal;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.core.support.Strings;
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

  /**
   * A stored dead timer as core's dead letter: id = timer id, topic, ref = the record JSON as
   * stored (what requeue and purge compare, so they act on exactly this entry).
   */
  public static DeadLetter toDeadLetter(KeyLayout keys, TimersRedis.DeadEntry e) {
    DeadRecord r = parse(e.record());
    return DeadLetter.builder(keys.idOf(e.member()), r.payload == null ? null
            : Strings.utf8(r.payload))
        .topic(keys.topicOf(e.member())).error(r.error).attempts(r.attempts)
        .failedAt(Instant.ofEpochMilli(r.failedAt)).ref(e.record()).build();
  }
}
