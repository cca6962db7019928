package io.github.redisext.triggers;

import io.github.redisext.core.support.Args;
import java.util.Optional;

/**
 * The parts of a trigger's TTL key {@code <tenant>:EXPTRIGGER:<action>:<identifier>} (WIRE-FORMAT
 * section 10): the tenant as given, the action and the identifier as they stand in the key, every
 * {@code ':'} replaced by {@code '_'}. So {@code of("acme", "user:profile:update", "user:123")}
 * has the key {@code acme:EXPTRIGGER:user_profile_update:user_123}, and identifiers {@code x:1}
 * and {@code x_1} are the same trigger (as in the Python original).
 *
 * <pre>{@code
 * TriggerKey k = TriggerKey.of("acme", "send:reminder", "user:42");
 * k.key();                                  // acme:EXPTRIGGER:send_reminder:user_42
 * TriggerKey.parse(k.key()).orElseThrow();  // the same parts again
 * }</pre>
 *
 * @param tenant the tenant (no {@code ':'})
 * @param action the action as escaped in the key
 * @param identifier the identifier as escaped in the key
 */
public record TriggerKey(String tenant, String action, String identifier) {
  /** The marker between the tenant and the action. */
  public static final String MARKER = "EXPTRIGGER";

  /**
   * Checks the parts.
   *
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if the tenant is blank or contains {@code ':'}
   */
  public TriggerKey {
    requireTenant(tenant);
    Args.notNull(action, "action");
    Args.notNull(identifier, "identifier");
  }

  /**
   * The key of {@code action} and {@code identifier} for {@code tenant}, escaping {@code ':'} in
   * action and identifier to {@code '_'}.
   *
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if the tenant is blank or contains {@code ':'}
   */
  public static TriggerKey of(String tenant, String action, String identifier) {
    return new TriggerKey(tenant, escape(Args.notNull(action, "action")),
        escape(Args.notNull(identifier, "identifier")));
  }

  /**
   * The parts of a TTL key, or empty if {@code key} is not one ({@code <tenant>:EXPTRIGGER:
   * <action>:<identifier>} with a non-empty tenant; the identifier is everything after the
   * action's {@code ':'}).
   */
  public static Optional<TriggerKey> parse(String key) {
    if (key == null) {
      return Optional.empty();
    }
    int m = key.indexOf(":" + MARKER + ":");
    if (m <= 0) {
      return Optional.empty();
    }
    String rest = key.substring(m + MARKER.length() + 2);
    int c = rest.indexOf(':');
    if (c < 0) {
      return Optional.empty();
    }
    return Optional.of(new TriggerKey(key.substring(0, m), rest.substring(0, c),
        rest.substring(c + 1)));
  }

  /** {@code s} with every {@code ':'} replaced by {@code '_'}. */
  public static String escape(String s) {
    return s.replace(':', '_');
  }

  /** The TTL key: {@code <tenant>:EXPTRIGGER:<action>:<identifier>}. */
  public String key() {
    return tenant + ":" + MARKER + ":" + action + ":" + identifier;
  }

  static String requireTenant(String tenant) {
    Args.notNull(tenant, "tenant");
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must not be blank");
    }
    if (tenant.indexOf(':') >= 0) {
      throw new IllegalArgumentException("tenant '" + tenant + "' contains ':'; a trigger key is "
          + "<tenant>:EXPTRIGGER:<action>:<identifier> and the tenant is not escaped, so a ':' in "
          + "it would make the key ambiguous: use a tenant without ':' (e.g. '"
          + tenant.replace(':', '-') + "')");
    }
    return tenant;
  }
}
