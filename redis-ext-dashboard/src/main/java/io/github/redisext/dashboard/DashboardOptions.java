package io.github.redisext.dashboard;

import io.github.redisext.core.support.Args;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Immutable settings of a {@link Dashboard}. Build with {@link #builder()}; every setter rejects
 * a bad value at once with an exception naming the option.
 *
 * <pre>{@code
 * DashboardOptions opts = DashboardOptions.builder()
 *     .port(8379)                         // 0: any free port
 *     .allowWrites(System.getenv("DASHBOARD_TOKEN"))   // requeue and purge, after logging in
 *     .name("worker", "emails")           // shown even before it registers (Python producers)
 *     .recordRates(true)                  // this process counts processed/failed per minute
 *     .build();
 * }</pre>
 */
public final class DashboardOptions {
  /** Default address the server binds: the loopback interface only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port: 8379. */
  public static final int DEFAULT_PORT = 8379;
  /** Default interval of the pages' live refresh: 2 s. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);
  /** Shortest live refresh interval: 250 ms. */
  public static final Duration MIN_REFRESH = Duration.ofMillis(250);
  /** Longest live refresh interval: 1 min. */
  public static final Duration MAX_REFRESH = Duration.ofMinutes(1);
  /** Default characters of a payload shown in a table before it is cut: 200. */
  public static final int DEFAULT_PREVIEW_CHARS = 200;
  /** Default rows of a table (dead letters, waiting tasks): 50. */
  public static final int DEFAULT_LIST_LIMIT = 50;
  /** Most rows of a table: 1,000. */
  public static final int MAX_LIST_LIMIT = 1_000;
  /** Shortest write token: 8 characters. */
  public static final int MIN_TOKEN_LENGTH = 8;

  private final String host;
  private final int port;
  private final String writeToken;
  private final Duration refresh;
  private final List<String> names;
  private final int previewChars;
  private final int listLimit;
  private final boolean recordRates;
  private final String redisLabel;

  private DashboardOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.writeToken = b.writeToken;
    this.refresh = b.refresh;
    this.names = List.copyOf(b.names);
    this.previewChars = b.previewChars;
    this.listLimit = b.listLimit;
    this.recordRates = b.recordRates;
    this.redisLabel = b.redisLabel;
  }

  /** The defaults: 127.0.0.1:8379, read-only, refresh every 2 s, no rates recorded. */
  public static DashboardOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The address the server binds (default {@value #DEFAULT_HOST}). */
  public String host() {
    return host;
  }

  /** The port (default {@value #DEFAULT_PORT}; 0 picks a free one, see {@link Dashboard#port()}). */
  public int port() {
    return port;
  }

  /** The token that unlocks write actions; empty: the dashboard is read-only (the default). */
  public Optional<String> writeToken() {
    return Optional.ofNullable(writeToken);
  }

  /** How often open pages refresh their figures (default 2 s). */
  public Duration refresh() {
    return refresh;
  }

  /** Primitives shown besides the registry's, as {@code kind:name}. */
  public List<String> names() {
    return names;
  }

  /** Characters of a payload or error shown in a table (default 200). */
  public int previewChars() {
    return previewChars;
  }

  /** Rows of a table (default 50). */
  public int listLimit() {
    return listLimit;
  }

  /** Whether the dashboard records rates for the primitives on its own client (default false). */
  public boolean recordRates() {
    return recordRates;
  }

  /** What the header says the dashboard is connected to (never a password); default none. */
  public String redisLabel() {
    return redisLabel;
  }

  @Override
  public String toString() {
    return "DashboardOptions[host=" + host + ", port=" + port + ", writes="
        + (writeToken == null ? "off" : "token ***") + ", refresh=" + refresh + ", names=" + names
        + ", previewChars=" + previewChars + ", listLimit=" + listLimit + ", recordRates="
        + recordRates + (redisLabel.isEmpty() ? "" : ", redis=" + redisLabel) + "]";
  }

  /** Builder of {@link DashboardOptions}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String writeToken;
    private Duration refresh = DEFAULT_REFRESH;
    private final List<String> names = new ArrayList<>();
    private int previewChars = DEFAULT_PREVIEW_CHARS;
    private int listLimit = DEFAULT_LIST_LIMIT;
    private boolean recordRates;
    private String redisLabel = "";

    private Builder() {}

    /**
     * The address to bind: {@value #DEFAULT_HOST} by default; {@code 0.0.0.0} exposes the
     * dashboard to the network (then give it a write token, or keep it read-only, and put it
     * behind TLS).
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder host(String host) {
      this.host = Args.notBlank(host, "host");
      return this;
    }

    /**
     * The port, 0..65535 (0: a free one).
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Enables requeue and purge for whoever presents {@code token}: a browser logs in once with it
     * (a session cookie, and a CSRF token in every form), a script sends {@code Authorization:
     * Bearer <token>} or basic auth with the token as password.
     *
     * @throws IllegalArgumentException if shorter than {@value #MIN_TOKEN_LENGTH} characters
     */
    public Builder allowWrites(String token) {
      Args.notNull(token, "token");
      if (token.strip().length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException("write token must have at least " + MIN_TOKEN_LENGTH
            + " characters");
      }
      this.writeToken = token;
      return this;
    }

    /** Back to read-only (the default). */
    public Builder readOnly() {
      this.writeToken = null;
      return this;
    }

    /**
     * How often open pages refresh: {@link #MIN_REFRESH}..{@link #MAX_REFRESH}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder refresh(Duration refresh) {
      Args.notNull(refresh, "refresh");
      if (refresh.compareTo(MIN_REFRESH) < 0 || refresh.compareTo(MAX_REFRESH) > 0) {
        throw new IllegalArgumentException("refresh must be in " + MIN_REFRESH + ".."
            + MAX_REFRESH + ", was " + refresh);
      }
      this.refresh = refresh;
      return this;
    }

    /**
     * Shows primitive {@code kind}/{@code name} even if it is not in the registry (a queue only
     * Python producers use, or one created before the registry existed). Kinds whose layout
     * needs more read it from the name: {@code streams} the stream's name ({@code orders} for
     * {@code stream:orders}), {@code events} {@code Type} (prefix {@code eventy}) or {@code
     * prefix:Type}, {@code triggers} {@code tenant} or {@code tenant:shards}.
     *
     * @throws IllegalArgumentException if {@code kind} or {@code name} is blank
     */
    public Builder name(String kind, String name) {
      names.add(Args.notBlank(kind, "kind") + ":" + Args.notBlank(name, "name"));
      return this;
    }

    /**
     * Adds names as {@code kind:name} (the command line's {@code --name}).
     *
     * @throws IllegalArgumentException if one has no {@code kind:} part
     */
    public Builder names(List<String> kindAndNames) {
      for (String n : Args.notNull(kindAndNames, "names")) {
        int colon = Args.notNull(n, "name").indexOf(':');
        if (colon <= 0 || colon == n.length() - 1) {
          throw new IllegalArgumentException("name must be kind:name (e.g. worker:emails), was '"
              + n + "'");
        }
        name(n.substring(0, colon), n.substring(colon + 1));
      }
      return this;
    }

    /**
     * Characters of a payload shown in tables, 20..100,000 (the rest behind a "whole" link).
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder previewChars(int chars) {
      if (chars < 20 || chars > 100_000) {
        throw new IllegalArgumentException("previewChars must be in 20..100000, was " + chars);
      }
      this.previewChars = chars;
      return this;
    }

    /**
     * Rows of a table, 1..{@value DashboardOptions#MAX_LIST_LIMIT}.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder listLimit(int rows) {
      if (rows < 1 || rows > MAX_LIST_LIMIT) {
        throw new IllegalArgumentException("listLimit must be in 1.." + MAX_LIST_LIMIT + ", was "
            + rows);
      }
      this.listLimit = rows;
      return this;
    }

    /**
     * Whether the dashboard also records per-minute rates for every primitive built on its client
     * ({@link RateRecorder#start}); useful when it is embedded in the application that runs them.
     */
    public Builder recordRates(boolean record) {
      this.recordRates = record;
      return this;
    }

    /**
     * What the header shows as the Redis connected to; pass no password ({@link Dashboard#main}
     * shows the URI without its credentials).
     *
     * @throws NullPointerException if null
     */
    public Builder redisLabel(String label) {
      this.redisLabel = Args.notNull(label, "label");
      return this;
    }

    /** The options. */
    public DashboardOptions build() {
      return new DashboardOptions(this);
    }
  }
}
