package io.github.redisext.streams;

import java.util.Map;

/**
 * One delivery of a stream entry to a handler: its id, decoded value and attempt number, plus
 * progress reporting. Valid while the handler runs; thread-safe.
 *
 * @param <T> the entry type
 */
public interface Delivery<T> {
  /** The entry id ({@code 1700000000000-0}). */
  String id();

  /**
   * The decoded value: the {@code data} field decoded with the stream's codec; for an entry
   * without {@code data}, its field map decoded as if it were a JSON object of strings (so a
   * {@code Map<String, String>} or a record of strings receives it); null for an empty entry.
   */
  T value();

  /** The entry's fields exactly as stored (field → value). */
  Map<String, String> fields();

  /**
   * How many times the entry was delivered before this delivery, numbered as the Python library
   * numbers them: 0 on the first delivery, then 1, 2, 3 ...
   */
  int attempts();

  /**
   * Writes a {@code progress} event ({@code completionRatio}, {@code status}) to the event stream
   * when the stream's {@link StreamOptions#produceEvents()} is on; does nothing otherwise.
   *
   * @param completionRatio 0.0 to 1.0
   * @param status free text (may be empty, not null)
   * @throws IllegalArgumentException if the ratio is outside 0..1 or not a number
   */
  void reportProgress(double completionRatio, String status);

  /**
   * Whether this consumer lost the entry while the handler ran: its lease could not be renewed
   * in time and another consumer took it over. The handler may stop early; whatever it returns,
   * its ack is refused (the new owner settles the entry).
   */
  boolean leaseLost();
}
