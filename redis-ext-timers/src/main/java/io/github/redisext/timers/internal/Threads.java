package io.github.redisext.timers.internal;

import io.github.redisext.core.support.NamedThreads;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The module's threads: all named {@code redis-ext-timers-N}, daemons. */
public final class Threads {
  /** Prefix of every thread name. */
  public static final String PREFIX = "redis-ext-timers";

  private static final ThreadFactory FACTORY = NamedThreads.factory(PREFIX, true);
  private static final AtomicInteger NAMES = new AtomicInteger(100_000);

  private Threads() {}

  /** The shared factory. */
  public static ThreadFactory factory() {
    return FACTORY;
  }

  /** A fresh thread name (for threads started by core helpers that take a name). */
  public static String nextName() {
    return PREFIX + "-" + NAMES.incrementAndGet();
  }
}
