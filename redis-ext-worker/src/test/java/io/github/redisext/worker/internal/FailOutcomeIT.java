package io.github.redisext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.worker.internal.WorkerScripts.FailOutcome;
import io.github.redisext.worker.internal.WorkerScripts.FailResult;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * fail.lua on a task that is no longer in the failing worker's in-flight hash says where it went,
 * and the worker's WARN says that instead of always blaming another worker (issue 11, item 7).
 */
@RedisBackends
class FailOutcomeIT {
  private static final String KEY = "{jobs}";
  private final RedisBackend redis;
  private final UnifiedJedis c;
  private final QueueKeys keys;

  FailOutcomeIT(RedisBackend redis) {
    this.redis = redis;
    this.c = redis.client();
    this.keys = QueueKeys.of(c, KEY);
  }

  private FailResult failAtW1(String id) {
    return new WorkerScripts(c, keys).fail("w1", id, "java.io.IOException: boom", 5, 1000, false);
  }

  @Test
  void aTaskRecoveredAndFetchedByAnotherWorkerIsReportedAsTakenByThatWorker() {
    c.zadd(keys.workers(), Double.MAX_VALUE, "w1");
    c.zadd(keys.workers(), Double.MAX_VALUE, "w2");
    c.hset(keys.inflight("w2"), "7", "{\"n\":7}");
    FailResult r = failAtW1("7");
    assertThat(r).isEqualTo(new FailResult(FailOutcome.TAKEN_BY_OTHER_WORKER, "w2"));
    assertThat(r.whereItWent(keys)).contains("lease had expired", "worker w2");
    assertThat(c.hget(keys.inflight("w2"), "7")).isEqualTo("{\"n\":7}");
  }

  @Test
  void aTaskWaitingInTheDelayedSetIsReportedAsRecoveredOrAlreadySettled() {
    c.zadd(keys.delayed(), 0, "7");
    c.hset(keys.parked(), "7", "{\"n\":7}");
    FailResult r = failAtW1("7");
    assertThat(r.outcome()).isEqualTo(FailOutcome.WAITING_IN_DELAYED);
    assertThat(r.whereItWent(keys)).contains(keys.delayed(), "reply was lost");
    assertThat(c.zscore(keys.delayed(), "7")).isEqualTo(0.0);
  }

  @Test
  void aTaskAlreadyDeadLetteredIsReportedAsSuch() {
    // what this worker's own earlier fail.lua call wrote before its reply was lost
    c.rpush(keys.dead(), "{\"id\":\"17\",\"attempts\":1,\"payload\":\"x\"}",
        "{\"id\":\"7\",\"attempts\":5,\"payload\":\"{}\"}");
    assertThat(failAtW1("7").outcome()).isEqualTo(FailOutcome.ALREADY_DEAD);
    assertThat(failAtW1("1").outcome()).as("id 1 is not id 17").isEqualTo(FailOutcome.GONE);
    assertThat(c.llen(keys.dead())).isEqualTo(2);
  }

  @Test
  void aTaskInNoKeyIsReportedAsGone() {
    c.zadd(keys.workers(), Double.MAX_VALUE, "w2");
    FailResult r = failAtW1("7");
    assertThat(r).isEqualTo(new FailResult(FailOutcome.GONE, null));
    assertThat(r.whereItWent(keys)).contains("in no key");
  }

  @Test
  void aTaskStillInFlightHereIsRetriedOrDeadLettered() {
    c.hset(keys.inflight("w1"), "7", "{\"n\":7}");
    assertThat(failAtW1("7").outcome()).isEqualTo(FailOutcome.RETRIED);
    c.hset(keys.inflight("w1"), "8", "{\"n\":8}");
    assertThat(new WorkerScripts(c, keys).fail("w1", "8", "bad", 5, 0, true).outcome())
        .isEqualTo(FailOutcome.DEAD_LETTERED);
    assertThat(redis.client().llen(keys.dead())).isEqualTo(1);
  }
}
