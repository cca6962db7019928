package io.github.redisext.streams;

import java.util.List;

/**
 * Handles entries a batch at a time (the Python library's {@code map_fn} mode): a list in, one
 * {@link ItemOutcome} per entry out, in the same order. Throwing fails every entry of the batch.
 * Each entry is then settled by itself: acknowledged, retried after its own backoff, or
 * dead-lettered when its attempts (or the {@link RetryPolicy}) are exhausted.
 *
 * @param <T> the entry type
 */
@FunctionalInterface
public interface BatchHandler<T> {
  /**
   * Handles up to {@code batchSize} entries.
   *
   * @return one outcome per entry of {@code batch}, in order (a list of another size fails the
   *     whole batch)
   */
  List<ItemOutcome> handle(List<Delivery<T>> batch) throws Exception;
}
