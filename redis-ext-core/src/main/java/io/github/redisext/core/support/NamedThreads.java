package io.github.redisext.core.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories naming threads {@code prefix-1}, {@code prefix-2}, ... */
public final class NamedThreads {
  private NamedThreads() {}

  /**
   * A factory for threads named {@code prefix-N}.
   *
   * @param prefix e.g. {@code "redis-ext-worker"}
   * @param daemon whether the threads are daemons
   */
  public static ThreadFactory factory(String prefix, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(daemon);
      return t;
    };
  }
}
