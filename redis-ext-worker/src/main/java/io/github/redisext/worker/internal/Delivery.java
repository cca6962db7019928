package io.github.redisext.worker.internal;

/**
 * One task as fetch.lua returned it: its id (unique per queue), the delivery number (1 = first
 * try) and the raw bytes from the queue (decoded as strict UTF-8 by the claim, so a payload that
 * is not UTF-8 is never altered: it is dead-lettered with its bytes kept).
 */
public record Delivery(String id, int attempts, byte[] payload) {}
