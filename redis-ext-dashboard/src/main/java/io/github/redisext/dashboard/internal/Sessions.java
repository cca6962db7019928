package io.github.redisext.dashboard.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Write access: the configured token, the sessions of browsers that logged in with it (cookie
 * {@value #COOKIE}: HttpOnly, SameSite=Strict), and each session's CSRF token, which every form
 * carries. Tokens are compared in constant time. Thread-safe.
 */
public final class Sessions {
  /** The session cookie's name. */
  public static final String COOKIE = "rxd_session";
  /** How long a login lasts. */
  public static final Duration TTL = Duration.ofHours(12);
  private static final int MAX = 1_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] token;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private record Session(String csrf, long expiresAtNanos) {}

  /** Sessions for {@code token}; null: writes are disabled. */
  public Sessions(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether write actions are enabled at all. */
  public boolean writesEnabled() {
    return token != null;
  }

  /** Whether {@code candidate} is the token (constant time). */
  public boolean isToken(String candidate) {
    return token != null && candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** A new session after a successful login: its id (the cookie value). */
  public String open() {
    long now = System.nanoTime();
    if (sessions.size() >= MAX) {
      for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
        if (it.next().expiresAtNanos() - now < 0) {
          it.remove();
        }
      }
      if (sessions.size() >= MAX) {
        sessions.clear(); // everyone logs in again rather than memory growing
      }
    }
    String id = random();
    sessions.put(id, new Session(random(), now + TTL.toNanos()));
    return id;
  }

  /** The CSRF token of the live session {@code id}, or null. */
  public String csrf(String id) {
    if (id == null) {
      return null;
    }
    Session s = sessions.get(id);
    if (s == null) {
      return null;
    }
    if (s.expiresAtNanos() - System.nanoTime() < 0) {
      sessions.remove(id);
      return null;
    }
    return s.csrf();
  }

  /** Ends session {@code id}. */
  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** Whether {@code given} is the CSRF token of session {@code id} (constant time). */
  public boolean checkCsrf(String id, String given) {
    String expected = csrf(id);
    return expected != null && given != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
