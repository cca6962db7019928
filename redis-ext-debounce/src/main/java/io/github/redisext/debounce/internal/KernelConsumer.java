package io.github.redisext.debounce.internal;

import io.github.redisext.core.consumer.ConsumerKernel;
import io.github.redisext.core.consumer.ConsumerOptions;
import io.github.redisext.core.support.Args;
import io.github.redisext.debounce.DebounceConsumer;
import io.github.redisext.debounce.TaskHandler;
import java.time.Duration;

/**
 * {@code DebounceTask.consume}: the core {@link ConsumerKernel} over a {@link ConsumeStore},
 * woken by the task's pub/sub wake-ups.
 *
 * @param <T> the task type
 */
public final class KernelConsumer<T> implements DebounceConsumer {
  private final ConsumerKernel<ConsumeStore.Item<T>> kernel;
  private final WakeUps wakeUps;
  private final Runnable wake;
  private volatile boolean running = true;

  /**
   * Starts a consumer.
   *
   * @throws io.github.redisext.core.RedisExtException if {@code engine} is closed
   */
  public KernelConsumer(Engine<T> engine, TaskHandler<? super T> handler) {
    this.wakeUps = engine.wakeUps(); // fails on a closed instance before any thread is started
    ConsumeStore<T> store = new ConsumeStore<>(engine, wakeUps);
    this.kernel = ConsumerKernel.start(store, item -> {
      try {
        handler.handle(item.task());
      } catch (Throwable t) {
        engine.countFailed();
        throw t;
      }
      engine.countHandled();
    }, engine.options().consumer(), Threads.nextName(), engine.metrics());
    this.wake = kernel::wakeUp;
    wakeUps.addListener(wake);
    kernel.wakeUp(); // a wake-up published before the listener was added is not missed
  }

  @Override
  public long handled() {
    return kernel.stats().handled();
  }

  @Override
  public long failed() {
    return kernel.stats().failed();
  }

  @Override
  public int inFlight() {
    return kernel.stats().running();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void close() {
    running = false;
    wakeUps.removeListener(wake);
    kernel.close();
  }

  @Override
  public boolean close(Duration timeout) {
    Args.inRange(timeout, Duration.ZERO, ConsumerOptions.MAX_DURATION, "timeout");
    running = false;
    wakeUps.removeListener(wake);
    return kernel.close(timeout);
  }
}
