package io.github.redisext.timers.internal;

import io.github.redisext.core.KeyNameException;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.Strings;
import io.github.redisext.timers.TimersOptions;
import java.util.List;
import java.util.zip.CRC32;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every key name of a {@code Timers} instance. Python-compatible layout: one shard, keys {@code
 * timers_timeline}, {@code timers_payloads}, {@code timers_payloads:attempts}, {@code
 * timers_payloads:dead}, locks {@code consume-lock--<timer key>}. Sharded layout: shard {@code i}
 * has {@code {name:i}:timeline}, {@code {name:i}:payloads}, {@code {name:i}:attempts}, {@code
 * {name:i}:dead} and locks {@code {name:i}:consume-lock--<timer key>}.
 */
public final class KeyLayout {
  private final boolean sharded;
  private final int shards;
  private final String[] timeline;
  private final String[] payloads;
  private final String[] attempts;
  private final String[] dead;
  private final String[] lockPrefix;
  private final String channel;
  private final String separator;

  private KeyLayout(TimersOptions o) {
    this.sharded = o.isSharded();
    this.shards = o.shards();
    this.separator = o.separator();
    timeline = new String[shards];
    payloads = new String[shards];
    attempts = new String[shards];
    dead = new String[shards];
    lockPrefix = new String[shards];
    if (!sharded) {
      timeline[0] = o.timelineKey();
      payloads[0] = o.payloadsKey();
      attempts[0] = o.payloadsKey() + ":attempts";
      dead[0] = o.payloadsKey() + ":dead";
      lockPrefix[0] = TimersOptions.LOCK_PREFIX + separator;
      channel = o.timelineKey() + ":wakeup";
    } else {
      for (int i = 0; i < shards; i++) {
        String tag = "{" + o.shardName() + ":" + i + "}";
        timeline[i] = tag + ":timeline";
        payloads[i] = tag + ":payloads";
        attempts[i] = tag + ":attempts";
        dead[i] = tag + ":dead";
        lockPrefix[i] = tag + ":" + TimersOptions.LOCK_PREFIX + separator;
      }
      channel = o.shardName() + ":wakeup";
    }
  }

  /** The layout the options describe. */
  public static KeyLayout of(TimersOptions o) {
    return new KeyLayout(o);
  }

  /**
   * Checks the layout fits the client: the Python-compatible layout cannot run on a cluster.
   *
   * @throws KeyNameException saying how to fix it
   */
  public KeyLayout requireUsable(UnifiedJedis client) {
    if (!sharded && KeySpace.isCluster(client)) {
      throw new KeyNameException("the Python-compatible timers layout ('" + timeline[0] + "', '"
          + payloads[0] + "', lock keys '" + lockPrefix[0] + "<topic>" + separator + "<id>') "
          + "cannot run on a Redis Cluster: a timer's lock key and the timeline fall into "
          + "different slots, so a timer cannot be claimed atomically; use "
          + "TimersOptions.builder().sharded(\"timers\", <shards>) there");
    }
    for (int i = 0; i < shards; i++) {
      KeySpace.requireSameSlot(client, "timers shard " + i, timeline[i], payloads[i],
          attempts[i], dead[i], lockPrefix[i] + "x");
    }
    return this;
  }

  /** Number of shards. */
  public int shards() {
    return shards;
  }

  /** Whether this is the sharded layout. */
  public boolean sharded() {
    return sharded;
  }

  /** Timeline ZSET of shard {@code s}. */
  public String timeline(int s) {
    return timeline[s];
  }

  /** Payloads HASH of shard {@code s}. */
  public String payloads(int s) {
    return payloads[s];
  }

  /** Failed-attempt counters (HASH) of shard {@code s}. */
  public String attempts(int s) {
    return attempts[s];
  }

  /** Dead timers (HASH timer key to record JSON) of shard {@code s}. */
  public String dead(int s) {
    return dead[s];
  }

  /** Lock key prefix of shard {@code s} (lock key = prefix + timer key). */
  public String lockPrefix(int s) {
    return lockPrefix[s];
  }

  /** Wake-up channel. */
  public String channel() {
    return channel;
  }

  /** Separator between topic and id. */
  public String separator() {
    return separator;
  }

  /** timeline, payloads, attempts of shard {@code s}. */
  public List<String> keys3(int s) {
    return List.of(timeline[s], payloads[s], attempts[s]);
  }

  /** timeline, payloads, attempts, dead of shard {@code s}. */
  public List<String> keys4(int s) {
    return List.of(timeline[s], payloads[s], attempts[s], dead[s]);
  }

  /** {@code topic + separator + id}. */
  public String timerKey(String topic, String timerId) {
    return topic + separator + timerId;
  }

  /** The topic of a timer key: the text before the first separator (the whole key if none). */
  public String topicOf(String timerKey) {
    int i = timerKey.indexOf(separator);
    return i < 0 ? timerKey : timerKey.substring(0, i);
  }

  /** The id of a timer key: the text after the first separator (empty if none). */
  public String idOf(String timerKey) {
    int i = timerKey.indexOf(separator);
    return i < 0 ? "" : timerKey.substring(i + separator.length());
  }

  /** The shard of a timer key: CRC32 of its UTF-8 bytes modulo the number of shards. */
  public int shardOf(String timerKey) {
    if (shards == 1) {
      return 0;
    }
    CRC32 crc = new CRC32();
    crc.update(Strings.utf8(timerKey));
    return (int) (crc.getValue() % shards);
  }
}
