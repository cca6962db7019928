package io.github.redisext.testing;

import com.github.fppt.jedismock.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The JVM-wide test servers: started lazily on first use, shared by every test class, stopped at
 * JVM exit (shutdown hook), so a failing test never leaves a server behind.
 */
public final class Backends {
  private static final Logger log = LoggerFactory.getLogger(Backends.class);
  private static final Map<BackendKind, Shared> STARTED = new EnumMap<>(BackendKind.class);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Backends::stopAll, "redis-ext-backends-stop"));
  }

  private Backends() {}

  /** The backends {@link RedisBackends} runs a class on by default (every one but EXTERNAL). */
  public static final java.util.List<BackendKind> DEFAULT_KINDS = java.util.List.of(
      BackendKind.MOCK, BackendKind.EMBEDDED, BackendKind.STANDALONE, BackendKind.CLUSTER);

  /**
   * Whether {@code kind} can run here: jedis-mock always, EMBEDDED where the jar has a binary for
   * the platform, STANDALONE and CLUSTER with {@code redis-server} on the PATH, EXTERNAL with
   * {@code REDIS_URL} set.
   */
  public static boolean isAvailable(BackendKind kind) {
    return switch (kind) {
      case MOCK -> true;
      case EMBEDDED -> EmbeddedRedis.isAvailable();
      case STANDALONE, CLUSTER -> RedisServerProcess.isAvailable();
      case EXTERNAL -> externalUrl() != null;
    };
  }

  /** Whether tests run under CI ({@code CI=true}), where a missing redis-server is a failure. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The shared backend of this kind, starting it on first use. */
  public static synchronized RedisBackend get(BackendKind kind) {
    return STARTED.computeIfAbsent(kind, Backends::startShared);
  }

  private static Shared startShared(BackendKind kind) {
    long t0 = System.nanoTime();
    Shared s = switch (kind) {
      case MOCK -> startMock();
      case EMBEDDED -> {
        RedisServerProcess p = EmbeddedRedis.start();
        yield new Shared(kind, p.uri(), Set.of(p.hostAndPort()), null, p::close);
      }
      case STANDALONE -> {
        RedisServerProcess p = RedisServerProcess.start();
        yield new Shared(kind, p.uri(), Set.of(p.hostAndPort()), null, p::close);
      }
      case CLUSTER -> {
        RedisClusterProcess c = RedisClusterProcess.start();
        yield new Shared(kind, c.uri(), c.nodes(), null, c::close);
      }
      case EXTERNAL -> {
        String url = externalUrl();
        if (url == null) {
          throw new IllegalStateException("REDIS_URL is not set: no EXTERNAL backend");
        }
        URI u = URI.create(url);
        yield new Shared(kind, url, Set.of(JedisURIHelper.getHostAndPort(u)), null, () -> { });
      }
    };
    log.info("started {} backend at {} in {} ms", kind, s.uri, (System.nanoTime() - t0) / 1_000_000);
    return s;
  }

  private static Shared startMock() {
    MutableClock clock = new MutableClock();
    try {
      RedisServer server = RedisServer.newRedisServer(0, InetAddress.getByName(RedisServerProcess.HOST))
          .setClock(clock).start();
      HostAndPort hp = new HostAndPort(server.getHost(), server.getBindPort());
      return new Shared(BackendKind.MOCK, "redis://" + hp.getHost() + ":" + hp.getPort(), Set.of(hp),
          clock, () -> {
            try {
              server.stop();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded jedis-mock server", e);
    }
  }

  /**
   * A client config for tests: the mock gets RESP2 without HELLO (jedis-mock cannot parse Jedis
   * 8's HELLO negotiation); real servers get Jedis's default (RESP3), so both protocols are
   * exercised by the suites.
   */
  public static JedisClientConfig clientConfig(BackendKind kind) {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(5000).socketTimeoutMillis(15000).blockingSocketTimeoutMillis(60000);
    if (kind == BackendKind.MOCK) {
      b.serverDefaultProtocol().autoNegotiateProtocol(false);
    }
    return b.build();
  }

  /**
   * The {@code REDIS_URL} of the {@link BackendKind#EXTERNAL} backend, or null when unset or blank.
   */
  public static String externalUrl() {
    String url = System.getenv("REDIS_URL");
    return url == null || url.isBlank() ? null : url.strip();
  }

  /** Starts a new test on {@code backend}: on EXTERNAL a fresh key prefix. */
  static void newTest(RedisBackend backend) {
    if (backend instanceof Shared s && s.kind == BackendKind.EXTERNAL) {
      s.prefix = "rxt-" + java.util.UUID.randomUUID().toString().substring(0, 12) + ":";
    }
  }

  private static UnifiedJedis externalClient() {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setJmxEnabled(false);
    pool.setMaxWait(java.time.Duration.ofSeconds(30));
    return RedisClient.builder().fromURI(externalUrl()).poolConfig(pool).build();
  }

  /** A new client for {@code backend}; the caller closes it. */
  public static UnifiedJedis newClient(BackendKind kind, Set<HostAndPort> nodes) {
    if (kind == BackendKind.EXTERNAL) {
      return externalClient();
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setJmxEnabled(false);
    pool.setMaxWait(java.time.Duration.ofSeconds(30)); // an exhausted pool fails a test, never hangs it
    if (kind == BackendKind.CLUSTER) {
      return RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig(kind))
          .poolConfig(pool).build();
    }
    return RedisClient.builder().hostAndPort(nodes.iterator().next()).clientConfig(clientConfig(kind))
        .poolConfig(pool).build();
  }

  /** Stops every shared server (also run at JVM exit). */
  public static synchronized void stopAll() {
    for (Shared s : STARTED.values()) {
      try {
        s.shutdown();
      } catch (RuntimeException e) {
        log.warn("stopping {} backend failed", s.kind, e);
      }
    }
    STARTED.clear();
  }

  private static final class Shared implements RedisBackend {
    private final BackendKind kind;
    private final String uri;
    private final Set<HostAndPort> nodes;
    private final MutableClock clock;
    private final Runnable stop;
    private UnifiedJedis client;
    /** EXTERNAL only: the current test's key prefix. */
    private volatile String prefix = "";

    Shared(BackendKind kind, String uri, Set<HostAndPort> nodes, MutableClock clock, Runnable stop) {
      this.kind = kind;
      this.uri = uri;
      this.nodes = Set.copyOf(nodes);
      this.clock = clock;
      this.stop = stop;
    }

    @Override
    public BackendKind kind() {
      return kind;
    }

    @Override
    public String uri() {
      return uri;
    }

    @Override
    public Set<HostAndPort> nodes() {
      return nodes;
    }

    @Override
    public synchronized UnifiedJedis client() {
      if (client == null) {
        client = newClient();
      }
      return client;
    }

    @Override
    public UnifiedJedis newClient() {
      return Backends.newClient(kind, nodes);
    }

    @Override
    public Optional<MutableClock> clock() {
      return Optional.ofNullable(clock);
    }

    @Override
    public String keyPrefix() {
      return prefix;
    }

    @Override
    public void flushAll() {
      if (kind == BackendKind.EXTERNAL) {
        deletePrefixed();
        return;
      }
      for (HostAndPort hp : nodes) {
        try (Jedis j = new Jedis(hp, clientConfig(BackendKind.MOCK))) { // plain Jedis: RESP2
          j.flushAll();
        }
      }
    }

    /** Deletes the keys under the current test's prefix (SCAN, never FLUSHALL). */
    private void deletePrefixed() {
      String p = prefix;
      if (p.isEmpty()) {
        return;
      }
      UnifiedJedis c = client();
      redis.clients.jedis.params.ScanParams match =
          new redis.clients.jedis.params.ScanParams().match(escapeGlob(p) + "*").count(1000);
      String cursor = redis.clients.jedis.params.ScanParams.SCAN_POINTER_START;
      do {
        var page = c.scan(cursor, match);
        if (!page.getResult().isEmpty()) {
          for (String k : page.getResult()) {
            c.del(k);
          }
        }
        cursor = page.getCursor();
      } while (!"0".equals(cursor));
    }

    private static String escapeGlob(String s) {
      return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    synchronized void shutdown() {
      if (client != null) {
        client.close();
        client = null;
      }
      stop.run();
    }

    @Override
    public String toString() {
      return kind + " " + uri;
    }
  }
}
