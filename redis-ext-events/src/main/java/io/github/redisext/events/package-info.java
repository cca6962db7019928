/**
 * redis-ext-events: a durable event queue with eventy's Redis layout. Entry types: {@link
 * io.github.redisext.events.EventQueue} (publish, read, search, count, subscribe) and {@link
 * io.github.redisext.events.QueueManager} (type registry); durable subscriptions are {@link
 * io.github.redisext.events.Subscription}s run on the core consumer kernel.
 */
package io.github.redisext.events;
