package io.github.redisext.core.metrics;

import io.github.redisext.core.support.Args;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which primitive a metric comes from: its kind ({@code worker}, {@code debounce}, {@code
 * timers}, {@code lock}, {@code fastset}, {@code uniqueid}, ...), its name (the key or name the
 * user gave) and optional extra tags (e.g. {@code topic}). Immutable; create once per primitive
 * (and per topic) and reuse, since listeners may key their meters on it.
 *
 * @param primitive the primitive kind, lower case
 * @param name the primitive's name as the user gave it
 * @param tags extra tags, in insertion order (unmodifiable)
 */
public record MetricSource(String primitive, String name, Map<String, String> tags) {
  /** Checks and copies. */
  public MetricSource {
    Args.notBlank(primitive, "primitive");
    Args.notNull(name, "name");
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(tags, "tags")));
  }

  /** A source without extra tags. */
  public static MetricSource of(String primitive, String name) {
    return new MetricSource(primitive, name, Map.of());
  }

  /** This source with one more tag (e.g. {@code withTag("topic", "emails")}). */
  public MetricSource withTag(String key, String value) {
    Map<String, String> t = new LinkedHashMap<>(tags);
    t.put(Args.notBlank(key, "key"), Args.notNull(value, "value"));
    return new MetricSource(primitive, name, t);
  }

  /** For logs: {@code worker 'emails'} (plus tags). */
  @Override
  public String toString() {
    return primitive + " '" + name + "'" + (tags.isEmpty() ? "" : " " + tags);
  }
}
