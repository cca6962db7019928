package io.github.redisext.worker;

import io.github.redisext.core.RedisExtException;

/**
 * Thrown by {@link RedisWork#start()} when {@link WorkerOptions#stopOnFailure()} is on and a
 * handler failed: the worker stopped fetching, let the running handlers finish, gave unstarted
 * tasks back, and then threw this. The cause is the handler's exception. The failed task itself
 * followed the retry policy (retry later or dead letter), so it is not lost.
 */
public class TaskFailedException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  private final String queue;
  private final String taskId;
  private final int attempt;

  /**
   * An exception for a failed task.
   *
   * @param queue the queue's list key
   * @param taskId the task's id
   * @param attempt the delivery that failed (1 = first)
   * @param cause what the handler threw
   */
  public TaskFailedException(String queue, String taskId, int attempt, Throwable cause) {
    super("handler failed on task " + taskId + " of queue '" + queue + "' (attempt " + attempt
        + "): " + cause, cause);
    this.queue = queue;
    this.taskId = taskId;
    this.attempt = attempt;
  }

  /** The queue's list key. */
  public String queue() {
    return queue;
  }

  /** The failed task's id. */
  public String taskId() {
    return taskId;
  }

  /** The delivery that failed (1 = first). */
  public int attempt() {
    return attempt;
  }
}
