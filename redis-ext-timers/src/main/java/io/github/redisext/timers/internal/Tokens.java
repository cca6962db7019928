package io.github.redisext.timers.internal;

import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Unique owner tokens: 32 lowercase hex digits (like redis-py's lock tokens) plus a counter. */
public final class Tokens {
  private static final String PROCESS = HexFormat.of().toHexDigits(
      UUID.randomUUID().getMostSignificantBits());
  private static final AtomicLong COUNTER = new AtomicLong();

  private Tokens() {}

  /** A token unique across processes and calls. */
  public static String next() {
    UUID u = UUID.randomUUID();
    return PROCESS + HexFormat.of().toHexDigits(u.getLeastSignificantBits()) + "-"
        + COUNTER.incrementAndGet();
  }
}
