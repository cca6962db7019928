package io.github.redisext.worker;

import redis.clients.jedis.UnifiedJedis;

/** A worker whose handler is a lambda, for tests. */
final class TestWorker extends RedisWork<Job> {
  @FunctionalInterface
  interface Body {
    void handle(Job job) throws Exception;
  }

  private final Body body;

  TestWorker(UnifiedJedis client, String key, WorkerOptions options, Body body) {
    super(client, key, Job.class, options);
    this.body = body;
  }

  @Override
  protected void handle(Job job) throws Exception {
    body.handle(job);
  }
}
