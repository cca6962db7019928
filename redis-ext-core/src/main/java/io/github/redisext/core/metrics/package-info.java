/**
 * The metrics hook every primitive reports to: {@link
 * io.github.redisext.core.metrics.MetricsListener} (set through each primitive's {@code
 * metrics(...)} option), the {@link io.github.redisext.core.metrics.Metric}s it receives and the
 * {@link io.github.redisext.core.metrics.MetricSource} naming the primitive. {@link
 * io.github.redisext.core.metrics.Metrics} is the reporting side primitives use: it swallows a
 * listener's exceptions and skips clock reads when nothing listens.
 */
package io.github.redisext.core.metrics;
