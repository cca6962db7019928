package io.github.redisext.events;

import io.github.redisext.core.CodecException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * One stored event: the fields of its hash {@code <prefix>:events:<type>:<id>}. The payload is
 * decoded when the event is read; a payload that does not decode (Python's default pickle, or any
 * foreign bytes) never makes a read fail: {@link #isDecoded()} is false, {@link #rawPayload()}
 * holds the bytes and {@link #payload()} throws a {@link CodecException} carrying them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the payload type
 */
public final class Event<T> {
  private final long id;
  private final EventStatus status;
  private final String statusText;
  private final String createdAtText;
  private final String workerId;
  private final byte[] rawPayload;
  /** Decodes the payload on first use (null once decoded, or when built decoded). */
  private volatile Function<byte[], T> decoder;
  private T payload;
  private CodecException decodeError;
  private volatile Instant createdAt;
  private volatile boolean createdAtParsed;

  /**
   * An event (built by the queue; public for tests and adapters).
   *
   * @param id the event id (from the counter)
   * @param statusText the {@code status} field as stored
   * @param createdAtText the {@code created_at} field as stored (ISO-8601)
   * @param createdAt it parsed, or null when it does not parse
   * @param workerId the publisher's id
   * @param rawPayload the payload bytes as stored
   * @param payload the decoded payload (null when it did not decode)
   * @param decodeError why it did not decode, or null
   */
  public Event(long id, String statusText, String createdAtText, Instant createdAt,
      String workerId, byte[] rawPayload, T payload, CodecException decodeError) {
    this(id, statusText, createdAtText, createdAt, workerId, rawPayload, null);
    this.payload = payload;
    this.decodeError = decodeError;
  }

  private Event(long id, String statusText, String createdAtText, Instant createdAt,
      String workerId, byte[] rawPayload, Function<byte[], T> decoder) {
    this.id = id;
    this.statusText = statusText;
    this.status = EventStatus.parse(statusText);
    this.createdAtText = createdAtText;
    this.createdAt = createdAt;
    this.createdAtParsed = createdAt != null;
    this.workerId = workerId;
    this.rawPayload = rawPayload == null ? new byte[0] : rawPayload.clone();
    this.decoder = decoder;
  }

  /**
   * An event whose payload is decoded by {@code decoder} on first use ({@link #payload()}, {@link
   * #isDecoded()}), and whose {@code created_at} is parsed on first use: readers that do not look
   * at them pay nothing. The decoder throws {@link CodecException} for a payload it cannot read.
   */
  public static <T> Event<T> lazy(long id, String statusText, String createdAtText,
      String workerId, byte[] rawPayload, Function<byte[], T> decoder) {
    return new Event<>(id, statusText, createdAtText, null, workerId, rawPayload,
        java.util.Objects.requireNonNull(decoder, "decoder"));
  }

  private void decode() {
    if (decoder == null) {
      return;
    }
    synchronized (this) {
      Function<byte[], T> d = decoder;
      if (d == null) {
        return;
      }
      try {
        payload = d.apply(rawPayload);
      } catch (CodecException e) {
        decodeError = e;
      }
      decoder = null;
    }
  }

  /** The id: 1, 2, 3 ... per event type (the counter). */
  public long id() {
    return id;
  }

  /** The status, or null when the stored text is none of {@link EventStatus}'s names. */
  public EventStatus status() {
    return status;
  }

  /** The {@code status} field as stored. */
  public String statusText() {
    return statusText;
  }

  /** When it was published (server clock), or null when {@link #createdAtText()} does not parse. */
  public Instant createdAt() {
    if (!createdAtParsed) {
      createdAt = parseInstant(createdAtText);
      createdAtParsed = true;
    }
    return createdAt;
  }

  private static Instant parseInstant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** The {@code created_at} field as stored, e.g. {@code 2026-12-01T19:33:17.454792+00:00}. */
  public String createdAtText() {
    return createdAtText;
  }

  /** The publisher's {@code worker_id}. */
  public String workerId() {
    return workerId;
  }

  /** Whether the payload decoded. */
  public boolean isDecoded() {
    decode();
    return decodeError == null;
  }

  /**
   * The decoded payload.
   *
   * @throws CodecException (carrying the raw text) when it did not decode
   */
  public T payload() {
    decode();
    if (decodeError != null) {
      throw decodeError;
    }
    return payload;
  }

  /** The payload bytes exactly as stored (a copy). */
  public byte[] rawPayload() {
    return rawPayload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event<?> e && id == e.id && Objects.equals(statusText, e.statusText)
        && Objects.equals(createdAtText, e.createdAtText) && Objects.equals(workerId, e.workerId)
        && Arrays.equals(rawPayload, e.rawPayload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, statusText, createdAtText, workerId, Arrays.hashCode(rawPayload));
  }

  @Override
  public String toString() {
    String p = isDecoded() ? String.valueOf(payload)
        : "<undecodable, " + rawPayload.length + " bytes>";
    if (p.length() > 200) {
      p = p.substring(0, 200) + "...";
    }
    return "Event[id=" + id + ", status=" + statusText + ", createdAt=" + createdAtText
        + ", workerId=" + workerId + ", payload=" + p + "]";
  }

}
