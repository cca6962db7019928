package io.github.redisext.events.internal;

import io.github.redisext.core.support.Replies;
import io.github.redisext.events.DeliveryMode;
import io.github.redisext.events.SubscriberInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.UnifiedJedis;

/** Reads the durable subscriptions of a type from Redis (list.lua). */
public final class SubscriberList {
  private SubscriberList() {}

  /** Every durable subscription of the type, alive or dead. */
  public static List<SubscriberInfo> read(UnifiedJedis client, EventKeys keys) {
    List<Object> reply = Replies.toList(Scripts.LIST.eval(client,
        List.of(keys.registry(), keys.counter()), List.of(keys.statePrefix(), keys.deadPrefix())));
    long now = Replies.toLong(reply.get(0));
    long latest = Replies.toLong(reply.get(1));
    List<SubscriberInfo> out = new ArrayList<>();
    for (int i = 2; i < reply.size(); i++) {
      List<String> r = Replies.toStringList(reply.get(i));
      long aliveUntil = (long) Double.parseDouble(r.get(1));
      DeliveryMode mode = r.get(2).isEmpty() ? null
          : DeliveryMode.valueOf(r.get(2).toUpperCase(Locale.ROOT));
      out.add(new SubscriberInfo(r.get(0), mode, Long.parseLong(r.get(4)),
          Long.parseLong(r.get(3)), latest, Long.parseLong(r.get(5)), Long.parseLong(r.get(8)),
          Long.parseLong(r.get(7)), r.get(6), aliveUntil > now,
          Instant.ofEpochMilli(aliveUntil)));
    }
    return out;
  }
}
