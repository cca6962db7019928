package io.github.redisext.timers.internal;

import io.github.redisext.core.support.NamedThreads;
import java.util.concurrent.ThreadFactory;

/** The module's threads: all named {@code redis-ext-timers-N}, daemons. */
public final class Threads {
  /** Prefix of every thread name. */
  public static final String PREFIX = "redis-ext-timers";

  private static final ThreadFactory FACTORY = NamedThreads.factory(PREFIX, true);

  private Threads() {}

  /** The shared factory. */
  public static ThreadFactory factory() {
    return FACTORY;
  }
}
