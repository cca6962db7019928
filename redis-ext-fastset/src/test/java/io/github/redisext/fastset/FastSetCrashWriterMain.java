package io.github.redisext.fastset;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * A child process of {@link FastSetProcessesIT} that writes batches of 100 new members with
 * {@code addAll} as fast as it can until it is killed.
 *
 * <p>Arguments: redis URI, key.
 */
public final class FastSetCrashWriterMain {
  private FastSetCrashWriterMain() {}

  public static void main(String[] args) {
    try (UnifiedJedis client = RedisClients.create(args[0]);
        FastSet<String> set = FastSet.create(client, args[1], String.class,
            FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build())) {
      for (int batch = 0; ; batch++) {
        List<String> members = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
          members.add("b" + batch + "-" + i);
        }
        set.addAll(members);
        System.out.println("BATCH " + batch);
      }
    }
  }
}
