package io.github.redisext.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.ClientOptions;
import io.github.redisext.core.RedisClients;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

@RedisBackends
class RedisSubscriberIT {
  private final RedisBackend redis;

  RedisSubscriberIT(RedisBackend redis) {
    this.redis = redis;
  }

  @Test
  void deliversMessagesAndLeavesNoThreadAfterClose() {
    List<String> got = new CopyOnWriteArrayList<>();
    AtomicInteger subscribed = new AtomicInteger();
    RedisSubscriber sub = RedisSubscriber.start(redis.client(), "redis-ext-core-test-sub",
        new RedisSubscriber.Listener() {
          @Override
          public void onMessage(String channel, String message) {
            got.add(channel + "=" + message);
          }

          @Override
          public void onSubscribed() {
            subscribed.incrementAndGet();
          }
        }, "{c}:a", "{c}:b");
    await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
    assertThat(subscribed.get()).isEqualTo(1);
    redis.client().publish("{c}:a", "1");
    redis.client().publish("{c}:b", "2");
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
    // two channels: on a cluster Jedis sends each PUBLISH to any node and the cluster bus
    // forwards it, so Redis does not order messages across channels (seen reordered in CI)
    assertThat(got).containsExactlyInAnyOrder("{c}:a=1", "{c}:b=2");
    sub.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().equals("redis-ext-core-test-sub") && t.isAlive());
  }

  @Test
  void closingLeavesThePooledConnectionCleanForTheNextCommand() {
    // one connection in the pool: the subscription borrows it, close() must hand it back clean
    try (UnifiedJedis one = RedisClients.create(redis.uri(), ClientOptions.builder().poolSize(1).build())) {
      for (int round = 0; round < 5; round++) {
        RedisSubscriber sub = RedisSubscriber.start(one, "redis-ext-core-test-pool",
            (channel, message) -> { }, "{p}:x", "{p}:y", "{p}:z");
        await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
        sub.close();
        for (int i = 0; i < 20; i++) {
          String v = round + "-" + i;
          one.set("{p}:k", v);
          assertThat(one.get("{p}:k")).isEqualTo(v);
          assertThat(one.incr("{p}:n")).isEqualTo(round * 20L + i + 1);
        }
      }
    }
  }

  /**
   * Subscriptions closed at every stage (before, during and after SUBSCRIBE completes) by 8
   * threads on one pooled client must leave every pooled connection clean: each later command
   * gets its own reply. (Test design from the timers module, where the races were first seen.)
   */
  @Test
  void closingSubscriptionsAtAnyMomentFromManyThreadsLeavesThePoolClean() throws Exception {
    java.util.Queue<Object> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String channel = "{sub}:ch" + t;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 60; i++) {
          java.util.concurrent.Semaphore subscribed = new java.util.concurrent.Semaphore(0);
          RedisSubscriber s = RedisSubscriber.start(redis.client(), "redis-ext-core-test-many",
              new RedisSubscriber.Listener() {
                @Override
                public void onMessage(String ch, String message) {
                  subscribed.release();
                }

                @Override
                public void onSubscribed() {
                  subscribed.release();
                }
              }, channel);
          if (i % 3 == 0) {
            assertThat(subscribed.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
          } else if (i % 3 == 1) {
            redis.client().publish(channel, "m");
          }
          s.close();
          for (int k = 0; k < 5; k++) {
            Object r = redis.client().eval("return 7", List.of("{sub}:k"), List.of());
            if (!Long.valueOf(7).equals(r)) {
              wrong.add(r);
            }
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : futures) {
      f.get(120, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(wrong).isEmpty();
  }

  @Test
  void frequentPingsKeepTheSubscriptionAliveOnResp2AndResp3() throws Exception {
    // the real backends' shared clients speak RESP3 (Jedis's default), the mock's RESP2. On RESP3
    // Jedis 8 races its own PING reply; the subscriber must then turn pings off and carry on.
    List<String> got = new CopyOnWriteArrayList<>();
    try (RedisSubscriber sub = RedisSubscriber.start(redis.client(), "redis-ext-core-test-ping",
        (channel, message) -> got.add(message), Duration.ofMillis(5), "{q}:ping")) {
      await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      int sent = 0;
      while (System.nanoTime() < end) {
        if (sub.isSubscribed()) {
          redis.client().publish("{q}:ping", Integer.toString(sent++));
        }
        Thread.sleep(20);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        redis.client().publish("{q}:ping", "last");
        return got.contains("last");
      });
      assertThat(sub.subscriptionCount()).as("at most one resubscription (when pings go off)")
          .isLessThanOrEqualTo(2);
      if (sub.subscriptionCount() == 2) {
        assertThat(sub.pingsEnabled()).isFalse();
      }
    }
  }

  @Test
  void anExhaustedPoolFailsAfterPoolMaxWaitInsteadOfHanging() {
    redis.assumeNot("a cluster client has a pool per node: the command may go to another node's "
        + "pool", BackendKind.CLUSTER);
    try (UnifiedJedis one = RedisClients.create(redis.uri(), ClientOptions.builder().poolSize(1)
        .poolMaxWait(Duration.ofMillis(300)).build());
        RedisSubscriber sub = RedisSubscriber.start(one, "redis-ext-core-test-hold",
            (channel, message) -> { }, "{h}:x")) {
      await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.get("{h}:k"))
              .isInstanceOf(redis.clients.jedis.exceptions.JedisException.class));
    }
  }

  @Test
  void resubscribesAfterTheServerRestartsAndSaysSo() {
    redis.assumeKind("one real restartable server is enough for this fault test",
        BackendKind.STANDALONE);
    try (RedisServerProcess server = RedisServerProcess.start();
        UnifiedJedis client = RedisClients.create(server.uri())) {
      List<String> got = new CopyOnWriteArrayList<>();
      AtomicInteger subscribed = new AtomicInteger();
      try (RedisSubscriber sub = RedisSubscriber.start(client, "redis-ext-core-test-restart",
          new RedisSubscriber.Listener() {
            @Override
            public void onMessage(String channel, String message) {
              got.add(message);
            }

            @Override
            public void onSubscribed() {
              subscribed.incrementAndGet();
            }
          }, "events")) {
        await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
        server.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> subscribed.get() >= 2 && sub.isSubscribed());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          client.publish("events", "after-restart");
          return got.contains("after-restart");
        });
      }
    }
  }

  /**
   * After a healthy subscription the reconnect delay starts again from the shortest: eight pub/sub
   * connection kills in a row, each followed by a write, and every write is seen well before the
   * grown delays (2.5-5 s from the 7th failure on) that a process-wide failure count gave.
   */
  @Test
  void theReconnectDelayStartsAgainAfterEveryHealthySubscription() {
    redis.assumeRealServer("jedis-mock has no CLIENT KILL TYPE pubsub");
    List<String> got = new CopyOnWriteArrayList<>();
    AtomicInteger subscribed = new AtomicInteger();
    try (RedisSubscriber sub = RedisSubscriber.start(redis.client(), "redis-ext-core-test-kills",
        new RedisSubscriber.Listener() {
          @Override
          public void onMessage(String channel, String message) {
            got.add(message);
          }

          @Override
          public void onSubscribed() {
            subscribed.incrementAndGet();
          }
        }, "{kill}:events")) {
      await().atMost(Duration.ofSeconds(10)).until(sub::isSubscribed);
      for (int i = 1; i <= 8; i++) {
        int before = subscribed.get();
        for (HostAndPort hp : redis.nodes()) {
          try (Jedis j = new Jedis(hp,
              io.github.redisext.testing.Backends.clientConfig(redis.kind()))) {
            j.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
          }
        }
        String msg = "after-kill-" + i;
        await().atMost(Duration.ofMillis(2000)).pollInterval(Duration.ofMillis(10)).until(() -> {
          if (subscribed.get() > before && sub.isSubscribed()) {
            redis.client().publish("{kill}:events", msg);
          }
          return got.contains(msg);
        });
      }
    }
  }
}
