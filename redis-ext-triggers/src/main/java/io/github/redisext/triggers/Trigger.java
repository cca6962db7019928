package io.github.redisext.triggers;

import java.time.Duration;
import java.time.Instant;

/**
 * One firing of a trigger, as its {@link TriggerHandler} receives it.
 *
 * @param tenant the tenant
 * @param action the action as it stands in the key ({@code ':'} became {@code '_'})
 * @param identifier the identifier as it stands in the key ({@code ':'} became {@code '_'})
 * @param key the full TTL key, {@code <tenant>:EXPTRIGGER:<action>:<identifier>}
 * @param dueAt when it fell due (Redis server clock; for a trigger adopted from an expired event,
 *     when it was adopted)
 * @param firedAt when this delivery was claimed (Redis server clock)
 * @param attempt this delivery's number, 1 on the first
 * @param adopted whether it was written by another writer (a bare SETEX, e.g. Python's
 *     {@code RedisTrigger.set}) and adopted from a sweep or an expired event
 * @param late whether it fired later than the instance's {@code lateAfter} after its due time
 *     (e.g. every consumer was down, Redis restarted)
 */
public record Trigger(String tenant, String action, String identifier, String key, Instant dueAt,
    Instant firedAt, int attempt, boolean adopted, boolean late) {
  /** How late this delivery is: {@code firedAt - dueAt}, never negative. */
  public Duration lateness() {
    Duration d = Duration.between(dueAt, firedAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
