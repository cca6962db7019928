package io.github.redisext.timers.internal;

import io.github.redisext.core.consumer.DeadLetterException;
import java.util.Map;

/**
 * Runs one claimed timer's handler: finds its topic's route, decodes the payload and calls the
 * handler with the user context. A timer that cannot reach a handler (no handler for its topic,
 * no payload, an undecodable payload) is marked {@code aside} and refused with a {@link
 * DeadLetterException}, so it goes to the dead timers at once without counting an attempt.
 *
 * @param <C> the user context type
 */
public final class Firing<C> {
  private final Map<String, Route<?, C>> routes;
  private final C context;
  private final KeyLayout keys;
  private final ServerClock clock;
  private final Counters counters;

  /** Fires timers of {@code routes}' topics with {@code context}. */
  public Firing(Map<String, Route<?, C>> routes, C context, KeyLayout keys, ServerClock clock,
      Counters counters) {
    this.routes = Map.copyOf(routes);
    this.context = context;
    this.keys = keys;
    this.clock = clock;
    this.counters = counters;
  }

  /**
   * Fires {@code t}: returns when its handler returned.
   *
   * @throws DeadLetterException if it cannot be handled at all ({@code t} is then marked aside)
   * @throws Exception what the handler threw (a failed attempt)
   */
  public void fire(DueTimer t) throws Exception {
    counters.lag(Math.max(0, clock.nowMs() - t.dueMs()));
    String topic = keys.topicOf(t.member);
    Route<?, C> route = routes.get(topic);
    if (route == null) {
      throw aside(t, "no handler for topic '" + topic + "' (topics with a handler: "
          + routes.keySet() + ")");
    }
    if (t.payload == null) {
      throw aside(t, "payload missing from " + keys.payloads(t.shard));
    }
    invoke(route, t);
  }

  private <P> void invoke(Route<P, C> route, DueTimer t) throws Exception {
    P payload;
    try {
      payload = route.codec().decode(t.payload);
      if (payload == null) {
        throw new IllegalArgumentException("payload is JSON null");
      }
    } catch (RuntimeException e) {
      throw aside(t, "cannot decode payload as " + route.type().getName() + ": "
          + e.getMessage());
    }
    try {
      route.handler().handle(payload, context);
    } catch (Throwable e) {
      counters.failed();
      throw e;
    }
  }

  private static DeadLetterException aside(DueTimer t, String reason) {
    t.aside = reason;
    return new DeadLetterException("timer " + t.member + " cannot be handled: " + reason);
  }
}
