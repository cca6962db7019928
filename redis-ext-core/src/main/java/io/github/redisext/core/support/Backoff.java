package io.github.redisext.core.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff: {@code initial * 2^(attempt-1)}, capped at {@code max}. Immutable.
 *
 * <pre>{@code
 * Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
 * b.delay(1);          // 100 ms
 * b.delay(3);          // 400 ms
 * b.jittered(3);       // uniformly 200..400 ms
 * }</pre>
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;

  private Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** A backoff doubling from {@code initial} up to {@code max}. */
  public static Backoff exponential(Duration initial, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got initial=" + initial
          + " max=" + max);
    }
    return new Backoff(initial, max);
  }

  /** The delay before retry number {@code attempt} (1-based). */
  public Duration delay(int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 40));
    long ms = initial.toMillis();
    long d = ms > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : ms << shift;
    return Duration.ofMillis(Math.min(d, max.toMillis()));
  }

  /** {@link #delay(int)} with jitter: uniformly between half of it and all of it. */
  public Duration jittered(int attempt) {
    long d = delay(attempt).toMillis();
    return Duration.ofMillis(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
  }

  /** Sleeps {@link #jittered(int)}; returns false if interrupted (the flag is set again). */
  public boolean sleep(int attempt) {
    try {
      Thread.sleep(jittered(attempt).toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "Backoff[" + initial + ".." + max + "]";
  }
}
