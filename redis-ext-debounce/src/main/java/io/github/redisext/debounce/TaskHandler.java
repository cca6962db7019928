package io.github.redisext.debounce;

/**
 * Handles one task delivered by {@link DebounceTask#consume(TaskHandler)}. Called on a consumer
 * pool thread; may block. Until it returns the task stays recoverable: if the process dies, the
 * task is delivered again once its lease runs out.
 *
 * @param <T> the task type
 */
@FunctionalInterface
public interface TaskHandler<T> {
  /**
   * Handles a task. Returning acknowledges it; throwing counts a failed attempt and puts it back,
   * due after {@code retryInitial} (doubling with each failure, capped by
   * {@code retryMax}, jittered unless {@code retryJitter} is
   * off), or, at the {@code maxAttempts}-th failure, moves it to the dead
   * letters with the exception's class and message. Throwing {@link
   * io.github.redisext.core.consumer.DeadLetterException} moves it there at once.
   *
   * @throws Exception any failure (logged at WARN with the key and task)
   */
  void handle(T task) throws Exception;
}
