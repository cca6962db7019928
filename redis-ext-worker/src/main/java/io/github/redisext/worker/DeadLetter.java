package io.github.redisext.worker;

import java.time.Instant;
import java.util.Objects;

/**
 * A task that was given up: its raw bytes exactly as they were queued (also when they are not
 * UTF-8), why, after how many deliveries
 * and when (server clock). Read with {@link WorkQueue#deadLetters(int)}; requeue or purge it through
 * the same {@link WorkQueue}. Immutable.
 */
public final class DeadLetter {
  private final String id;
  private final String payload;
  private final byte[] rawPayload;
  private final String error;
  private final int attempts;
  private final Instant failedAt;
  private final String worker;
  private final String entry;

  DeadLetter(String id, String payload, byte[] rawPayload, String error, int attempts,
      Instant failedAt, String worker, String entry) {
    this.id = id;
    this.payload = payload;
    this.rawPayload = rawPayload;
    this.error = error;
    this.attempts = attempts;
    this.failedAt = failedAt;
    this.worker = worker;
    this.entry = entry;
  }

  /** The task's id (unique within its queue). */
  public String id() {
    return id;
  }

  /**
   * The task's raw text, exactly as it was pushed (also when it could not be decoded). For a
   * payload that is not valid UTF-8 this is a lossy rendering (malformed bytes shown as U+FFFD):
   * use {@link #rawPayload()} for the exact bytes.
   */
  public String payload() {
    return payload;
  }

  /**
   * The task's raw bytes, exactly as they were pushed, also when they are not valid UTF-8 (such a
   * payload is stored in the dead-letter entry as {@code "payloadHex"}). A fresh copy on each call;
   * {@link WorkQueue#requeue} puts back these bytes.
   */
  public byte[] rawPayload() {
    return rawPayload.clone();
  }

  byte[] rawPayloadUnsafe() {
    return rawPayload;
  }

  /** The error: the exception's class and message, or why it could not be decoded. */
  public String error() {
    return error;
  }

  /** Deliveries made (1 = failed on its first try; undecodable payloads have 1). */
  public int attempts() {
    return attempts;
  }

  /** When it was dead-lettered (Redis server clock, millisecond precision). */
  public Instant failedAt() {
    return failedAt;
  }

  /** The id of the worker that dead-lettered it (or whose lease expired while it ran). */
  public String worker() {
    return worker;
  }

  /** The stored JSON entry, exactly as in the dead-letter list. */
  String entry() {
    return entry;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d && d.entry.equals(entry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entry);
  }

  @Override
  public String toString() {
    return "DeadLetter[id=" + id + ", attempts=" + attempts + ", failedAt=" + failedAt + ", error="
        + error + ", payload=" + payload + "]";
  }
}
