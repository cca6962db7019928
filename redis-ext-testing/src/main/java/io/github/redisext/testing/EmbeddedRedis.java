package io.github.redisext.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * A real Redis 6.2 that needs nothing installed: the {@code redis-server} binaries shipped inside
 * the {@code com.github.codemonstur:embedded-redis} jar (Linux amd64/arm64, macOS amd64/arm64),
 * extracted once per machine to the temp directory and run as an ordinary {@link
 * RedisServerProcess} on a free loopback port.
 *
 * <pre>{@code
 * if (EmbeddedRedis.isAvailable()) {
 *   try (RedisServerProcess server = EmbeddedRedis.start()) {
 *     UnifiedJedis redis = RedisClients.create(server.uri());
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class EmbeddedRedis {
  private static volatile Optional<Path> extracted;

  private EmbeddedRedis() {}

  /**
   * The jar resource holding the binary for this platform, or null when the jar has none (e.g.
   * Windows, or another CPU).
   */
  public static String resourceForThisPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64 ? "redis-server-6.2.6-v5-linux-amd64" : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.contains("mac")) {
      return x64 ? "redis-server-6.2.6-v5-darwin-amd64" : arm64 ? "redis-server-6.2.6-v5-darwin-arm64"
          : null;
    }
    return null;
  }

  /** Whether an embedded binary exists for this platform (and the jar is on the classpath). */
  public static boolean isAvailable() {
    return executable().isPresent();
  }

  /**
   * The extracted executable for this platform, extracting it on first use (atomically, so
   * concurrent JVMs share one copy); empty when the jar has no binary for this platform.
   */
  public static Optional<Path> executable() {
    Optional<Path> e = extracted;
    if (e == null) {
      synchronized (EmbeddedRedis.class) {
        e = extracted;
        if (e == null) {
          e = extract();
          extracted = e;
        }
      }
    }
    return e;
  }

  /**
   * Starts an embedded Redis on a free loopback port (persistence off) and waits until it answers.
   *
   * @param extraArgs more {@code redis-server} arguments
   * @throws IllegalStateException when this platform has no embedded binary
   */
  public static RedisServerProcess start(String... extraArgs) {
    Path exe = executable().orElseThrow(() -> new IllegalStateException(
        "the embedded-redis jar has no redis-server for " + System.getProperty("os.name") + "/"
            + System.getProperty("os.arch")));
    return RedisServerProcess.start(exe, extraArgs);
  }

  private static Optional<Path> extract() {
    String name = resourceForThisPlatform();
    if (name == null) {
      return Optional.empty();
    }
    try (InputStream in = EmbeddedRedis.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      Path dir = Path.of(System.getProperty("java.io.tmpdir"),
          "redis-ext-embedded-" + System.getProperty("user.name", "user"));
      Files.createDirectories(dir);
      Path target = dir.resolve(name + "-" + bytes.length);
      if (Files.isRegularFile(target) && Files.size(target) == bytes.length
          && Files.isExecutable(target)) {
        return Optional.of(target);
      }
      Path tmp = Files.createTempFile(dir, name, ".part");
      Files.write(tmp, bytes);
      if (!tmp.toFile().setExecutable(true, false)) {
        throw new IOException("cannot make " + tmp + " executable");
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the embedded redis-server " + name, e);
    }
  }
}
