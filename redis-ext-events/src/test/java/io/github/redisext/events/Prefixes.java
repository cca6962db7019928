package io.github.redisext.events;

import io.github.redisext.testing.RedisBackend;
import java.util.UUID;

/** A fresh hash-tagged prefix per test, so tests re-run on a dirty Redis still pass. */
final class Prefixes {
  private Prefixes() {}

  static String fresh(RedisBackend redis) {
    return redis.key("{ev-" + UUID.randomUUID().toString().substring(0, 8) + "}");
  }

  static EventQueueOptions options(RedisBackend redis) {
    return EventQueueOptions.builder().prefix(fresh(redis)).build();
  }
}
