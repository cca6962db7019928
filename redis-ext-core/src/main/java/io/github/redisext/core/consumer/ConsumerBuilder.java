package io.github.redisext.core.consumer;

import io.github.redisext.core.metrics.MetricsListener;
import io.github.redisext.core.support.Args;
import java.time.Duration;

/**
 * The consumer setters of every module's options builder, written once: a module's builder
 * extends this class and so offers {@code concurrency}, {@code prefetch}, {@code lease}, {@code
 * maxAttempts}, {@code retryBackoff(initial, max)}, {@code retryJitter}, {@code shutdownGrace},
 * {@code idleWait}, {@code metrics} and {@code consumer(ConsumerOptions)} with the same names,
 * types, ranges and documentation everywhere, each returning the module's builder. Every setter
 * rejects a bad value at once ({@link IllegalArgumentException} naming the option and its range,
 * {@link NullPointerException} naming a null). A module with narrower ranges overrides the setter,
 * checks, and calls {@code super}.
 *
 * <pre>{@code
 * public static final class Builder extends ConsumerBuilder<Builder> {
 *   private Builder() {
 *     super(ConsumerOptions.builder().concurrency(8).build()); // the module's defaults
 *   }
 *   ... module setters, each returning this ...
 *   public MyOptions build() {
 *     return new MyOptions(this, consumerOptions());
 *   }
 * }
 * }</pre>
 *
 * @param <B> the module's builder type
 */
public abstract class ConsumerBuilder<B extends ConsumerBuilder<B>> {
  private ConsumerOptions.Builder consumer;

  /** A builder starting from core's defaults ({@link ConsumerOptions#defaults()}). */
  protected ConsumerBuilder() {
    this(ConsumerOptions.defaults());
  }

  /** A builder starting from {@code defaults} (a module's own defaults). */
  protected ConsumerBuilder(ConsumerOptions defaults) {
    this.consumer = Args.notNull(defaults, "defaults").toBuilder();
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The consumer options set so far (what the module's {@code build()} keeps). */
  public final ConsumerOptions consumerOptions() {
    return consumer.build();
  }

  /**
   * Every consumer option at once, replacing those set before (e.g. options shared by several
   * primitives).
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if the module has narrower ranges and one is out of them
   */
  public B consumer(ConsumerOptions options) {
    this.consumer = Args.notNull(options, "consumer").toBuilder();
    return self();
  }

  /**
   * Handler threads: at most this many items are handled at once (default {@link
   * ConsumerOptions#DEFAULT_CONCURRENCY} unless the module says otherwise); 1 to {@link
   * ConsumerOptions#MAX_CONCURRENCY}.
   *
   * @throws IllegalArgumentException if out of range (naming {@code concurrency})
   */
  public B concurrency(int n) {
    consumer.concurrency(n);
    return self();
  }

  /**
   * Items claimed and held beyond the running handlers, so a free handler never waits for a claim
   * (default {@link ConsumerOptions#DEFAULT_PREFETCH} unless the module says otherwise); 0 to
   * {@link ConsumerOptions#MAX_PREFETCH}. Held items are leased; at close the unstarted ones are
   * given back, their attempt counts unchanged.
   *
   * @throws IllegalArgumentException if out of range (naming {@code prefetch})
   */
  public B prefetch(int n) {
    consumer.prefetch(n);
    return self();
  }

  /**
   * The lease of a claimed item (default {@link ConsumerOptions#DEFAULT_LEASE} unless the module
   * says otherwise), renewed every third of it while the item is held: when a consumer dies, its
   * items are delivered again after this; {@link ConsumerOptions#MIN_LEASE} to {@link
   * ConsumerOptions#MAX_DURATION}.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if out of range (naming {@code lease})
   */
  public B lease(Duration d) {
    consumer.lease(d);
    return self();
  }

  /**
   * Deliveries after which a failing item goes to the dead letters (default {@link
   * ConsumerOptions#DEFAULT_MAX_ATTEMPTS} unless the module says otherwise); 1 dead-letters it at
   * the first failure; at most 1,000,000.
   *
   * @throws IllegalArgumentException if out of range (naming {@code maxAttempts})
   */
  public B maxAttempts(int n) {
    consumer.maxAttempts(n);
    return self();
  }

  /**
   * Retry delays of failed items: {@code initial} the first time, doubling with each further
   * failure up to {@code max} (defaults {@link ConsumerOptions#DEFAULT_RETRY_INITIAL} and {@link
   * ConsumerOptions#DEFAULT_RETRY_MAX}), jittered unless {@link #retryJitter(boolean)} is off; 0
   * &lt;= initial &lt;= max &lt;= 7 days.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if out of range (naming {@code retryBackoff})
   */
  public B retryBackoff(Duration initial, Duration max) {
    consumer.retryBackoff(initial, max);
    return self();
  }

  /**
   * Whether retry delays are jittered, uniformly between half and all of the doubled delay
   * (default true); false makes each exactly {@code min(initial * 2^(n-1), max)}.
   */
  public B retryJitter(boolean jitter) {
    consumer.retryJitter(jitter);
    return self();
  }

  /**
   * How long {@code close()} waits for running handlers before interrupting them (default {@link
   * ConsumerOptions#DEFAULT_SHUTDOWN_GRACE} unless the module says otherwise); 0 to 7 days.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if out of range (naming {@code shutdownGrace})
   */
  public B shutdownGrace(Duration d) {
    consumer.shutdownGrace(d);
    return self();
  }

  /**
   * The longest wait between two claims while nothing is due and no wake-up comes (default
   * {@link ConsumerOptions#DEFAULT_IDLE_WAIT} unless the module says otherwise): wake-ups and
   * known due times usually end it first; it bounds how late an item written by a peer that sends
   * no wake-up (e.g. a Python producer) is seen; 1 ms to 7 days.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if out of range (naming {@code idleWait})
   */
  public B idleWait(Duration d) {
    consumer.idleWait(d);
    return self();
  }

  /**
   * Where the consumer reports what it does (delivered, handled, failed, retried, dead-lettered,
   * lease lost, given back, handler time, delivery lag, in flight), plus the module's own
   * figures; {@link MetricsListener#NONE} (the default) reports nothing. Listeners bound to the
   * client with {@code ClientMetrics.bind} hear it too.
   *
   * @throws NullPointerException if null
   */
  public B metrics(MetricsListener listener) {
    consumer.metrics(listener);
    return self();
  }
}
