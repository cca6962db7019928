package io.github.redisext.dashboard.internal;

import java.time.Instant;
import java.util.Map;

/**
 * One primitive the dashboard shows: from the registry or named on the command line.
 *
 * @param kind the primitive kind ({@code worker}, {@code debounce}, ...)
 * @param name its name (as registered: tagged on a cluster)
 * @param keys key hints from the registry, or read from a name given on the command line by its
 *     kind ({@link KindView#named}; usually empty)
 * @param lastSeen when it was last announced, or null when only named on the command line
 */
public record Target(String kind, String name, Map<String, String> keys, Instant lastSeen) {
  /** Copies. */
  public Target {
    keys = Map.copyOf(keys);
  }

  /** {@code kind:name}. */
  public String id() {
    return kind + ":" + name;
  }

  /** The page of this primitive. */
  public String href() {
    return "/k/" + kind + "?name=" + Html.url(name);
  }
}
