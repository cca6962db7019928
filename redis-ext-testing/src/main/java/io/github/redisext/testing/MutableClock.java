package io.github.redisext.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for the embedded jedis-mock server that tests can move by hand. It drives {@code TIME},
 * key expiry and everything inside Lua scripts that reads the server clock, so time-dependent
 * behaviour is tested without sleeping.
 *
 * <p>By default it follows the system clock plus an offset ({@link #advance} adds to the offset),
 * so code that waits in real time still works; {@link #freeze()} stops it at its current reading
 * until {@link #advance} or {@link #reset()}.
 */
public final class MutableClock extends Clock {
  private Duration offset = Duration.ZERO;
  private Instant frozenAt;

  /** Moves the clock forward (or back, with a negative duration). */
  public synchronized void advance(Duration d) {
    if (frozenAt != null) {
      frozenAt = frozenAt.plus(d);
    } else {
      offset = offset.plus(d);
    }
  }

  /** Stops the clock at its current reading; only {@link #advance} moves it from now on. */
  public synchronized void freeze() {
    frozenAt = instant();
  }

  /** Back to the system clock, no offset, not frozen. */
  public synchronized void reset() {
    frozenAt = null;
    offset = Duration.ZERO;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public synchronized Instant instant() {
    return frozenAt != null ? frozenAt : Instant.now().plus(offset);
  }
}
