package io.github.redisext.core;

import java.util.LinkedHashSet;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;

/**
 * Creates a Jedis {@link UnifiedJedis} from a URI (see {@link RedisUri} for the forms): a pooled
 * {@code RedisClient}, a {@code RedisClusterClient} or a {@code RedisSentinelClient}. Every
 * redis-ext primitive takes such a client; you may equally pass one you built yourself.
 *
 * <pre>{@code
 * try (UnifiedJedis redis = RedisClients.create("redis://:secret@localhost:6379/0")) {
 *   ...
 * }
 * UnifiedJedis cluster = RedisClients.create("redis-cluster://10.0.0.1:7000,10.0.0.2:7000");
 * }</pre>
 *
 * <p>What it sets that plain Jedis does not: a finite blocking-socket timeout (so a blocking
 * command never waits forever on a dead peer) and RESP2 without a HELLO handshake unless RESP3 is
 * asked for (Jedis 8 negotiates RESP3 by default).
 */
public final class RedisClients {
  private RedisClients() {}

  /**
   * A client for the URI with default options.
   *
   * @throws IllegalArgumentException if the URI is malformed (the message names the wrong part)
   */
  public static UnifiedJedis create(String uri) {
    return create(uri, ClientOptions.defaults());
  }

  /**
   * A client for the URI; options in the URI's query override {@code options}.
   *
   * @throws IllegalArgumentException if the URI is malformed (the message names the wrong part)
   */
  public static UnifiedJedis create(String uri, ClientOptions options) {
    RedisUri u = RedisUri.parse(uri);
    ClientOptions o = options.withUriOptions(uri, u.options());
    JedisClientConfig config = clientConfig(u, o);
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(o.poolSize());
    pool.setMaxIdle(o.poolSize());
    pool.setMinIdle(0);
    pool.setMaxWait(o.poolMaxWait());
    pool.setJmxEnabled(false);
    return switch (u.kind()) {
      case STANDALONE -> RedisClient.builder().hostAndPort(u.nodes().get(0)).clientConfig(config)
          .poolConfig(pool).build();
      case CLUSTER -> RedisClusterClient.builder().nodes(new LinkedHashSet<>(u.nodes()))
          .clientConfig(config).poolConfig(pool).build();
      case SENTINEL -> RedisSentinelClient.builder().masterName(u.masterName())
          .sentinels(new LinkedHashSet<>(u.nodes())).clientConfig(config)
          .sentinelClientConfig(sentinelConfig(u, o)).poolConfig(pool).build();
    };
  }

  /** The Jedis client config a URI and options give (for the data nodes). */
  public static JedisClientConfig clientConfig(RedisUri u, ClientOptions o) {
    DefaultJedisClientConfig.Builder b = base(o, u.ssl());
    if (u.password() != null) {
      b.user(u.user()).password(u.password());
    }
    if (u.database() != 0) {
      b.database(u.database());
    }
    if (o.clientName() != null) {
      b.clientName(o.clientName());
    }
    return b.build();
  }

  private static JedisClientConfig sentinelConfig(RedisUri u, ClientOptions o) {
    DefaultJedisClientConfig.Builder b = base(o, u.ssl());
    String pw = u.options().get("sentinelPassword");
    if (pw != null) {
      b.user(u.options().get("sentinelUser")).password(pw);
    }
    return b.build();
  }

  private static DefaultJedisClientConfig.Builder base(ClientOptions o, boolean ssl) {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) o.connectTimeout().toMillis())
        .socketTimeoutMillis((int) o.socketTimeout().toMillis())
        .blockingSocketTimeoutMillis((int) o.blockingSocketTimeout().toMillis());
    if (ssl) {
      b.sslOptions(o.sslOptions() != null ? o.sslOptions() : SslOptions.defaults());
    }
    if (o.protocol() == ClientOptions.Protocol.RESP3) {
      b.resp3();
    } else {
      b.serverDefaultProtocol().autoNegotiateProtocol(false);
    }
    return b;
  }
}
