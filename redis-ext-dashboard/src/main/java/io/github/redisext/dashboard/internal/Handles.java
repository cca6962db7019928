package io.github.redisext.dashboard.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primitive objects the dashboard opens to read and act through their public API (a {@code
 * WorkQueue}, a {@code DebounceTask}, a {@code Timers} without handlers), one per kind and name,
 * kept for the dashboard's life (at most {@link #MAX} of them; the oldest is closed beyond that)
 * and closed with it. Thread-safe.
 */
public final class Handles implements AutoCloseable {
  /** The most handles kept open. */
  public static final int MAX = 1_000;
  private static final Logger log = LoggerFactory.getLogger(Handles.class);
  private final Map<String, Object> open = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  /** The handle for {@code id}, opened by {@code opener} on first use. */
  @SuppressWarnings("unchecked")
  public synchronized <H> H get(String id, Supplier<H> opener) {
    if (closed) {
      throw new IllegalStateException("dashboard is closed");
    }
    Object h = open.get(id);
    if (h == null) {
      h = opener.get();
      open.put(id, h);
      if (open.size() > MAX) {
        String eldest = open.keySet().iterator().next();
        closeQuietly(eldest, open.remove(eldest));
      }
    }
    return (H) h;
  }

  @Override
  public void close() {
    List<Map.Entry<String, Object>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(open.entrySet());
      open.clear();
    }
    for (Map.Entry<String, Object> e : all) {
      closeQuietly(e.getKey(), e.getValue());
    }
  }

  private static void closeQuietly(String id, Object h) {
    if (h instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing the dashboard's handle of {} failed", id, e);
      }
    }
  }
}
