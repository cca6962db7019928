package io.github.redisext.debounce;

/**
 * A member that could not be decoded into the task type, kept aside instead of being dropped.
 *
 * @param rawText the member exactly as it was stored
 * @param error why it could not be decoded
 */
public record DeadLetter(String rawText, String error) {}
