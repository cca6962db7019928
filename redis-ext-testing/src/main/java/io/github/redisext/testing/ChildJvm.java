package io.github.redisext.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a {@code main} class on the test classpath, for crash and multi-process
 * tests: wait for a line it prints, then {@link #kill()} it with SIGKILL, or wait for it to exit.
 * The child's stdout and stderr are merged and kept; the process is killed at JVM exit at the
 * latest.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(CrashingWorkerMain.class, redis.uri(), "queue")) {
 *   child.awaitLine(l -> l.startsWith("HANDLING"), Duration.ofSeconds(30));
 *   child.kill();
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process, String name) {
    this.process = process;
    this.reader = new Thread(this::pump, "child-jvm-" + name);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code mainClass} in a new JVM with the current classpath and the given arguments. */
  public static ChildJvm start(Class<?> mainClass, String... args) {
    return start(java.util.Map.of(), mainClass, args);
  }

  /**
   * Starts {@code mainClass} in a new JVM with the current classpath, the given arguments and
   * {@code env} added to (or, with a null value, removed from) this JVM's environment.
   */
  public static ChildJvm start(java.util.Map<String, String> env, Class<?> mainClass,
      String... args) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      env.forEach((k, v) -> {
        if (v == null) {
          pb.environment().remove(k);
        } else {
          pb.environment().put(k, v);
        }
      });
      Process p = pb.start();
      ProcessReaper.register(p);
      return new ChildJvm(p, mainClass.getSimpleName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start child JVM " + cmd, e);
    }
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process was killed: the stream closes
    }
  }

  /**
   * Waits until the child prints a line matching {@code p} and returns it.
   *
   * @throws IllegalStateException on timeout or when the child exits first, with its output
   */
  public String awaitLine(Predicate<String> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (p.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("child JVM did not print the expected line within "
              + timeout + "; output:\n" + String.join("\n", lines));
        }
        if (!process.isAlive() && !reader.isAlive() && seen == lines.size()) {
          throw new IllegalStateException("child JVM exited (" + process.exitValue()
              + ") before printing the expected line; output:\n" + String.join("\n", lines));
        }
        try {
          lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  /** Everything the child printed so far. */
  public List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Kills the child with SIGKILL (no shutdown hooks run) and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for the child to exit by itself and returns its exit code.
   *
   * @throws IllegalStateException if it is still running after {@code timeout} (it is then killed)
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException("child JVM still running after " + timeout
            + "; output:\n" + String.join("\n", output()));
      }
      reader.join(2000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
