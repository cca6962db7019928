package io.github.redisext.triggers.internal;

import io.github.redisext.core.KeySpace;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * The master nodes of a client, each as a client of its own: keyspace events and SCAN are per
 * node. A standalone (or sentinel) client is its own single master. On a cluster, {@link
 * #refresh()} follows topology changes: new masters get a client, gone ones are closed.
 */
public final class Masters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Masters.class);

  private final UnifiedJedis client;
  private final boolean cluster;
  private final Map<String, UnifiedJedis> nodes = new LinkedHashMap<>();

  /** The masters of {@code client}. */
  public Masters(UnifiedJedis client) {
    this.client = client;
    this.cluster = KeySpace.isCluster(client);
    if (!cluster) {
      nodes.put("server", client);
    }
  }

  /**
   * Re-reads the masters (cluster only); returns the current ones by {@code host:port}. A node
   * that cannot be asked is left out until the next refresh.
   */
  public synchronized Map<String, UnifiedJedis> refresh() {
    if (!cluster) {
      return Map.copyOf(nodes);
    }
    Map<String, ConnectionPool> pools = ((RedisClusterClient) client).getClusterNodes();
    Map<String, UnifiedJedis> now = new LinkedHashMap<>();
    for (Map.Entry<String, ConnectionPool> e : pools.entrySet()) {
      UnifiedJedis node = nodes.get(e.getKey());
      if (node == null) {
        node = new UnifiedJedis(new PooledConnectionProvider(e.getValue().getFactory()), 1,
            Duration.ofSeconds(2));
      }
      boolean master = false;
      try {
        Object role = node.sendCommand(Protocol.Command.ROLE);
        master = role instanceof List<?> l && !l.isEmpty()
            && "master".equals(text(l.get(0)));
      } catch (RuntimeException ex) {
        log.debug("cannot ask {} for its role ({})", e.getKey(), ex.toString());
      }
      if (master) {
        now.put(e.getKey(), node);
      } else if (!nodes.containsKey(e.getKey())) {
        node.close();
      }
    }
    for (Map.Entry<String, UnifiedJedis> e : nodes.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        e.getValue().close();
      }
    }
    nodes.clear();
    nodes.putAll(now);
    return Map.copyOf(nodes);
  }

  /** The masters as last refreshed. */
  public synchronized Map<String, UnifiedJedis> current() {
    return Map.copyOf(nodes);
  }

  static String text(Object o) {
    return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : String.valueOf(o);
  }

  @Override
  public synchronized void close() {
    if (cluster) {
      nodes.values().forEach(UnifiedJedis::close);
    }
    nodes.clear();
  }
}
