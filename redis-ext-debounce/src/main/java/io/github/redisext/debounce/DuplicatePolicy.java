package io.github.redisext.debounce;

/** What adding a task that is already waiting does. */
public enum DuplicatePolicy {
  /**
   * The first due time wins: adding a waiting task again changes nothing and returns false. This
   * is the Python {@code DebounceInfoTask}'s behaviour ({@code ZADD NX}).
   */
  KEEP_FIRST,
  /**
   * True debounce: every add moves the task's due time to now + delay, so a task fires only once
   * adds have stopped for the delay. With {@link DebounceOptions.Builder#maxWait} the due time
   * never moves past first add + maximum wait, so a task re-added forever still fires.
   */
  DEBOUNCE
}
