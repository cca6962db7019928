package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Binds a {@link MetricsListener} to a client: every redis-ext primitive built on that client,
 * before or after the call, reports to it as well as to the listener of its own options. This is
 * how a metrics binding covers a whole application in one call:
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClients.create("redis://localhost:6379");
 * try (ClientMetrics.Binding b = ClientMetrics.bind(redis, myListener)) {
 *   RedisWork<Job> work = RedisWork.create(redis, "jobs", Job.class, handler);  // reports to myListener
 *   ...
 * }
 * }</pre>
 *
 * <p>Bindings are held per client object (weakly: a client no longer used is not kept alive).
 * While nothing is bound to a client its primitives pay one volatile read per report.
 */
public final class ClientMetrics {
  private static final Map<UnifiedJedis, Hub> HUBS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ClientMetrics() {}

  /**
   * Makes every primitive on {@code client} report to {@code listener} until the returned binding
   * is closed. Live {@link Instrumented} primitives are announced to it at once through {@link
   * MetricsListener#attached}.
   */
  public static Binding bind(UnifiedJedis client, MetricsListener listener) {
    Hub hub = hub(Args.notNull(client, "client"));
    Args.notNull(listener, "listener");
    hub.add(listener);
    return new Binding(hub, listener);
  }

  /** The hub of {@code client}, created on first use. */
  static Hub hub(UnifiedJedis client) {
    return HUBS.computeIfAbsent(client, c -> new Hub());
  }

  /** What {@link #bind} returns: {@link #close()} unbinds the listener. */
  public static final class Binding implements AutoCloseable {
    private final Hub hub;
    private final MetricsListener listener;

    private Binding(Hub hub, MetricsListener listener) {
      this.hub = hub;
      this.listener = listener;
    }

    /** The listener bound. */
    public MetricsListener listener() {
      return listener;
    }

    /** Unbinds the listener (announcing {@link MetricsListener#detached} for live primitives). */
    @Override
    public void close() {
      hub.remove(listener);
    }
  }

  /** The listeners bound to one client and the instrumented primitives living on it. */
  static final class Hub {
    private static final MetricsListener[] NONE = new MetricsListener[0];
    private volatile MetricsListener[] listeners = NONE;
    /** Whether some listener is not counts-only (kept with {@link #listeners}). */
    private volatile boolean timed;
    private final Set<Instrumented> live = Collections.newSetFromMap(new IdentityHashMap<>());

    MetricsListener[] listeners() {
      return listeners;
    }

    boolean timed() {
      return timed;
    }

    synchronized void add(MetricsListener l) {
      List<MetricsListener> list = new ArrayList<>(Arrays.asList(listeners));
      list.add(l);
      listeners = list.toArray(NONE);
      timed = list.stream().anyMatch(x -> !x.countsOnly());
      for (Instrumented p : live) {
        Metrics.safely(() -> l.attached(p), p.metricSource(), l);
      }
    }

    synchronized void remove(MetricsListener l) {
      List<MetricsListener> list = new ArrayList<>(Arrays.asList(listeners));
      if (list.remove(l)) {
        listeners = list.toArray(NONE);
        timed = list.stream().anyMatch(x -> !x.countsOnly());
        for (Instrumented p : live) {
          Metrics.safely(() -> l.detached(p), p.metricSource(), l);
        }
      }
    }

    synchronized void attach(Instrumented p) {
      if (live.add(p)) {
        for (MetricsListener l : listeners) {
          Metrics.safely(() -> l.attached(p), p.metricSource(), l);
        }
      }
    }

    synchronized void detach(Instrumented p) {
      if (live.remove(p)) {
        for (MetricsListener l : listeners) {
          Metrics.safely(() -> l.detached(p), p.metricSource(), l);
        }
      }
    }
  }
}
