package io.github.redisext.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every registered child process when the JVM exits, so no {@code redis-server} or child JVM
 * is left behind even when tests fail or the run is interrupted.
 */
public final class ProcessReaper {
  private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "redis-ext-reaper"));
  }

  private ProcessReaper() {}

  /** Registers a process to kill at JVM exit. */
  public static void register(Process p) {
    PROCESSES.add(p);
  }

  /** Kills every registered process that still runs. */
  public static void killAll() {
    for (Process p : PROCESSES) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    PROCESSES.clear();
  }
}
