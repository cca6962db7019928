package io.github.redisext.bench.harness;

/**
 * One measured figure.
 *
 * @param scenario the scenario (or {@code "ceiling"})
 * @param metric what was measured, e.g. {@code "end-to-end tasks/s"}
 * @param value the figure
 * @param unit its unit, e.g. {@code "ops/s"}, {@code "ms"}
 * @param ceiling name of the raw-Redis ceiling it compares to, or null
 * @param ratio value / ceiling value, or NaN
 * @param target the target as text (e.g. {@code ">= 100000"}), or empty
 */
public record BenchResult(String scenario, String metric, double value, String unit, String ceiling,
    double ratio, String target) {}
