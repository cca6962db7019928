package io.github.redisext.uniqueid.internal;

import io.github.redisext.core.support.KeyTypes;
import io.github.redisext.uniqueid.InvalidIdException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Sequence ids from one counter key, reserved in blocks with INCRBY and handed out locally.
 *
 * <p>The fast path is lock-free: a volatile read of the current block and one atomic increment of
 * its cursor. Only the thread that finds the block used up takes the refill lock and makes the
 * round trip; threads arriving meanwhile wait on that lock and then retry on the new block.
 *
 * <p>Ordering: each block is reserved after the previous one, so its ids are larger; hence a call
 * that starts after another call returned (in the same process) gets a larger id. Ids of a block
 * that were not handed out are never used by anyone (gaps). Thread-safe.
 */
public final class BlockSequence {
  private static final Logger log = LoggerFactory.getLogger(BlockSequence.class);

  private final UnifiedJedis client;
  private final String klass;
  private final String key;
  private final int blockSize;
  private final Counters counters;
  private final Object refillLock = new Object();
  private volatile Block current = new Block(1, 0);

  /**
   * A sequence on {@code key}.
   *
   * @param blockSize ids reserved per round trip; 1 means one INCR per id and no local state
   */
  public BlockSequence(UnifiedJedis client, String klass, String key, int blockSize,
      Counters counters) {
    this.client = client;
    this.klass = klass;
    this.key = key;
    this.blockSize = blockSize;
    this.counters = counters;
  }

  /** The next id. */
  public long next() {
    if (blockSize == 1) {
      long v = reserve(1);
      counters.sequenceIds.increment();
      return v;
    }
    while (true) {
      Block b = current;
      long v = b.cursor.getAndIncrement();
      if (v <= b.last) {
        counters.sequenceIds.increment();
        return v;
      }
      synchronized (refillLock) {
        if (current == b) {
          long hi = reserve(blockSize);
          current = new Block(hi - blockSize + 1, hi);
          log.debug("sequence {}: reserved ids {}..{}", key, hi - blockSize + 1, hi);
        }
      }
    }
  }

  /**
   * {@code count} ids, ascending. Without blocks, or when {@code count} is at least a block, they
   * come from one INCRBY (contiguous); with blocks the rest of the current block is then
   * abandoned so later calls still get larger ids.
   */
  public long[] next(int count) {
    long[] out = new long[count];
    if (blockSize == 1 || count >= blockSize) {
      long first;
      if (blockSize == 1) {
        first = reserve(count) - count + 1;
      } else {
        synchronized (refillLock) {
          long hi = reserve((long) count + blockSize);
          first = hi - blockSize - count + 1;
          current = new Block(hi - blockSize + 1, hi);
        }
      }
      for (int i = 0; i < count; i++) {
        out[i] = first + i;
      }
      counters.sequenceIds.add(count);
      return out;
    }
    for (int i = 0; i < count; i++) {
      out[i] = next();
    }
    return out;
  }

  private long reserve(long n) {
    try {
      long hi = n == 1 ? client.incr(key) : client.incrBy(key, n);
      counters.sequenceRoundTrips.increment();
      return hi;
    } catch (JedisDataException e) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("WRONGTYPE")) {
        throw KeyTypes.translate(client, e, key, "string");
      }
      if (m.contains("not an integer") || m.contains("overflow")) {
        throw new InvalidIdException(klass, null, key, m);
      }
      throw e;
    }
  }

  private static final class Block {
    final AtomicLong cursor;
    final long last;

    Block(long first, long last) {
      this.cursor = new AtomicLong(first);
      this.last = last;
    }
  }
}
