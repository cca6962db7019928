package io.github.redisext.demo;

import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.triggers.Trigger;
import io.github.redisext.triggers.TriggersOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The triggers scene: two "processes" (instances) of one tenant fire each trigger once, a colon
 * action fires, a re-armed trigger fires once at its last deadline, a cancelled one never, and a
 * Python-style bare SETEX is adopted and fired too.
 */
public final class TriggersScene {
  private TriggersScene() {}

  /** Runs the scene against {@code redis}; true if everything behaved. */
  public static boolean run(UnifiedJedis redis, String url) throws Exception {
    String tenant = "demo-triggers-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    List<String> log = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    TriggersOptions o = TriggersOptions.builder().sweepInterval(Duration.ofMillis(500))
        .idleWait(Duration.ofMillis(200)).build();
    try (ExpiryTriggers a = ExpiryTriggers.create(redis, tenant, o);
        ExpiryTriggers b = ExpiryTriggers.create(redis, tenant, o)) {
      for (ExpiryTriggers t : List.of(a, b)) {
        String who = t == a ? "A" : "B";
        for (String action : List.of("process_batch", "user:profile:update", "send_reminder")) {
          t.on(action, x -> record(x, who, t0, fired, log));
        }
        t.start();
      }
      a.set("process_batch", "wa_123", Duration.ofMillis(400));
      a.set("user:profile:update", "user:42", Duration.ofMillis(600));
      for (int i = 1; i <= 3; i++) {
        b.set("send_reminder", "u7", Duration.ofMillis(300L * i + 500)); // the last one wins
      }
      a.set("send_reminder", "u8", Duration.ofMillis(500));
      boolean cancelled = a.cancel("send_reminder", "u8");
      redis.setex(tenant + ":EXPTRIGGER:process_batch:from_python", 1, "trigger:2025-06-08T21:03:50");
      System.out.printf("   armed: process_batch wa_123 +400 ms, user:profile:update user:42 +600 ms, "
          + "send_reminder u7 re-armed 3 times (last +1400 ms), u8 cancelled=%s, a Python SETEX "
          + "(+1 s)%n", cancelled);
      long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (fired.size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(300); // nothing fires twice
      boolean once = fired.values().stream().allMatch(c -> c.get() == 1);
      System.out.printf("   %d triggers fired, each once=%s, pending now %d%n", fired.size(), once,
          a.pendingCount());
      return fired.size() == 4 && once && !fired.containsKey(tenant + ":EXPTRIGGER:send_reminder:u8")
          && a.pendingCount() == 0;
    } finally {
      cleanup(redis, tenant);
    }
  }

  private static void record(Trigger x, String who, long t0, Map<String, AtomicInteger> fired,
      List<String> log) {
    fired.computeIfAbsent(x.key(), k -> new AtomicInteger()).incrementAndGet();
    System.out.printf("   instance %s fired %-40s at +%4d ms%s%n", who,
        x.action() + " " + x.identifier(), (System.nanoTime() - t0) / 1_000_000,
        x.adopted() ? " (written by Python, adopted)" : "");
    log.add(x.key());
  }

  private static void cleanup(UnifiedJedis redis, String tenant) {
    for (String pattern : List.of(tenant + ":*", "{" + tenant + ":*")) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> r = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
        r.getResult().forEach(redis::del);
        cursor = r.getCursor();
      } while (!"0".equals(cursor));
    }
  }
}
