package io.github.redisext.timers;

import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * One timer for {@link Timers#setTimers(java.util.Collection)}.
 *
 * @param topic a topic registered in one of the routers
 * @param timerId the timer's id within its topic (may contain the separator)
 * @param payload the payload, an instance of the topic's payload type
 * @param delay how long from now (server clock) until it fires; zero fires at once; at most
 *     {@link #MAX_DELAY}
 */
public record TimerRequest(String topic, String timerId, Object payload, Duration delay) {
  /**
   * Longest delay of a timer: 1,000 years (365,250 days). Due times are stored as Unix seconds
   * with millisecond fractions in a ZSET's double score; up to this bound they stay exact to the
   * millisecond (and within every integer conversion on the way).
   */
  public static final Duration MAX_DELAY = Duration.ofDays(365_250);

  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the topic or id is blank, or the delay is not between zero
   *     and {@link #MAX_DELAY}
   */
  public TimerRequest {
    Args.notBlank(topic, "topic");
    Args.notNull(timerId, "timerId");
    if (timerId.isEmpty()) {
      throw new IllegalArgumentException("timerId must not be empty");
    }
    Args.notNull(payload, "payload");
    Args.inRange(delay, Duration.ZERO, MAX_DELAY, "delay");
  }
}
