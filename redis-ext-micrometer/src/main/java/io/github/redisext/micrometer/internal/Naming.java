package io.github.redisext.micrometer.internal;

import io.micrometer.core.instrument.Tags;
import io.github.redisext.core.metrics.Metric;
import io.github.redisext.core.metrics.MetricSource;
import java.util.Map;

/** Meter names, tags and descriptions: the one naming scheme of the module's README table. */
public final class Naming {
  /** The seed 002 processor's counter (Prometheus adds {@code _total}). */
  public static final String SEED_PROCESSED = "redis_stream_messages_processed";
  /** The seed's handler duration (Prometheus adds {@code _seconds}). */
  public static final String SEED_DURATION = "redis_stream_processing_duration";
  /** The seed's batch size. */
  public static final String SEED_BATCH_SIZE = "redis_stream_batch_size";
  /** The seed's pending entries. */
  public static final String SEED_PENDING = "redis_stream_pending_messages";

  private Naming() {}

  /** {@code <prefix>.<primitive>.<metric>}, e.g. {@code redisext.worker.dead_lettered}. */
  public static String name(String prefix, MetricSource source, Metric metric) {
    return prefix + "." + source.primitive() + "." + metric.metricName();
  }

  /** Tag {@code name} (the primitive's name) and the source's own tags. */
  public static Tags tags(MetricSource source) {
    Tags t = Tags.of("name", source.name());
    for (Map.Entry<String, String> e : source.tags().entrySet()) {
      t = t.and(e.getKey(), e.getValue());
    }
    return t;
  }

  /** The seed's attributes: stream_name, consumer_group, consumer_id. */
  public static Tags seedTags(MetricSource source) {
    return Tags.of("stream_name", source.name(),
        "consumer_group", source.tags().getOrDefault("group", ""),
        "consumer_id", source.tags().getOrDefault("consumer", ""));
  }

  /** Whether {@code source} is a Redis Streams consumer (the seed's names apply). */
  public static boolean isStream(MetricSource source) {
    return "streams".equals(source.primitive());
  }

  /** The HELP text of a metric. */
  public static String description(Metric metric) {
    return switch (metric) {
      case DELIVERED -> "Items claimed from Redis and handed to this process's handlers";
      case HANDLED -> "Items whose handler returned normally";
      case FAILED -> "Handler attempts that threw";
      case RETRIED -> "Failed items scheduled for another attempt";
      case DEAD_LETTERED -> "Items moved to the dead letters";
      case LEASE_LOST -> "Claimed items whose lease expired before they were settled";
      case GIVEN_BACK -> "Claimed but unstarted items given back at shutdown";
      case DUPLICATE_REFUSED -> "Settlements refused because another process owned the item";
      case MISSED -> "Events that expired before a subscription read them";
      case PUBLISHED -> "Items written by producers";
      case FIRED -> "Timers and triggers fired";
      case CANCELLED -> "Scheduled items cancelled before they fired";
      case ADOPTED -> "Items written by another writer (a Python SETEX) taken over";
      case LATE -> "Items fired later than their lateness threshold";
      case RELOADED -> "Full reloads of a local cache";
      case CREATED -> "Ids created";
      case ACQUIRED -> "Locks acquired";
      case TIMED_OUT -> "Lock attempts that gave up";
      case HANDLER_TIME -> "Time handlers ran";
      case DELIVERY_LAG -> "From when an item fell due (or was written) to its handler's start";
      case WAIT_TIME -> "Time lock acquisitions waited";
      case IN_FLIGHT -> "Items claimed by this process and not yet settled";
      case DEPTH -> "Items waiting in Redis, as the last claim reply said";
      case WAITING -> "Items ready to be taken, read from Redis";
      case DELAYED -> "Items scheduled for later (retries, delays), read from Redis";
      case PENDING -> "Items stored and not yet delivered, read from Redis";
      case LEASED -> "Items claimed by any consumer and not yet settled, read from Redis";
      case DEAD_LETTERS -> "Dead letters kept, read from Redis";
      case SIZE -> "Members, ids or entries stored";
      default -> metric.metricName();
    };
  }
}
