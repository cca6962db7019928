package io.github.redisext.timers;

import io.github.redisext.core.RedisExtException;

/** A timer was set or removed for a topic that no included {@link Router} handles. */
public class UnknownTopicException extends RedisExtException {
  private static final long serialVersionUID = 1L;

  private final String topic;

  /**
   * An exception for {@code topic}.
   *
   * @param topic the unknown topic
   * @param known the topics that are handled
   */
  public UnknownTopicException(String topic, java.util.Collection<String> known) {
    super("Handler is not found for topic '" + topic + "'; topics with a handler: " + known);
    this.topic = topic;
  }

  /** The unknown topic. */
  public String topic() {
    return topic;
  }
}
