package io.github.redisext.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.KeyNameException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** Argument checks and lifecycle rules that need no server (the client never connects). */
class RedisWorkTest {
  private final RedisClient unused = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", 1))
      .build();

  @Test
  void constructorsNameTheMissingArgument() {
    WorkerOptions o = WorkerOptions.defaults();
    assertThatThrownBy(() -> new TestWorker(null, "{q}", o, j -> { }))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
    assertThatThrownBy(() -> new TestWorker(unused, "{q}", null, j -> { }))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    assertThatThrownBy(() -> new TestWorker(unused, "", o, j -> { }))
        .isInstanceOf(KeyNameException.class);
    assertThatThrownBy(() -> WorkQueue.create(unused, "{q}", (Class<Job>) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> WorkQueue.<Job>create(unused, "{q}", (JsonCodec<Job>) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("codec");
    assertThatThrownBy(() -> WorkQueue.create(unused, null, Job.class))
        .isInstanceOf(KeyNameException.class);
  }

  @Test
  void aClosedWorkerCannotBeStartedAndCloseIsIdempotent() {
    TestWorker w = new TestWorker(unused, "{q}", WorkerOptions.defaults(), j -> { });
    assertThat(w.isRunning()).isFalse();
    assertThat(w.stats()).isEqualTo(new WorkerStats(0, 0, 0, 0, 0));
    assertThat(w.workerId()).startsWith("w" + ProcessHandle.current().pid() + "-");
    assertThat(w.key()).isEqualTo("{q}");
    assertThat(w.toString()).contains("{q}", w.workerId());
    w.close();
    w.close();
    assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("{q}");
    assertThatThrownBy(w::startInBackground).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pushRejectsNullBeforeTouchingRedis() {
    WorkQueue<Job> q = WorkQueue.create(unused, "{q}", Job.class);
    assertThatThrownBy(() -> q.push(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> q.requeue(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("letters");
    assertThatThrownBy(() -> q.purge(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("letters");
  }
}
