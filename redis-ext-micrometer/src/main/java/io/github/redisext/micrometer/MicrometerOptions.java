package io.github.redisext.micrometer;

import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.Arrays;

/**
 * How {@link MicrometerMetrics} names and records meters. Immutable; {@link #defaults()} suits
 * most applications.
 *
 * <pre>{@code
 * MicrometerOptions options = MicrometerOptions.builder()
 *     .prefix("myapp.redis")
 *     .gaugeRefresh(Duration.ofSeconds(30))   // read queue depths from Redis at most every 30 s
 *     .build();
 * }</pre>
 */
public final class MicrometerOptions {
  /** Default {@link #prefix()}: {@value}. */
  public static final String DEFAULT_PREFIX = "redisext";
  /** Default {@link #gaugeRefresh()}: 10 s. */
  public static final Duration DEFAULT_GAUGE_REFRESH = Duration.ofSeconds(10);
  /** Default {@link #gaugeTimeout()}: 250 ms. */
  public static final Duration DEFAULT_GAUGE_TIMEOUT = Duration.ofMillis(250);

  private static final MicrometerOptions DEFAULTS = builder().build();

  private final String prefix;
  private final boolean percentileHistograms;
  private final double[] percentiles;
  private final Duration gaugeRefresh;
  private final Duration gaugeTimeout;
  private final boolean streamSeedNames;

  private MicrometerOptions(Builder b) {
    this.prefix = b.prefix;
    this.percentileHistograms = b.percentileHistograms;
    this.percentiles = b.percentiles.clone();
    this.gaugeRefresh = b.gaugeRefresh;
    this.gaugeTimeout = b.gaugeTimeout;
    this.streamSeedNames = b.streamSeedNames;
  }

  /** The defaults. */
  public static MicrometerOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.percentileHistograms = percentileHistograms;
    b.percentiles = percentiles.clone();
    b.gaugeRefresh = gaugeRefresh;
    b.gaugeTimeout = gaugeTimeout;
    b.streamSeedNames = streamSeedNames;
    return b;
  }

  /** First part of every meter name: {@code <prefix>.<primitive>.<metric>}. */
  public String prefix() {
    return prefix;
  }

  /** Whether timers publish percentile histograms (Prometheus {@code _bucket} series). */
  public boolean percentileHistograms() {
    return percentileHistograms;
  }

  /** Client-side percentiles timers publish (none by default); a copy. */
  public double[] percentiles() {
    return percentiles.clone();
  }

  /** Shortest time between two reads of one primitive's levels from Redis. */
  public Duration gaugeRefresh() {
    return gaugeRefresh;
  }

  /** Longest a gauge waits for a read from Redis before it answers with the last value read. */
  public Duration gaugeTimeout() {
    return gaugeTimeout;
  }

  /**
   * Whether the streams module also reports under the names of the Python processor of seed 002
   * ({@code redis_stream_messages_processed_total} ...), so dashboards built for it keep working.
   */
  public boolean streamSeedNames() {
    return streamSeedNames;
  }

  @Override
  public String toString() {
    return "MicrometerOptions{prefix=" + prefix + ", percentileHistograms=" + percentileHistograms
        + ", percentiles=" + Arrays.toString(percentiles) + ", gaugeRefresh=" + gaugeRefresh
        + ", gaugeTimeout=" + gaugeTimeout + ", streamSeedNames=" + streamSeedNames + "}";
  }

  /** Builder of {@link MicrometerOptions}. Not thread-safe. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private boolean percentileHistograms = true;
    private double[] percentiles = new double[0];
    private Duration gaugeRefresh = DEFAULT_GAUGE_REFRESH;
    private Duration gaugeTimeout = DEFAULT_GAUGE_TIMEOUT;
    private boolean streamSeedNames = true;

    private Builder() {}

    /**
     * First part of every meter name (default {@value #DEFAULT_PREFIX}).
     *
     * @throws IllegalArgumentException if blank, or not dot-separated lower-case words
     */
    public Builder prefix(String prefix) {
      Args.notBlank(prefix, "prefix");
      if (!prefix.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
        throw new IllegalArgumentException("prefix must be dot-separated lower-case words "
            + "(letters, digits, '_'), e.g. \"redisext\" or \"myapp.redis\"; got \"" + prefix
            + "\"");
      }
      this.prefix = prefix;
      return this;
    }

    /** Whether timers publish percentile histograms (default true). */
    public Builder percentileHistograms(boolean on) {
      this.percentileHistograms = on;
      return this;
    }

    /**
     * Client-side percentiles for timers, e.g. {@code 0.5, 0.99} (default none).
     *
     * @throws IllegalArgumentException if one is not between 0 and 1
     */
    public Builder percentiles(double... percentiles) {
      Args.notNull(percentiles, "percentiles");
      for (double p : percentiles) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("percentiles must be between 0 and 1, got " + p);
        }
      }
      this.percentiles = percentiles.clone();
      return this;
    }

    /**
     * Shortest time between two reads of one primitive's levels (default 10 s): a scrape within
     * it gets the value read last.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder gaugeRefresh(Duration refresh) {
      this.gaugeRefresh = Args.nonNegative(refresh, "gaugeRefresh");
      return this;
    }

    /**
     * Longest a scrape waits for a gauge's read from Redis (default 250 ms); after it the gauge
     * answers with the last value read (NaN before the first) and the read goes on in the
     * background.
     *
     * @throws IllegalArgumentException if negative or over a minute
     */
    public Builder gaugeTimeout(Duration timeout) {
      this.gaugeTimeout = Args.inRange(timeout, Duration.ZERO, Duration.ofMinutes(1),
          "gaugeTimeout");
      return this;
    }

    /** Whether streams also report under the seed's OpenTelemetry names (default true). */
    public Builder streamSeedNames(boolean on) {
      this.streamSeedNames = on;
      return this;
    }

    /** The options. */
    public MicrometerOptions build() {
      return new MicrometerOptions(this);
    }
  }
}
