package io.github.redisext.worker.internal;

import io.github.redisext.core.KeySpace;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The claim's blocking wait for a task while the queue is empty: BLMOVE from the queue head to
 * the worker's claim list (BRPOPLPUSH where the server has no BLMOVE, e.g. jedis-mock or Redis
 * before 6.2, which takes the tail instead). The claimed task stays in Redis, owned by the worker, until the fetch that
 * follows at once takes it, so the wait is crash-safe.
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
  private final AtomicBoolean woken = new AtomicBoolean();
  private volatile Connection current;

  BlockingWait(UnifiedJedis client, String queue, String claim) {
    this.client = client;
    this.queue = queue;
    this.claim = claim;
  }

  /**
   * Blocks up to {@code millis} (at least 10 ms) or until a task was claimed or the wait was
   * woken up.
   *
   * @return true if a task was moved to the claim list
   */
  boolean await(long millis) {
    String timeout = String.format(Locale.ROOT, "%.3f", Math.max(10, millis) / 1000.0);
    Connection conn = dedicated();
    if (conn == null) {
      return !woken.getAndSet(false) && run(null, timeout);
    }
    current = conn; // set before woken is read: a wakeUp() after that read cuts this connection
    try {
      return !woken.getAndSet(false) && run(conn, timeout);
    } catch (JedisConnectionException e) {
      if (woken.getAndSet(false)) {
        return false;
      }
      throw e;
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

  /**
   * Ends the wait in progress at once, or the next one if none is in progress (a wake-up is not
   * lost between two waits).
   */
  void wakeUp() {
    woken.set(true);
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

  private boolean run(Connection conn, String timeout) {
    if (useBlmove) {
      try {
        return send(conn, Protocol.Command.BLMOVE, queue, claim, "LEFT", "RIGHT", timeout);
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
    return send(conn, Protocol.Command.BRPOPLPUSH, queue, claim, timeout);
  }

  /** Sends a blocking move; true if it moved a task (its reply, the task, is not read). */
  private boolean send(Connection conn, Protocol.Command cmd, String... args) {
    CommandArguments a = new CommandArguments(cmd);
    a.key(args[0]).key(args[1]);
    for (int i = 2; i < args.length; i++) {
      a.add(args[i]);
    }
    CommandObject<Object> command = new CommandObject<>(a.blocking(), BuilderFactory.RAW_OBJECT);
    Object moved = conn == null ? client.executeCommand(command) : conn.executeCommand(command);
    return moved != null;
  }
}
