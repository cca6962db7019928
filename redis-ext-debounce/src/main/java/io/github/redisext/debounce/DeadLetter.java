package io.github.redisext.debounce;

import java.time.Instant;

/**
 * A task kept aside instead of being dropped: either a member that could not be decoded into
 * the task type ({@code attempts} 0), or a task whose consumer handler failed (or whose lease
 * ran out) {@link DebounceOptions#maxAttempts()} times. Requeue it with {@link
 * DebounceTask#requeue(DeadLetter)} or {@link DebounceTask#requeueDeadLetters()}.
 *
 * @param rawText the member exactly as it was stored
 * @param error why it was moved aside: the decoding error, the last handler error (exception
 *     class and message), or the lease that ran out
 * @param attempts failed deliveries counted before it was moved aside (0 for an undecodable
 *     member that had not failed before)
 * @param at when it was moved aside (Redis server clock), or null for an entry written by a
 *     version that did not record it
 */
public record DeadLetter(String rawText, String error, long attempts, Instant at) {

  /** An undecodable member without attempt count or time (as stored by earlier versions). */
  public DeadLetter(String rawText, String error) {
    this(rawText, error, 0, null);
  }
}
