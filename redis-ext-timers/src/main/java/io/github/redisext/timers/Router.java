package io.github.redisext.timers;

import io.github.redisext.core.Codec;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.support.Args;
import io.github.redisext.timers.internal.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers timer handlers by topic, each with the payload type its JSON is decoded into. A
 * {@link Timers} includes one or more routers.
 *
 * <pre>{@code
 * record Reminder(String userId, String text) {}
 *
 * Router<AppContext> router = new Router<AppContext>()
 *     .handler("send_reminder", Reminder.class, (reminder, ctx) -> ctx.mailer().send(reminder));
 * }</pre>
 *
 * <p>Payloads are written as compact JSON with the fields in declaration order (what pydantic's
 * {@code model_dump_json()} writes for the same model). Not thread-safe while handlers are being
 * registered; register them all before building the {@link Timers}.
 *
 * @param <C> the user context type passed to every handler
 */
public final class Router<C> {
  private final Map<String, Route<?, C>> routes = new LinkedHashMap<>();

  /** An empty router. */
  public Router() {}

  /**
   * Registers {@code handler} for {@code topic}, decoding payloads as {@code type} with a compact
   * {@link JsonCodec}.
   *
   * @return this router
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the topic is blank or already registered here
   */
  public <P> Router<C> handler(String topic, Class<P> type,
      TimerHandler<? super P, ? super C> handler) {
    return handler(topic, type, JsonCodec.of(Args.notNull(type, "type")), handler);
  }

  /**
   * Registers {@code handler} for {@code topic} with a codec of your own (e.g. a {@link JsonCodec}
   * with custom Gson adapters).
   *
   * @return this router
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the topic is blank or already registered here
   */
  public <P> Router<C> handler(String topic, Class<P> type, Codec<P> codec,
      TimerHandler<? super P, ? super C> handler) {
    Args.notBlank(topic, "topic");
    Args.notNull(type, "type");
    Args.notNull(codec, "codec");
    Args.notNull(handler, "handler");
    if (routes.containsKey(topic)) {
      throw new IllegalArgumentException("topic '" + topic + "' already has a handler in this "
          + "router");
    }
    routes.put(topic, new Route<P, C>(topic, type, codec, handler::handle));
    return this;
  }

  /** The topics registered, in registration order. */
  public java.util.Set<String> topics() {
    return Collections.unmodifiableSet(routes.keySet());
  }

  Map<String, Route<?, C>> routes() {
    return Collections.unmodifiableMap(routes);
  }

  @Override
  public String toString() {
    return "Router" + routes.keySet();
  }
}
