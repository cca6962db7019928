package io.github.redisext.debounce.internal;

import io.github.redisext.core.KeySpace;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every key of one DebounceTask, derived from the user's key by core's naming rule ({@link
 * KeySpace#forName}: used verbatim, as the Python library does, except that an untagged key is
 * tagged on a cluster): {@code key} itself and {@code key:first}, {@code key:processing},
 * {@code key:leases}, {@code key:attempts}, {@code key:dead}, {@code key:dead-info}, and the pub/sub
 * channel {@code key:wake}.
 *
 * @param tasks the tasks ZSET (the Python-compatible key)
 * @param first first-add times (maximum wait of the debounce policy)
 * @param processing claimed tasks, scored by lease deadline
 * @param leases claimed task -> owner token
 * @param attempts member -> failed deliveries so far (handler threw or lease ran out)
 * @param dead dead-lettered member -> error
 * @param deadInfo dead-lettered member -> "attempts epochSeconds"
 * @param wakeChannel the pub/sub channel of wake-ups
 */
public record Keys(String tasks, String first, String processing, String leases,
    String attempts, String dead, String deadInfo, String wakeChannel) {

  /**
   * The keys for {@code key}.
   *
   * @throws io.github.redisext.core.KeyNameException if the key is blank or has braces that form
   *     no hash tag
   */
  public static Keys of(UnifiedJedis client, String key) {
    KeySpace ks = KeySpace.forName(key, client).requireSingleSlot(client);
    Keys k = new Keys(ks.prefix(), ks.key("first"), ks.key("processing"), ks.key("leases"),
        ks.key("attempts"), ks.key("dead"), ks.key("dead-info"), ks.key("wake"));
    KeySpace.requireSameSlot(client, "debounce task '" + k.tasks + "'", k.tasks, k.first,
        k.processing, k.leases, k.attempts, k.dead, k.deadInfo);
    return k;
  }

  /**
   * The whole family, in the order every script takes as KEYS (family_lib.lua): tasks, first,
   * processing, leases, attempts, dead, deadInfo.
   */
  public List<String> all() {
    return List.of(tasks, first, processing, leases, attempts, dead, deadInfo);
  }
}
