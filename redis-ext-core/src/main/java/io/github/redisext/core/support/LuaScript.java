package io.github.redisext.core.support;

import io.github.redisext.core.RedisExtException;
import io.github.redisext.core.WrongTypeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a {@code .lua} resource: its SHA1 is computed once, it runs with EVALSHA,
 * and when the server answers NOSCRIPT (after SCRIPT FLUSH, a restart or a failover) it is sent
 * again with EVAL, which also caches it on that node. On a cluster the call is routed by the slot
 * of its keys, so every script needs at least one key and all its keys in one slot.
 *
 * <pre>{@code
 * private static final LuaScript POP = LuaScript.fromResource(MyQueue.class, "internal/pop.lua");
 * long n = POP.eval(client, List.of(key), List.of("10"), Replies::toLong);
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class LuaScript {
  private static final Logger log = LoggerFactory.getLogger(LuaScript.class);

  /**
   * The resource path of core's shared Lua helpers ({@code rx_wrong_type}, {@code rx_chunked},
   * {@code rx_chunked_pairs}; documented at the top of the file). Put it first in {@link
   * #fromResources(Class, String...)}:
   *
   * <pre>{@code
   * LuaScript push = LuaScript.fromResources(Keys.class, LuaScript.CORE_LIB, "push.lua");
   * }</pre>
   */
  public static final String CORE_LIB = "/io/github/redisext/core/support/core_lib.lua";

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.sha = sha1(source);
  }

  /**
   * Loads a script from a classpath resource, relative to {@code anchor}'s package unless it starts
   * with '/'.
   *
   * @throws IllegalStateException if the resource is missing
   */
  public static LuaScript fromResource(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Lua script resource '" + resource + "' not found next to "
            + anchor.getName());
      }
      return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read Lua script resource '" + resource + "'", e);
    }
  }

  /**
   * A script made of several resources, concatenated in order: shared Lua libraries (files that
   * define {@code local function}s used by more than one operation) followed by the operation
   * itself. The script's name is the last resource's.
   *
   * <pre>{@code
   * LuaScript pop = LuaScript.fromResources(Keys.class, "leases_lib.lua", "pop.lua");
   * }</pre>
   *
   * @throws IllegalStateException if a resource is missing
   */
  public static LuaScript fromResources(Class<?> anchor, String... resources) {
    if (resources.length == 0) {
      throw new IllegalArgumentException("at least one resource is required");
    }
    StringBuilder source = new StringBuilder();
    for (String r : resources) {
      source.append(fromResource(anchor, r).source());
      if (source.charAt(source.length() - 1) != '\n') {
        source.append('\n');
      }
    }
    return new LuaScript(resources[resources.length - 1], source.toString());
  }

  /** A script from source text. */
  public static LuaScript of(String name, String source) {
    return new LuaScript(name, source);
  }

  /** The script's name (its resource path). */
  public String name() {
    return name;
  }

  /** Its source. */
  public String source() {
    return source;
  }

  /** Its SHA1, hex, lowercase. */
  public String sha() {
    return sha;
  }

  /**
   * Runs the script with EVALSHA, falling back to EVAL on NOSCRIPT.
   *
   * @param keys its KEYS (at least one; one slot on a cluster)
   * @param args its ARGV
   * @return the raw reply (Long, String/byte[], List, or null)
   * @throws WrongTypeException when the script found one of its keys holding another type (see
   *     {@link #CORE_LIB}); the script changed nothing
   */
  public Object eval(UnifiedJedis client, List<String> keys, List<String> args) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("script " + name + " needs at least one key to be routed");
    }
    try {
      try {
        return client.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        log.debug("script {} not cached on the server (NOSCRIPT); sending it with EVAL", name);
        return client.eval(source, keys, args);
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          return client.eval(source, keys, args);
        }
        throw e;
      }
    } catch (JedisDataException e) {
      throw translate(e);
    }
  }

  /**
   * Runs the script with binary arguments (EVALSHA, EVAL on NOSCRIPT), for payloads that must
   * reach Redis byte for byte; bulk replies come back as {@code byte[]}.
   *
   * @param keys its KEYS (at least one; one slot on a cluster)
   * @param args its ARGV as raw bytes
   * @throws WrongTypeException as {@link #eval(UnifiedJedis, List, List)}
   */
  public Object evalBinary(UnifiedJedis client, List<String> keys, List<byte[]> args) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("script " + name + " needs at least one key to be routed");
    }
    List<byte[]> k = new java.util.ArrayList<>(keys.size());
    for (String key : keys) {
      k.add(key.getBytes(StandardCharsets.UTF_8));
    }
    try {
      try {
        return client.evalsha(sha.getBytes(StandardCharsets.UTF_8), k, args);
      } catch (JedisNoScriptException e) {
        return client.eval(source.getBytes(StandardCharsets.UTF_8), k, args);
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          return client.eval(source.getBytes(StandardCharsets.UTF_8), k, args);
        }
        throw e;
      }
    } catch (JedisDataException e) {
      throw translate(e);
    }
  }

  /**
   * A {@link WrongTypeException} for a script's wrong-type reply (e.g. read from a pipelined
   * EVALSHA's response), otherwise {@code e} itself.
   */
  public static RuntimeException translate(JedisDataException e) {
    WrongTypeException typed = WrongTypeException.fromReply(e.getMessage(), e);
    return typed != null ? typed : e;
  }

  /** Runs the script and maps its reply with {@code reply} (e.g. {@code Replies::toLong}). */
  public <R> R eval(UnifiedJedis client, List<String> keys, List<String> args,
      Function<Object, R> reply) {
    Object raw = eval(client, keys, args);
    try {
      return reply.apply(raw);
    } catch (RuntimeException e) {
      throw new RedisExtException("unexpected reply from script " + name + ": " + raw, e);
    }
  }

  /**
   * Runs the script once per element of {@code argLists}, all with the same {@code keys}, in one
   * pipeline (one round trip; each call atomic by itself, the calls together are not one
   * transaction). A call the server answered with NOSCRIPT (not cached on that node: first use,
   * SCRIPT FLUSH, failover) did not run and is run again with {@link #eval(UnifiedJedis, List,
   * List)}; any other error is thrown (translated like {@link #translate}) once every reply has
   * been read, the first one wins.
   *
   * @param keys the KEYS of every call (at least one; one slot on a cluster)
   * @param argLists the ARGV of each call, in order
   * @return the raw replies, in call order
   * @throws WrongTypeException when a call found one of its keys holding another type
   */
  public List<Object> evalPipelined(UnifiedJedis client, List<String> keys,
      List<List<String>> argLists) {
    if (argLists.size() == 1) {
      return java.util.Collections.singletonList(eval(client, keys, argLists.get(0)));
    }
    List<Response<Object>> responses = new java.util.ArrayList<>(argLists.size());
    try (AbstractPipeline p = client.pipelined()) {
      for (List<String> args : argLists) {
        responses.add(p.evalsha(sha, keys, args));
      }
      p.sync();
    }
    List<Object> out = new java.util.ArrayList<>(argLists.size());
    RuntimeException first = null;
    for (int i = 0; i < responses.size(); i++) {
      Object raw = null;
      try {
        raw = responses.get(i).get();
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          raw = eval(client, keys, argLists.get(i));
        } else if (first == null) {
          first = translate(e);
        }
      }
      out.add(raw);
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  /** Loads the script on the node that owns {@code routingKey} (SCRIPT LOAD), e.g. before a pipeline. */
  public void load(UnifiedJedis client, String routingKey) {
    client.scriptLoad(source, routingKey);
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JVM", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + " " + sha + "]";
  }
}
