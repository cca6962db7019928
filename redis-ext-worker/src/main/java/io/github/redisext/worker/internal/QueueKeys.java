package io.github.redisext.worker.internal;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.KeySpace;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every key of one queue, derived from the name given by the user with core's one naming rule
 * ({@link KeySpace#forName}): a name carrying a hash tag ({@code "{emails}"}) is the list key as
 * given; an untagged name ({@code "emails"}) is the list key as given on a standalone or sentinel
 * server (the Python original's layout) and is tagged on a cluster ({@code "{emails}"}), so the
 * derived keys ({@code "{emails}:inflight:w1"}, ...) always share the list's slot.
 */
public final class QueueKeys {
  private final KeySpace space;
  private final String queue;

  private QueueKeys(KeySpace space) {
    this.space = space;
    this.queue = space.prefix();
  }

  /**
   * The keys of the queue named {@code name}.
   *
   * @throws KeyNameException if the name is null or blank, or has braces that form no hash tag
   */
  public static QueueKeys of(UnifiedJedis client, String name) {
    return new QueueKeys(KeySpace.forName(name, client));
  }

  /** The list producers push to. */
  public String queue() {
    return queue;
  }

  /** ZSET: worker id scored by lease deadline (ms, server clock). */
  public String workers() {
    return space.key("workers");
  }

  /** ZSET: task id scored by due time (retries, recovered tasks). */
  public String delayed() {
    return space.key("delayed");
  }

  /** HASH: task id → payload of the tasks in {@link #delayed()}. */
  public String parked() {
    return space.key("parked");
  }

  /** HASH: task id → deliveries made so far (absent while a task is on its first delivery). */
  public String attempts() {
    return space.key("attempts");
  }

  /** LIST of dead-letter JSON entries, oldest first. */
  public String dead() {
    return space.key("dead");
  }

  /** STRING: task id counter. */
  public String seq() {
    return space.key("seq");
  }

  /** HASH of one worker's in-flight tasks: id → payload. */
  public String inflight(String workerId) {
    return space.key("inflight", workerId);
  }

  /** LIST where one worker's blocking wait moves a task from the queue. */
  public String claim(String workerId) {
    return space.key("claim", workerId);
  }

  @Override
  public String toString() {
    return queue;
  }
}
