/**
 * Implementation of the dashboard: the HTTP server and its security ({@code Server}, {@code
 * Sessions}), discovery ({@code Catalog}), one {@code KindView} per kind of primitive (registered
 * in {@code Views}), the shared dead-letter table, the rates kept in Redis ({@code RateStore}) and
 * their SVG charts. Not a public API.
 */
package io.github.redisext.dashboard.internal;
