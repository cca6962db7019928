package io.github.redisext.events.internal;

import java.util.List;

/**
 * The keys of one event type (eventy's layout, WIRE-FORMAT.md section 11, plus the durable
 * subscription keys of redis-ext). With a hash tag in the prefix every key shares one slot.
 */
public final class EventKeys {
  private final String prefix;
  private final String type;

  /** The keys of {@code type} under {@code prefix}. */
  public EventKeys(String prefix, String type) {
    this.prefix = prefix;
    this.type = type;
  }

  /** The prefix. */
  public String prefix() {
    return prefix;
  }

  /** The type name. */
  public String type() {
    return type;
  }

  /** {@code <prefix>:counter:<type>}: INCR gives the ids. */
  public String counter() {
    return prefix + ":counter:" + type;
  }

  /** {@code <prefix>:events:<type>:} (an event's key is this plus its id). */
  public String eventPrefix() {
    return prefix + ":events:" + type + ":";
  }

  /** {@code <prefix>:events:<type>:<id>}. */
  public String event(long id) {
    return eventPrefix() + id;
  }

  /** {@code <prefix>:index:<type>}: id by created-at score. */
  public String index() {
    return prefix + ":index:" + type;
  }

  /** {@code <prefix>:channel:<type>}: the notification channel. */
  public String channel() {
    return prefix + ":channel:" + type;
  }

  /** {@code <prefix>:queue_types}: registered type names. */
  public String queueTypes() {
    return prefix + ":queue_types";
  }

  /** {@code <prefix>:epoch:<type>}: written when the counter is created (reset detection). */
  public String epoch() {
    return prefix + ":epoch:" + type;
  }

  /** {@code <prefix>:subscriptions:<type>}: durable subscription name to alive-until ms. */
  public String registry() {
    return prefix + ":subscriptions:" + type;
  }

  /** {@code <prefix>:subscription:<type>:} (state key prefix). */
  public String statePrefix() {
    return prefix + ":subscription:" + type + ":";
  }

  /** {@code <prefix>:dead:<type>:} (dead-letter key prefix). */
  public String deadPrefix() {
    return prefix + ":dead:" + type + ":";
  }

  /** The keys of one durable subscription. */
  public Sub sub(String name) {
    return new Sub(statePrefix() + name, prefix + ":leases:" + type + ":" + name,
        prefix + ":batches:" + type + ":" + name, deadPrefix() + name,
        prefix + ":dead_data:" + type + ":" + name, prefix + ":subscribers:" + type + ":" + name);
  }

  /**
   * A subscription's keys.
   *
   * @param state hash: mode, cursor, position, missed, resets, epoch, created_at
   * @param leases zset: batch start id to lease-until (or retry-at) ms
   * @param batches hash: per batch start id its end, attempt, lease token, error
   * @param dead zset: dead-lettered id to failed-at ms
   * @param deadData hash: per dead id its raw payload, error, attempts, created_at, consumer
   * @param subscriber eventy's subscriber hash (id, type, created_at), with the event ttl
   */
  public record Sub(String state, String leases, String batches, String dead, String deadData,
      String subscriber) {
    /** Every key of the subscription. */
    public List<String> all() {
      return List.of(state, leases, batches, dead, deadData, subscriber);
    }
  }
}
