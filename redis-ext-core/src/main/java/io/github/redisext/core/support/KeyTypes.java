package io.github.redisext.core.support;

import io.github.redisext.core.WrongTypeException;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Typed wrong-type errors for plain commands (the scripts get theirs from {@code core_lib.lua}):
 * runs a command and, when Redis answers WRONGTYPE, finds which of the named keys holds another
 * type and throws a {@link WrongTypeException} naming it.
 *
 * <pre>{@code
 * long n = KeyTypes.call(client, () -> client.llen(queue), queue, "list");
 * }</pre>
 */
public final class KeyTypes {
  private KeyTypes() {}

  /**
   * Runs {@code command}; on a WRONGTYPE error throws a {@link WrongTypeException} for the first of
   * {@code keyTypePairs} ({@code key1, type1, key2, type2, ...}) that holds another type.
   *
   * @throws WrongTypeException when a named key holds another type
   */
  public static <R> R call(UnifiedJedis client, Supplier<R> command, String... keyTypePairs) {
    if (keyTypePairs.length % 2 != 0) {
      throw new IllegalArgumentException("keyTypePairs must be key, type pairs");
    }
    try {
      return command.get();
    } catch (JedisDataException e) {
      RuntimeException typed = translate(client, e, keyTypePairs);
      throw typed;
    }
  }

  /**
   * The typed form of {@code e}: a {@link WrongTypeException} for a redis-ext script's wrong-type
   * reply, or for a plain WRONGTYPE error the first of {@code keyTypePairs} that holds another type
   * (looked up with TYPE); otherwise {@code e} itself.
   */
  public static RuntimeException translate(UnifiedJedis client, JedisDataException e,
      String... keyTypePairs) {
    WrongTypeException scripted = WrongTypeException.fromReply(e.getMessage(), e);
    if (scripted != null) {
      return scripted;
    }
    if (e.getMessage() == null || !e.getMessage().startsWith("WRONGTYPE")) {
      return e;
    }
    for (int i = 0; i + 1 < keyTypePairs.length; i += 2) {
      String found;
      try {
        found = client.type(keyTypePairs[i]);
      } catch (RuntimeException lookup) {
        e.addSuppressed(lookup);
        return e;
      }
      if (!"none".equals(found) && !keyTypePairs[i + 1].equals(found)) {
        return new WrongTypeException(keyTypePairs[i], keyTypePairs[i + 1], found, e);
      }
    }
    return e;
  }
}
