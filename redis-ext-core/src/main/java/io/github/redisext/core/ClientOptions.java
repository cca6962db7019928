package io.github.redisext.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.SslOptions;

/**
 * Connection settings for {@link RedisClients}. Immutable; build with {@link #builder()} or take
 * {@link #defaults()}. Options given in a URI's query override these.
 *
 * <pre>{@code
 * ClientOptions opts = ClientOptions.builder().poolSize(32).socketTimeout(Duration.ofSeconds(5)).build();
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379", opts);
 * }</pre>
 */
public final class ClientOptions {
  /** Default maximum connections in the pool (per node on a cluster). */
  public static final int DEFAULT_POOL_SIZE = 16;
  /**
   * Default longest wait for a free pooled connection. Jedis's own default is to wait forever,
   * which turns an exhausted pool (e.g. many subscriptions or blocking waits) into a hang.
   */
  public static final Duration DEFAULT_POOL_MAX_WAIT = Duration.ofSeconds(10);
  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Default read timeout of ordinary commands. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
  /**
   * Default read timeout while a blocking command (BLPOP, BZPOPMIN, SUBSCRIBE...) waits. Finite,
   * so a server that vanished without closing the socket is noticed; redis-ext's own blocking
   * calls always use shorter server-side timeouts than this.
   */
  public static final Duration DEFAULT_BLOCKING_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  /** The wire protocol version. */
  public enum Protocol {
    /**
     * RESP2 without a HELLO handshake (the default): works with every Redis version and with the
     * embedded jedis-mock server.
     */
    RESP2,
    /** RESP3, negotiated with HELLO 3 (Redis 6+). */
    RESP3
  }

  private final int poolSize;
  private final Duration poolMaxWait;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Duration blockingSocketTimeout;
  private final String clientName;
  private final Protocol protocol;
  private final SslOptions sslOptions;

  private ClientOptions(Builder b) {
    this.poolSize = b.poolSize;
    this.poolMaxWait = b.poolMaxWait;
    this.connectTimeout = b.connectTimeout;
    this.socketTimeout = b.socketTimeout;
    this.blockingSocketTimeout = b.blockingSocketTimeout;
    this.clientName = b.clientName;
    this.protocol = b.protocol;
    this.sslOptions = b.sslOptions;
  }

  /** The defaults: pool 16 (wait 10 s), connect 2 s, socket 2 s, blocking 30 s, RESP2. */
  public static ClientOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.poolSize = poolSize;
    b.poolMaxWait = poolMaxWait;
    b.connectTimeout = connectTimeout;
    b.socketTimeout = socketTimeout;
    b.blockingSocketTimeout = blockingSocketTimeout;
    b.clientName = clientName;
    b.protocol = protocol;
    b.sslOptions = sslOptions;
    return b;
  }

  /** Maximum connections in the pool. */
  public int poolSize() {
    return poolSize;
  }

  /** Longest wait for a free pooled connection before Jedis throws. */
  public Duration poolMaxWait() {
    return poolMaxWait;
  }

  /** Connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Read timeout of ordinary commands. */
  public Duration socketTimeout() {
    return socketTimeout;
  }

  /** Read timeout while a blocking command waits. */
  public Duration blockingSocketTimeout() {
    return blockingSocketTimeout;
  }

  /** The CLIENT SETNAME name, or null. */
  public String clientName() {
    return clientName;
  }

  /** The protocol version. */
  public Protocol protocol() {
    return protocol;
  }

  /** TLS settings (trust store, key store, verification) for rediss:// URIs, or null for the JVM defaults. */
  public SslOptions sslOptions() {
    return sslOptions;
  }

  /** These options with a URI's query options applied on top. */
  ClientOptions withUriOptions(String uri, Map<String, String> opts) {
    Builder b = toBuilder();
    opts.forEach((k, v) -> {
      try {
        switch (k) {
          case "timeout" -> b.socketTimeout(duration(v));
          case "connectTimeout" -> b.connectTimeout(duration(v));
          case "blockingTimeout" -> b.blockingSocketTimeout(duration(v));
          case "poolSize" -> b.poolSize(Integer.parseInt(v));
          case "clientName" -> b.clientName(v);
          case "protocol" -> b.protocol(Protocol.valueOf(v.toUpperCase(Locale.ROOT)));
          default -> { /* sentinel options are read by RedisClients */ }
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad value '" + v + "' for option '" + k + "' in Redis URI '"
            + RedisUri.mask(uri) + "': " + e.getMessage(), e);
      }
    });
    return b.build();
  }

  private static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
    }
    return Duration.ofMillis(Long.parseLong(s));
  }

  @Override
  public String toString() {
    return "ClientOptions{poolSize=" + poolSize + ", poolMaxWait=" + poolMaxWait + ", connectTimeout=" + connectTimeout
        + ", socketTimeout=" + socketTimeout + ", blockingSocketTimeout=" + blockingSocketTimeout
        + ", clientName=" + clientName + ", protocol=" + protocol
        + (sslOptions != null ? ", custom sslOptions" : "") + "}";
  }

  /** Builds {@link ClientOptions}; every setter rejects bad values at once. */
  public static final class Builder {
    private int poolSize = DEFAULT_POOL_SIZE;
    private Duration poolMaxWait = DEFAULT_POOL_MAX_WAIT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    private Duration blockingSocketTimeout = DEFAULT_BLOCKING_SOCKET_TIMEOUT;
    private String clientName;
    private Protocol protocol = Protocol.RESP2;
    private SslOptions sslOptions;

    private Builder() {}

    /** Maximum connections in the pool (per node on a cluster); at least 1. */
    public Builder poolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("poolSize must be >= 1, got " + size);
      }
      this.poolSize = size;
      return this;
    }

    /** Longest wait for a free pooled connection; positive. */
    public Builder poolMaxWait(Duration d) {
      this.poolMaxWait = positive("poolMaxWait", d);
      return this;
    }

    /** Connect timeout; positive. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("connectTimeout", d);
      return this;
    }

    /** Read timeout of ordinary commands; positive. */
    public Builder socketTimeout(Duration d) {
      this.socketTimeout = positive("socketTimeout", d);
      return this;
    }

    /** Read timeout while a blocking command waits; positive (never infinite). */
    public Builder blockingSocketTimeout(Duration d) {
      this.blockingSocketTimeout = positive("blockingSocketTimeout", d);
      return this;
    }

    /** CLIENT SETNAME name; null for none. */
    public Builder clientName(String name) {
      this.clientName = name;
      return this;
    }

    /** Protocol version. */
    public Builder protocol(Protocol p) {
      this.protocol = Objects.requireNonNull(p, "protocol");
      return this;
    }

    /** TLS settings for rediss:// URIs, e.g. {@code SslOptions.builder().truststore(file, pw).build()}. */
    public Builder sslOptions(SslOptions options) {
      this.sslOptions = options;
      return this;
    }

    /** The options. */
    public ClientOptions build() {
      return new ClientOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be positive and below 24 days, got " + d);
      }
      return d;
    }
  }
}
