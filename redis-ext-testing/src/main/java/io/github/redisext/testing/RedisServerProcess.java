package io.github.redisext.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} child process bound to 127.0.0.1 on a free port, with persistence
 * off ({@code --save "" --appendonly no}). It can be stopped, killed and restarted on the same
 * port, which fault tests use to simulate a Redis restart under a running primitive.
 *
 * <p>Every started process is registered with {@link ProcessReaper}, so it is killed at JVM exit
 * even when a test fails.
 */
public final class RedisServerProcess implements AutoCloseable {
  /** Host every test server binds to. */
  public static final String HOST = "127.0.0.1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final int port;
  private final String executable;
  private final Path dir;
  private final List<String> extraArgs;
  private volatile Process process;

  private RedisServerProcess(String executable, int port, Path dir, List<String> extraArgs) {
    this.executable = executable;
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Whether a {@code redis-server} executable is on the PATH. */
  public static boolean isAvailable() {
    return executable() != null;
  }

  /**
   * The guard for a test that starts its own {@code redis-server}: skips it with the reason shown
   * when none is on the PATH, and fails it instead under {@code CI=true} (where CI must not pass
   * by skipping).
   */
  public static void assumeAvailable() {
    if (isAvailable()) {
      return;
    }
    if (Backends.underCi()) {
      throw new IllegalStateException("CI=true but redis-server is not on the PATH (.ci/run "
          + "installs it with apt-get)");
    }
    org.junit.jupiter.api.Assumptions.abort("SKIPPED: redis-server is not on the PATH");
  }

  /** The {@code redis-server} executable found on the PATH, or null. */
  static String executable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /**
   * Starts a server on a free port and waits until it answers PING.
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--cluster-enabled", "yes"}
   */
  public static RedisServerProcess start(String... extraArgs) {
    return startOnPort(FreePorts.find(false), extraArgs);
  }

  /**
   * Starts the server binary {@code executable} (e.g. {@link EmbeddedRedis#executable()}) on a
   * free port and waits until it answers PING.
   */
  public static RedisServerProcess start(Path executable, String... extraArgs) {
    return startOnPort(executable.toString(), FreePorts.find(false), extraArgs);
  }

  static RedisServerProcess startOnPort(int port, String... extraArgs) {
    String exe = executable();
    if (exe == null) {
      throw new IllegalStateException("redis-server is not on the PATH");
    }
    return startOnPort(exe, port, extraArgs);
  }

  private static RedisServerProcess startOnPort(String exe, int port, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("redis-ext-" + port + "-");
      dir.toFile().deleteOnExit();
      dir.resolve("redis.log").toFile().deleteOnExit(); // runs before the dir's (reverse order)
      RedisServerProcess p = new RedisServerProcess(exe, port, dir, Arrays.asList(extraArgs));
      p.launch();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    List<String> cmd = new ArrayList<>(List.of(executable, "--port", Integer.toString(port), "--bind", HOST,
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
        "--protected-mode", "no"));
    cmd.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    ProcessReaper.register(process);
    awaitPing();
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: " + log());
      }
      try (Jedis j = connect()) {
        if ("PONG".equals(j.ping())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      pause(20);
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING in "
        + START_TIMEOUT + ": " + log(), last);
  }

  /** A fresh single connection to this server (RESP2, no client-side negotiation). */
  public Jedis connect() {
    return new Jedis(hostAndPort(), DefaultJedisClientConfig.builder()
        .serverDefaultProtocol().autoNegotiateProtocol(false)
        .connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build());
  }

  /** The server's log so far (for failure messages). */
  public String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The port it listens on; it stays the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Host and port of this server. */
  public HostAndPort hostAndPort() {
    return new HostAndPort(HOST, port);
  }

  /** A {@code redis://} URI of this server. */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /** Whether the process is running. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Kills the process with SIGKILL (data is lost: persistence is off) and waits for it to exit. */
  public void kill() {
    Process p = process;
    if (p != null) {
      if (p.isAlive()) {
        try {
          resume(); // a suspended process would not die until continued
        } catch (RuntimeException e) {
          // best effort: SIGKILL below works on a stopped process on Linux anyway
        }
      }
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Freezes the server with SIGSTOP: connections stay open and nothing is answered until {@link
   * #resume()} (a stalled Redis, as under a long fork or swap).
   */
  public void suspend() {
    signal("-STOP");
  }

  /** Lets a {@link #suspend() suspended} server run again (SIGCONT). */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String sig) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("redis-server is not running");
    }
    try {
      int rc = new ProcessBuilder("kill", sig, Long.toString(p.pid())).inheritIO().start()
          .waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill " + sig + " " + p.pid() + " exited with " + rc);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling redis-server", e);
    }
  }

  /** Starts the server again on the same port (after {@link #kill()}); waits until it answers. */
  public void restart() {
    kill();
    launch();
  }

  /** Stops the server (SIGKILL; nothing is persisted anyway) and deletes its directory. */
  @Override
  public void close() {
    kill();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: the directory is in the temp dir and also registered for deletion at exit
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Free loopback ports. */
  static final class FreePorts {
    private FreePorts() {}

    /**
     * A port free now; with {@code clusterBus} also {@code port + 10000} is free (Redis Cluster's
     * bus port).
     */
    static synchronized int find(boolean clusterBus) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = probe(0);
        if (port <= 0 || port > 55000) {
          continue;
        }
        if (!clusterBus || probe(port + 10000) > 0) {
          return port;
        }
      }
      throw new IllegalStateException("no free port found");
    }

    private static int probe(int port) {
      try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName(HOST))) {
        s.setReuseAddress(true);
        return s.getLocalPort();
      } catch (IOException e) {
        return -1;
      }
    }
  }
}
