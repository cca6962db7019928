package io.github.redisext.triggers;

/**
 * Runs the work of one action's triggers. Called on a consumer thread; may block. An exception is
 * a failed attempt: retried after the retry backoff, then kept as a dead letter with its error
 * ({@link io.github.redisext.core.consumer.DeadLetterException}: dead-lettered at once).
 */
@FunctionalInterface
public interface TriggerHandler {
  /** Handles {@code trigger}. */
  void handle(Trigger trigger) throws Exception;
}
