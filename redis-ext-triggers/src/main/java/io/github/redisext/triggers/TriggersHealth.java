package io.github.redisext.triggers;

import java.util.List;

/**
 * What an {@link ExpiryTriggers} instance can rely on now.
 *
 * @param started whether {@link ExpiryTriggers#start()} ran (and the instance is not closed)
 * @param keyspaceEvents whether every master publishes expired events (false when
 *     {@code notify-keyspace-events} could not be read or set, e.g. CONFIG is forbidden, or when
 *     not listening): triggers written by others are then adopted by the sweep alone
 * @param subscribed whether every master's expired-event subscription is up now
 * @param problems why keyspace events are not available, one line per master (empty if they are)
 * @param adopted triggers written by others adopted so far by this instance
 * @param sweeps full sweeps completed by this instance
 */
public record TriggersHealth(boolean started, boolean keyspaceEvents, boolean subscribed,
    List<String> problems, long adopted, long sweeps) {
  /** Copies {@code problems}. */
  public TriggersHealth {
    problems = List.copyOf(problems);
  }
}
