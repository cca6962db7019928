package io.github.redisext.worker.internal;

import io.github.redisext.core.KeySpace;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The fetcher's blocking wait for a task: BLMOVE from the queue head to the worker's claim list
 * (BRPOPLPUSH where the server has no BLMOVE, e.g. jedis-mock or Redis before 6.2, which takes the
 * tail instead). The claimed task stays in Redis, owned by the worker, until the next fetch takes
 * it, so the wait is crash-safe.
 *
 * <p>With a {@link RedisClient} or {@link RedisClusterClient} the wait runs on a connection taken
 * from the client's pool for the duration, and {@link #wakeUp()} cuts that connection so {@code
 * close()} does not wait for the timeout; with other clients the wait simply runs to its timeout.
 */
final class BlockingWait {
  private static final Logger log = LoggerFactory.getLogger(BlockingWait.class);

  private final UnifiedJedis client;
  private final String queue;
  private final String claim;
  private volatile boolean useBlmove = true;
  private volatile boolean woken;
  private volatile Connection current;

  BlockingWait(UnifiedJedis client, String queue, String claim) {
    this.client = client;
    this.queue = queue;
    this.claim = claim;
  }

  /** Blocks up to {@code millis} (at least 10 ms) or until a task was claimed or woken up. */
  void await(long millis) {
    if (woken) {
      return;
    }
    String timeout = String.format(Locale.ROOT, "%.3f", Math.max(10, millis) / 1000.0);
    Connection conn = dedicated();
    if (conn == null) {
      run(null, timeout);
      return;
    }
    current = conn;
    try {
      if (!woken) {
        run(conn, timeout);
      }
    } catch (JedisConnectionException e) {
      if (!woken) {
        throw e;
      }
    } finally {
      current = null;
      try {
        conn.close();
      } catch (RuntimeException e) {
        // a broken connection is dropped from the pool even when the pool then fails to open a
        // replacement (Redis down): nothing leaks, the next wait reports the outage
        log.debug("returning the wait connection of queue '{}' failed", queue, e);
      }
    }
  }

  /** Ends a wait in progress (and every later one) at once. */
  void wakeUp() {
    woken = true;
    Connection c = current;
    if (c != null) {
      try {
        c.disconnect();
      } catch (RuntimeException e) {
        log.debug("cutting the blocked connection of queue '{}' failed", queue, e);
      }
    }
  }

  private Connection dedicated() {
    if (client instanceof RedisClient rc) {
      return rc.getPool().getResource();
    }
    if (client instanceof RedisClusterClient cc) {
      return cc.getConnectionFromSlot(KeySpace.slot(queue));
    }
    return null;
  }

  private void run(Connection conn, String timeout) {
    if (useBlmove) {
      try {
        send(conn, Protocol.Command.BLMOVE, queue, claim, "LEFT", "RIGHT", timeout);
        return;
      } catch (JedisDataException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (!m.contains("unknown command") && !m.contains("unsupported")) {
          throw e;
        }
        useBlmove = false;
        log.info("queue '{}': the server has no BLMOVE ({}); waiting with BRPOPLPUSH instead",
            queue, e.getMessage());
      }
    }
    send(conn, Protocol.Command.BRPOPLPUSH, queue, claim, timeout);
  }

  private void send(Connection conn, Protocol.Command cmd, String... args) {
    CommandArguments a = new CommandArguments(cmd);
    a.key(args[0]).key(args[1]);
    for (int i = 2; i < args.length; i++) {
      a.add(args[i]);
    }
    CommandObject<Object> command = new CommandObject<>(a.blocking(), BuilderFactory.RAW_OBJECT);
    if (conn == null) {
      client.executeCommand(command);
    } else {
      conn.executeCommand(command);
    }
  }
}
