package io.github.redisext.timers;

import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * One timer for {@link Timers#setTimers(java.util.Collection)}.
 *
 * @param topic a topic registered in one of the routers
 * @param timerId the timer's id within its topic (may contain the separator)
 * @param payload the payload, an instance of the topic's payload type
 * @param delay how long from now (server clock) until it fires; zero fires at once
 */
public record TimerRequest(String topic, String timerId, Object payload, Duration delay) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the topic or id is blank or the delay negative
   */
  public TimerRequest {
    Args.notBlank(topic, "topic");
    Args.notNull(timerId, "timerId");
    if (timerId.isEmpty()) {
      throw new IllegalArgumentException("timerId must not be empty");
    }
    Args.notNull(payload, "payload");
    Args.nonNegative(delay, "delay");
  }
}
