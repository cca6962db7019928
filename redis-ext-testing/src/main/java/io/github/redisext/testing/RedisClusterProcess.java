package io.github.redisext.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * A real Redis Cluster of three masters (no replicas) started as child processes on free loopback
 * ports. The 16384 slots are split evenly; {@link #start()} returns once every node reports
 * {@code cluster_state:ok} and sees all three masters.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private static final int SLOTS = 16384;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> nodes;

  private RedisClusterProcess(List<RedisServerProcess> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts a 3-master cluster and waits until it is ready. */
  public static RedisClusterProcess start() {
    return start(3);
  }

  /** Starts a cluster of {@code masters} masters and waits until it is ready. */
  public static RedisClusterProcess start(int masters) {
    List<RedisServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        int port = RedisServerProcess.FreePorts.find(true);
        nodes.add(RedisServerProcess.startOnPort(port, "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "5000",
            "--cluster-require-full-coverage", "yes"));
      }
      RedisClusterProcess cluster = new RedisClusterProcess(nodes);
      cluster.assignSlotsAndMeet();
      cluster.awaitReady();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    }
  }

  private void assignSlotsAndMeet() {
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      int from = i * SLOTS / n;
      int to = (i + 1) * SLOTS / n - 1;
      try (Jedis j = nodes.get(i).connect()) {
        String[] args = new String[to - from + 2];
        args[0] = "ADDSLOTS";
        for (int s = from; s <= to; s++) {
          args[s - from + 1] = Integer.toString(s);
        }
        j.sendCommand(Protocol.Command.CLUSTER, args);
      }
    }
    HostAndPort first = nodes.get(0).hostAndPort();
    for (int i = 1; i < n; i++) {
      try (Jedis j = nodes.get(i).connect()) {
        j.clusterMeet(first.getHost(), first.getPort());
      }
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (nodes.stream().allMatch(this::nodeReady)) {
        return;
      }
      RedisServerProcess.pause(50);
    }
    throw new IllegalStateException("cluster not ready within " + READY_TIMEOUT + " on "
        + nodes());
  }

  private boolean nodeReady(RedisServerProcess node) {
    try (Jedis j = node.connect()) {
      String info = j.clusterInfo();
      return info.contains("cluster_state:ok")
          && info.contains("cluster_known_nodes:" + nodes.size())
          && info.contains("cluster_slots_ok:" + SLOTS);
    } catch (Exception e) {
      return false;
    }
  }

  /** The masters' addresses (any of them is a valid seed). */
  public Set<HostAndPort> nodes() {
    Set<HostAndPort> out = new LinkedHashSet<>();
    nodes.forEach(n -> out.add(n.hostAndPort()));
    return out;
  }

  /** The server processes, one per master. */
  public List<RedisServerProcess> servers() {
    return nodes;
  }

  /** A {@code redis-cluster://} seed-list URI of this cluster. */
  public String uri() {
    StringBuilder sb = new StringBuilder("redis-cluster://");
    for (RedisServerProcess n : nodes) {
      if (sb.charAt(sb.length() - 1) != '/') {
        sb.append(',');
      }
      sb.append(RedisServerProcess.HOST).append(':').append(n.port());
    }
    return sb.toString();
  }

  /** Stops every node. */
  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }
}
