package io.github.redisext.timers;

/** The payload of topic "another_topic" (the Python suite's AnotherPayloadModel). */
public record AnotherPayload(String value) {}
