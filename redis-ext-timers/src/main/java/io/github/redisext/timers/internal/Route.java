package io.github.redisext.timers.internal;

import io.github.redisext.core.Codec;

/**
 * One registered handler: topic, payload type and codec, and the handler itself.
 *
 * @param <P> payload type
 * @param <C> context type
 */
public record Route<P, C>(String topic, Class<P> type, Codec<P> codec, Handler<P, C> handler) {
  /** The handler, as the engine calls it. */
  @FunctionalInterface
  public interface Handler<P, C> {
    /** Handles one payload. */
    void handle(P payload, C context) throws Exception;
  }
}
