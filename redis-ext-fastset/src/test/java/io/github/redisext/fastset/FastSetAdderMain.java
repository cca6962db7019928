package io.github.redisext.fastset;

import static org.awaitility.Awaitility.await;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * A child process of {@link FastSetProcessesIT}: opens the set, waits for the start signal, adds
 * {@code count} members of its own one by one, then waits until its cache holds {@code total}
 * members and prints what it sees.
 *
 * <p>Arguments: redis URI, key, process id, count, total.
 */
public final class FastSetAdderMain {
  private FastSetAdderMain() {}

  public static void main(String[] args) {
    String uri = args[0];
    String key = args[1];
    String id = args[2];
    int count = Integer.parseInt(args[3]);
    int total = Integer.parseInt(args[4]);
    try (UnifiedJedis client = RedisClients.create(uri);
        FastSet<String> set = FastSet.create(client, key, String.class,
            FastSetOptions.builder().refreshInterval(Duration.ofHours(1)).build())) {
      System.out.println("READY " + id);
      if (client.blpop(60, key + ":go") == null) {
        System.out.println("NO-START " + id);
        return;
      }
      for (int i = 0; i < count; i++) {
        if (!set.add("p" + id + "-" + i)) {
          System.out.println("NOT-ADDED " + id + " p" + id + "-" + i);
        }
      }
      System.out.println("ADDED " + id);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
          .until(() -> set.version() >= total);
      boolean equal;
      try (FastSet<String> fresh = FastSet.create(client, key, String.class,
          FastSetOptions.builder().pushInvalidation(false).build())) {
        equal = fresh.equals(set);
      }
      FastSetStats s = set.stats();
      System.out.println("FINAL " + id + " size=" + set.size() + " version=" + set.version()
          + " equal=" + equal + " reloads=" + s.fullReloads() + " deltas=" + s.deltasApplied());
    }
  }
}
