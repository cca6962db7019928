package io.github.redisext.worker.internal;

import io.github.redisext.core.Codec;
import io.github.redisext.core.CodecException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a task's raw bytes into a task: strict UTF-8 (a payload that is not UTF-8 is never
 * altered, it is dead-lettered with its bytes kept), then the codec; JSON {@code null} is not a
 * task.
 */
final class Payloads {
  private Payloads() {}

  /** Why a payload is not a task: the dead letter's error text. */
  static final class Undecodable extends Exception {
    private static final long serialVersionUID = 1L;

    Undecodable(String message) {
      super("undecodable payload: " + message, null, false, false);
    }
  }

  /** The task in {@code payload}. */
  static <T> T decode(Codec<T> codec, byte[] payload) throws Undecodable {
    String text = strictUtf8(payload);
    if (text == null) {
      throw new Undecodable(malformedUtf8(payload));
    }
    T task;
    try {
      task = codec.decode(text);
    } catch (RuntimeException e) {
      throw new Undecodable(e.getClass().getName() + (e.getMessage() == null ? ""
          : ": " + e.getMessage()));
    }
    if (task == null) {
      throw new Undecodable(CodecException.class.getName() + ": the payload is JSON null, not a "
          + "task (handle() never gets null)");
    }
    return task;
  }

  /** The payload as text, or null when it is not well-formed UTF-8 (it is never altered). */
  static String strictUtf8(byte[] payload) {
    try {
      return decoder().decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Where and why {@code payload} is not UTF-8, for the dead letter's error. */
  static String malformedUtf8(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    CharBuffer out = CharBuffer.allocate(payload.length + 1);
    CoderResult r = decoder().decode(in, out, true);
    if (r.isError()) {
      return "not valid UTF-8: " + r.length() + " malformed byte(s) at byte offset "
          + in.position() + " of " + payload.length + " (raw bytes kept)";
    }
    return "not valid UTF-8 (raw bytes kept)";
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
