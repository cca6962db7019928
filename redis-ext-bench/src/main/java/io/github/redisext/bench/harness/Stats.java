package io.github.redisext.bench.harness;

import java.util.Arrays;

/** Small statistics helpers for benchmarks. */
public final class Stats {
  private Stats() {}

  /** The median of the values. */
  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /** The p-th percentile (nearest rank) of the values; p in [0, 100]. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
  }

  /** The p-th percentile of longs, as a double. */
  public static double percentile(long[] values, double p) {
    return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
  }

  /** ops per second for {@code ops} operations that took {@code nanos}. */
  public static double perSecond(long ops, long nanos) {
    return ops * 1e9 / Math.max(1, nanos);
  }
}
