package io.github.redisext.events;

/** A test payload (eventy's README example). */
public record Order(String orderId, double amount) {}
