package io.github.redisext.worker;

/** A small task type for the tests. */
record Job(int n) {}
