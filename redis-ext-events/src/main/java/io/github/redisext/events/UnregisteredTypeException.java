package io.github.redisext.events;

import io.github.redisext.core.RedisExtException;

/** Thrown by {@link QueueManager#getEventQueue} for a type no process has registered. */
public class UnregisteredTypeException extends RedisExtException {
  private static final long serialVersionUID = 1L;
  private final String typeName;

  /** A type named {@code typeName} is not registered under {@code prefix}. */
  public UnregisteredTypeException(String typeName, String prefix) {
    super("event type '" + typeName + "' is not registered under prefix '" + prefix
        + "' (register it with QueueManager.register first)");
    this.typeName = typeName;
  }

  /** The event type's name. */
  public String typeName() {
    return typeName;
  }
}
