package io.github.redisext.timers;

import io.github.redisext.core.RedisClients;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.UnifiedJedis;

/**
 * A consumer process for {@link TimersProcessesIT}. Arguments: redis URI, mode ("race" counts
 * each firing in Redis, "hang" prints HANDLING and blocks forever), sharded layout name or "-"
 * for the Python layout, lease in ms, concurrency limit, child name.
 */
public final class TimersChild {
  private TimersChild() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String mode = args[1];
    String layout = args[2];
    long leaseMs = Long.parseLong(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    String name = args[5];
    UnifiedJedis client = RedisClients.create(uri);
    TimersOptions.Builder o = TimersOptions.builder().lease(Duration.ofMillis(leaseMs))
        .concurrency(concurrency);
    if (!"-".equals(layout)) {
      o.sharded(layout, 3);
    }
    Router<UnifiedJedis> router = new Router<UnifiedJedis>();
    if ("race".equals(mode)) {
      router.handler("race", TestPayload.class, (p, redis) -> {
        redis.hincrBy("{race}:runs", p.message(), 1);
        redis.hincrBy("{race}:by", name, 1);
      });
    } else {
      router.handler("race", TestPayload.class, (p, redis) -> {
        System.out.println("HANDLING " + p.message());
        System.out.flush();
        new CountDownLatch(1).await();
      });
    }
    Timers<UnifiedJedis> timers = Timers.builder(client, client).include(router)
        .options(o.build()).build();
    timers.start();
    System.out.println("READY " + name);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
