/**
 * Micrometer binding of redis-ext: {@link io.github.redisext.micrometer.MicrometerMetrics}
 * publishes every primitive's counters, timers and Redis-read gauges to a {@code MeterRegistry},
 * as {@link io.github.redisext.micrometer.MicrometerOptions} say.
 */
package io.github.redisext.micrometer;
