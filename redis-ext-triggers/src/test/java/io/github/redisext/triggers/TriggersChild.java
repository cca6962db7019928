package io.github.redisext.triggers;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.UnifiedJedis;

/**
 * A trigger process in a child JVM. Args: uri, tenant, mode, count, lease ms.
 * Mode {@code count}: arms {@code count} triggers "fire" with identifiers {@code <pid>-<i>} (ttl
 * 200..2,200 ms) and fires every trigger of the tenant by counting it in the HASH
 * {@code <tenant>-fired} (HINCRBY), prints {@code ARMED}. Mode {@code block}: fires action
 * "block" by printing {@code HANDLING <key> <attempt>} and blocking forever.
 */
public final class TriggersChild {
  private TriggersChild() {}

  public static void main(String[] args) throws Exception {
    UnifiedJedis client = RedisClients.create(args[0]);
    String tenant = args[1];
    String mode = args[2];
    int count = Integer.parseInt(args[3]);
    long lease = Long.parseLong(args[4]);
    CountDownLatch never = new CountDownLatch(1);
    ExpiryTriggers t = ExpiryTriggers.create(client, tenant, TriggersOptions.builder()
        .lease(Duration.ofMillis(lease)).concurrency(4).prefetch(200).build());
    if (mode.equals("block")) {
      t.on("block", x -> {
        System.out.println("HANDLING " + x.key() + " " + x.attempt());
        System.out.flush();
        never.await();
      }).start();
      System.out.println("STARTED");
      System.out.flush();
      never.await();
      return;
    }
    t.on("fire", x -> client.hincrBy(tenant + "-fired", x.identifier(), 1)).start();
    long pid = ProcessHandle.current().pid();
    for (int ms = 0; ms < 10; ms++) {
      List<String> ids = new ArrayList<>();
      for (int i = ms; i < count; i += 10) {
        ids.add(pid + "-" + i);
      }
      t.setAll("fire", ids, Duration.ofMillis(200 + 200L * ms));
    }
    System.out.println("ARMED " + pid);
    System.out.flush();
    never.await();
  }
}
