package io.github.redisext.streams.internal;

import io.github.redisext.streams.Delivery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One delivery of a stream entry: the kernel's item and the handler's {@link Delivery}.
 *
 * @param <T> the entry type
 */
public final class Entry<T> implements Delivery<T> {
  private final String id;
  private final Map<String, String> fields;
  private T value; // set by StreamStore.prepare, on the thread that then handles the entry
  private final int deliveries;
  private final Progress progress;
  private volatile boolean leaseLost;
  /** 0 new, 1 running, 2 finished, 3 superseded by a later delivery of the same entry here. */
  private final AtomicInteger state = new AtomicInteger();
  private volatile String lastError;

  /** Writes progress events (or nothing when events are off). */
  @FunctionalInterface
  public interface Progress {
    /** Writes one progress event for {@code id}. */
    void report(String id, double ratio, String status);
  }

  /**
   * An entry.
   *
   * @param deliveries deliveries so far, this one included (Redis's delivery counter)
   */
  public Entry(String id, Map<String, String> fields, T value, int deliveries, Progress progress) {
    this.id = id;
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.value = value;
    this.deliveries = deliveries;
    this.progress = progress;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public T value() {
    return value;
  }

  /** Sets the decoded value (the store's {@code prepare}, on the handling thread). */
  void value(T v) {
    this.value = v;
  }

  @Override
  public Map<String, String> fields() {
    return fields;
  }

  @Override
  public int attempts() {
    return deliveries - 1;
  }

  /** Deliveries so far, this one included (1 on the first). */
  public int deliveries() {
    return deliveries;
  }

  @Override
  public void reportProgress(double completionRatio, String status) {
    if (!(completionRatio >= 0.0 && completionRatio <= 1.0)) {
      throw new IllegalArgumentException("completionRatio must be 0.0..1.0, got "
          + completionRatio);
    }
    if (status == null) {
      throw new IllegalArgumentException("status must not be null");
    }
    progress.report(id, completionRatio, status);
  }

  @Override
  public boolean leaseLost() {
    return leaseLost;
  }

  void markLeaseLost() {
    leaseLost = true;
  }

  private volatile boolean settling;

  /** Its settlement is being applied (a renewal racing with it must not call it lost). */
  void settling() {
    settling = true;
  }

  /** Whether its settlement was handed to Redis. */
  boolean isSettling() {
    return settling;
  }

  /** Starts the handler on it; false if a later delivery superseded it (do not run it). */
  public boolean begin() {
    return state.compareAndSet(0, 1);
  }

  /** Its handler returned or threw. */
  public void end() {
    state.set(2);
  }

  /** Whether its handler runs now. */
  boolean running() {
    return state.get() == 1;
  }

  /**
   * Lets a later delivery of the same entry replace this lost one: true unless its handler still
   * runs (a handler that has not started never will).
   */
  boolean supersede() {
    return state.compareAndSet(0, 3) || state.get() >= 2;
  }

  /** The last failure's message, as the {@code failed} event carries it. */
  public String lastError() {
    return lastError;
  }

  /** Records the handler's failure for the {@code failed} event. */
  public void lastError(String error) {
    this.lastError = error;
  }

  /** The entry's time from its id (epoch ms), or -1. */
  long idMillis() {
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "Delivery[id=" + id + ", attempts=" + attempts() + ", value=" + value + "]";
  }
}
