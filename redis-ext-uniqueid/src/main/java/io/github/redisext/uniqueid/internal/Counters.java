package io.github.redisext.uniqueid.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one UniqueId instance; cheap to update from many threads. */
public final class Counters {
  /** Names that got a new id. */
  public final LongAdder created = new LongAdder();
  /** Lookups that found an existing mapping. */
  public final LongAdder found = new LongAdder();
  /** Mappings deleted. */
  public final LongAdder removed = new LongAdder();
  /** Script calls and DELs for mappings. */
  public final LongAdder mappingRoundTrips = new LongAdder();
  /** Sequence ids handed out. */
  public final LongAdder sequenceIds = new LongAdder();
  /** INCR/INCRBY round trips for sequences. */
  public final LongAdder sequenceRoundTrips = new LongAdder();
}
