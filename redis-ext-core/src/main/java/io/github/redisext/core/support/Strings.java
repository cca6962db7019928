package io.github.redisext.core.support;

import java.nio.charset.StandardCharsets;

/** Strings to bytes and back, always UTF-8 (the one helper the modules use for this). */
public final class Strings {
  private Strings() {}

  /** UTF-8 bytes of {@code s}. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code b} decoded as UTF-8. */
  public static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
