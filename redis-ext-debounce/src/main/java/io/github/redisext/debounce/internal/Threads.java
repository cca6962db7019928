package io.github.redisext.debounce.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names every thread of the module {@code redis-ext-debounce-N}, N unique in the JVM. */
public final class Threads {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Threads() {}

  /** The next thread name. */
  public static String nextName() {
    return "redis-ext-debounce-" + COUNTER.incrementAndGet();
  }

  /** A factory of daemon threads with module names. */
  public static ThreadFactory daemonFactory() {
    return r -> {
      Thread t = new Thread(r, nextName());
      t.setDaemon(true);
      return t;
    };
  }
}
