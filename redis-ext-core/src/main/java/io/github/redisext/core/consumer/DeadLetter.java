package io.github.redisext.core.consumer;

import io.github.redisext.core.support.Args;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An item a consumer gave up on, the same shape in every module: its payload exactly as it was
 * stored ({@link #rawPayload()}, byte-exact also when it is not UTF-8), why ({@link #error()}),
 * after how many deliveries ({@link #attempts()}) and when ({@link #failedAt()}, server clock),
 * plus what is specific to the module: the id of the item within its primitive ({@link #id()}:
 * the task id, the timer id, the debounce member), the {@link #consumer()} that gave up on it
 * (worker id) and its {@link #topic()} (timers). Listed, requeued and purged through the primitive
 * that owns it, which finds it again by {@link #ref()}. Immutable.
 *
 * <pre>{@code
 * for (DeadLetter d : queue.deadLetters(100)) {
 *   log.warn("{} failed {} times: {}", d.id(), d.attempts(), d.error());
 * }
 * queue.requeue(queue.deadLetters(100));
 * }</pre>
 */
public final class DeadLetter {
  private final String id;
  private final byte[] rawPayload;
  private final String error;
  private final int attempts;
  private final Instant failedAt;
  private final String consumer;
  private final String topic;
  private final String ref;

  private DeadLetter(Builder b) {
    this.id = b.id;
    this.rawPayload = b.rawPayload;
    this.error = b.error;
    this.attempts = b.attempts;
    this.failedAt = b.failedAt;
    this.consumer = b.consumer;
    this.topic = b.topic;
    this.ref = b.ref == null ? b.id : b.ref;
  }

  /**
   * Starts a dead letter (for modules; users read dead letters, they do not make them).
   *
   * @param id the item's id within its primitive
   * @param rawPayload its payload exactly as stored (copied), or null if it was missing
   */
  public static Builder builder(String id, byte[] rawPayload) {
    return new Builder(id, rawPayload);
  }

  /** The item's id within its primitive: task id, timer id, or the debounce member itself. */
  public String id() {
    return id;
  }

  /** The payload's bytes exactly as stored (a fresh copy); empty if the payload was missing. */
  public byte[] rawPayload() {
    return rawPayload == null ? new byte[0] : rawPayload.clone();
  }

  /**
   * The payload as text, exactly as stored when it is UTF-8 (malformed bytes shown as U+FFFD
   * otherwise: use {@link #rawPayload()} for the exact bytes); empty if it was missing.
   */
  public String payload() {
    return rawPayload == null ? "" : new String(rawPayload, StandardCharsets.UTF_8);
  }

  /** Whether a payload was stored at all (a timer's payload can be missing). */
  public boolean hasPayload() {
    return rawPayload != null;
  }

  /** Why it was given up: the last exception's class and message, or the decode error. */
  public String error() {
    return error;
  }

  /** Deliveries made (1 = failed on its first try; 0 if a handler never ran, e.g. no handler). */
  public int attempts() {
    return attempts;
  }

  /**
   * When it was dead-lettered (Redis server clock); {@link Instant#EPOCH} if the writer did not
   * record it (entries written by older versions or other languages).
   */
  public Instant failedAt() {
    return failedAt;
  }

  /** The consumer (worker id) that gave up on it, where the module records one. */
  public Optional<String> consumer() {
    return Optional.ofNullable(consumer);
  }

  /** Its topic, where the module has topics (timers). */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /**
   * The owning primitive's reference to the stored entry (e.g. the stored JSON, or the member):
   * opaque, used by requeue and purge to find exactly this entry.
   */
  public String ref() {
    return ref;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d && d.ref.equals(ref) && Objects.equals(d.topic, topic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, topic);
  }

  @Override
  public String toString() {
    String p = payload();
    return "DeadLetter[" + (topic == null ? "" : "topic=" + topic + ", ") + "id=" + id
        + ", attempts=" + attempts + ", failedAt=" + failedAt + ", error=" + error
        + (consumer == null ? "" : ", consumer=" + consumer) + ", payload="
        + (p.length() > 200 ? p.substring(0, 200) + "...(" + rawPayload.length + " bytes)" : p)
        + "]";
  }

  /** Builds a {@link DeadLetter}. */
  public static final class Builder {
    private final String id;
    private final byte[] rawPayload;
    private String error = "";
    private int attempts;
    private Instant failedAt = Instant.EPOCH;
    private String consumer;
    private String topic;
    private String ref;

    private Builder(String id, byte[] rawPayload) {
      this.id = Args.notNull(id, "id");
      this.rawPayload = rawPayload == null ? null : Arrays.copyOf(rawPayload, rawPayload.length);
    }

    /** Why it was given up. */
    public Builder error(String error) {
      this.error = error == null ? "" : error;
      return this;
    }

    /** Deliveries made, at least 0. */
    public Builder attempts(int attempts) {
      this.attempts = Args.inRange(attempts, 0, Integer.MAX_VALUE, "attempts");
      return this;
    }

    /** When it was dead-lettered (null: unknown, shown as {@link Instant#EPOCH}). */
    public Builder failedAt(Instant at) {
      this.failedAt = at == null ? Instant.EPOCH : at;
      return this;
    }

    /** The consumer that gave up on it (null: none recorded). */
    public Builder consumer(String consumer) {
      this.consumer = consumer;
      return this;
    }

    /** Its topic (null: none). */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** The owning primitive's reference to the stored entry (default: the id). */
    public Builder ref(String ref) {
      this.ref = ref;
      return this;
    }

    /** The dead letter. */
    public DeadLetter build() {
      return new DeadLetter(this);
    }
  }
}
