package io.github.redisext.worker.internal;

/**
 * One task as fetched: its id (unique per queue), the delivery number (1 = first try) and the raw
 * text from the queue.
 */
public record Delivery(String id, int attempts, String payload) {}
