package io.github.redisext.timers;

/**
 * What a consumer does with a due timer whose topic has no handler in its routers ({@link
 * TimersOptions.Builder#unknownTopics(UnknownTopicPolicy)}).
 *
 * <p>The choice matters when several kinds of consumers share one timeline, e.g. Java and Python
 * processes on {@code timers_timeline}, each serving only some topics (see the module README,
 * "Mixed Python/Java fleets").
 */
public enum UnknownTopicPolicy {
  /**
   * Claim it and move it at once to the dead timers ({@link Timers#deadLetters(int)}) with its raw
   * payload and the error "no handler for topic ...". The default: in a fleet where every consumer
   * serves every topic, a timer nobody can handle (a typo in a topic, a producer newer than the
   * consumers) is set aside visibly instead of waiting on the timeline forever.
   */
  DEAD_LETTER,
  /**
   * Leave it alone: the claim script skips timers of topics this consumer does not serve,
   * atomically (no lock is taken, its due time is not touched), so it stays on the timeline for a
   * consumer that serves its topic (e.g. a Python process). Use it for every Java consumer of a
   * timeline shared with consumers that serve other topics. A timer whose topic no consumer serves
   * then stays pending forever ({@link Timers#pendingTimers()} shows it).
   */
  LEAVE
}
