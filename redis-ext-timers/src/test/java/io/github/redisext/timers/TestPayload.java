package io.github.redisext.timers;

/** The payload of topic "test_handler" (the Python suite's TestPayloadModel). */
public record TestPayload(String message, int count) {}
