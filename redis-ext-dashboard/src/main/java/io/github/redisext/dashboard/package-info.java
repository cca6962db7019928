/**
 * redis-ext-dashboard: a web UI over every redis-ext primitive. {@link
 * io.github.redisext.dashboard.Dashboard} serves it (embedded, or from the command line), {@link
 * io.github.redisext.dashboard.DashboardOptions} configures it, and {@link
 * io.github.redisext.dashboard.RateRecorder} records the per-minute rates its charts show.
 */
package io.github.redisext.dashboard;
