package io.github.redisext.core;

/**
 * Turns values into the text stored in Redis and back. Implementations are immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Codec<Order> codec = JsonCodec.of(Order.class);
 * String text = codec.encode(order);
 * Order back = codec.decode(text);
 * }</pre>
 *
 * @param <T> the value type
 */
public interface Codec<T> {
  /**
   * Encodes a value.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws CodecException if the value cannot be represented
   */
  String encode(T value);

  /**
   * Decodes a text read from Redis.
   *
   * @throws CodecException carrying the raw text when it is not a valid encoding of {@code T}
   */
  T decode(String text);
}
