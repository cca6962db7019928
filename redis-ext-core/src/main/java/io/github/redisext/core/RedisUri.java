package io.github.redisext.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * A parsed Redis connection URI. Forms:
 *
 * <pre>
 * redis://[user[:password]@]host[:port][/db][?options]            standalone (rediss:// for TLS)
 * redis-cluster://[user[:password]@]host:port[,host:port...][?options]     cluster seed list
 * redis-sentinel://[user[:password]@]host:port[,host:port...]/master[/db][?options]
 * </pre>
 *
 * {@code rediss-cluster://} and {@code rediss-sentinel://} use TLS. Default ports are 6379 (26379
 * for sentinels). User and password are percent-decoded. Options: {@code timeout}, {@code
 * connectTimeout}, {@code blockingTimeout} (milliseconds, or with a unit: {@code 500ms}, {@code 2s}),
 * {@code poolSize}, {@code clientName}, {@code protocol} ({@code resp2}/{@code resp3}), and for
 * sentinel {@code sentinelUser}, {@code sentinelPassword}.
 *
 * @param kind standalone, cluster or sentinel
 * @param ssl whether TLS is used
 * @param nodes the server, the cluster seeds or the sentinels
 * @param user ACL user name, or null
 * @param password password, or null
 * @param database database index (standalone and sentinel)
 * @param masterName the sentinel master name, or null
 * @param options the query options, as given
 */
public record RedisUri(Kind kind, boolean ssl, List<HostAndPort> nodes, String user,
    String password, int database, String masterName, Map<String, String> options) {

  /** The deployment a URI points at. */
  public enum Kind {
    /** One server. */
    STANDALONE,
    /** A Redis Cluster, given by seed nodes. */
    CLUSTER,
    /** A master found through Redis Sentinel. */
    SENTINEL
  }

  static final Set<String> OPTIONS = Set.of("timeout", "connectTimeout", "blockingTimeout",
      "poolSize", "clientName", "protocol", "sentinelUser", "sentinelPassword");

  /** Validates and copies. */
  public RedisUri {
    nodes = List.copyOf(nodes);
    options = Map.copyOf(options);
  }

  /**
   * Parses a URI.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static RedisUri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("Redis URI is empty");
    }
    int sep = uri.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException("Redis URI '" + mask(uri) + "' has no scheme: expected "
          + "redis://, rediss://, redis-cluster://, rediss-cluster://, redis-sentinel:// or "
          + "rediss-sentinel://");
    }
    String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
    Kind kind;
    boolean ssl;
    switch (scheme) {
      case "redis" -> { kind = Kind.STANDALONE; ssl = false; }
      case "rediss" -> { kind = Kind.STANDALONE; ssl = true; }
      case "redis-cluster" -> { kind = Kind.CLUSTER; ssl = false; }
      case "rediss-cluster" -> { kind = Kind.CLUSTER; ssl = true; }
      case "redis-sentinel" -> { kind = Kind.SENTINEL; ssl = false; }
      case "rediss-sentinel" -> { kind = Kind.SENTINEL; ssl = true; }
      default -> throw new IllegalArgumentException("unknown scheme '" + scheme + "' in Redis URI '"
          + mask(uri) + "': expected redis, rediss, redis-cluster, rediss-cluster, redis-sentinel "
          + "or rediss-sentinel");
    }
    String rest = uri.substring(sep + 3);
    Map<String, String> options = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      parseQuery(uri, rest.substring(q + 1), options);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String path = slash >= 0 ? rest.substring(slash + 1) : "";
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String info = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = info.indexOf(':');
      String u = colon >= 0 ? info.substring(0, colon) : info;
      user = u.isEmpty() ? null : decode(uri, u, "user");
      if (colon >= 0) {
        password = decode(uri, info.substring(colon + 1), "password");
      } else if (user != null && kind != Kind.CLUSTER) {
        // redis://secret@host is the classic password-only form
        password = user;
        user = null;
      }
    }
    int defaultPort = kind == Kind.SENTINEL ? 26379 : 6379;
    List<HostAndPort> nodes = new ArrayList<>();
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("Redis URI '" + mask(uri) + "' has no host");
    }
    for (String hp : authority.split(",", -1)) {
      nodes.add(hostAndPort(uri, hp, defaultPort));
    }
    if (kind == Kind.STANDALONE && nodes.size() > 1) {
      throw new IllegalArgumentException("Redis URI '" + mask(uri) + "' lists " + nodes.size()
          + " hosts; use redis-cluster:// for a cluster seed list or redis-sentinel:// for sentinels");
    }
    String master = null;
    String db = path;
    if (kind == Kind.SENTINEL) {
      int s2 = path.indexOf('/');
      master = s2 >= 0 ? path.substring(0, s2) : path;
      db = s2 >= 0 ? path.substring(s2 + 1) : "";
      if (master.isEmpty()) {
        throw new IllegalArgumentException("sentinel URI '" + mask(uri) + "' needs the master name "
            + "as its path: redis-sentinel://host:26379/mymaster");
      }
    }
    int database = 0;
    if (!db.isEmpty()) {
      if (kind == Kind.CLUSTER) {
        throw new IllegalArgumentException("cluster URI '" + mask(uri) + "' cannot select database '"
            + db + "': Redis Cluster has only database 0");
      }
      try {
        database = Integer.parseInt(db);
      } catch (NumberFormatException e) {
        database = -1;
      }
      if (database < 0) {
        throw new IllegalArgumentException("database '" + db + "' in Redis URI '" + mask(uri)
            + "' is not a non-negative integer");
      }
    }
    return new RedisUri(kind, ssl, nodes, user, password, database, master, options);
  }

  private static void parseQuery(String uri, String query, Map<String, String> out) {
    if (query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq >= 0 ? pair.substring(0, eq) : pair;
      String v = eq >= 0 ? decode(uri, pair.substring(eq + 1), "option " + k) : "";
      if (!OPTIONS.contains(k)) {
        throw new IllegalArgumentException("unknown option '" + k + "' in Redis URI '" + mask(uri)
            + "'; known: " + new java.util.TreeSet<>(OPTIONS));
      }
      out.put(k, v);
    }
  }

  private static HostAndPort hostAndPort(String uri, String hp, int defaultPort) {
    String host;
    String port = null;
    if (hp.startsWith("[")) {
      int close = hp.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in host '" + hp + "' of Redis URI '"
            + mask(uri) + "'");
      }
      host = hp.substring(1, close);
      if (close + 1 < hp.length()) {
        if (hp.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad host '" + hp + "' in Redis URI '" + mask(uri) + "'");
        }
        port = hp.substring(close + 2);
      }
    } else {
      int colon = hp.lastIndexOf(':');
      host = colon >= 0 ? hp.substring(0, colon) : hp;
      port = colon >= 0 ? hp.substring(colon + 1) : null;
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host in '" + hp + "' of Redis URI '" + mask(uri) + "'");
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("port '" + port + "' of host '" + host
            + "' in Redis URI '" + mask(uri) + "' is not a number in 1..65535");
      }
    }
    return new HostAndPort(host, p);
  }

  private static String decode(String uri, String s, String part) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad percent-encoding in the " + part + " of Redis URI '"
          + mask(uri) + "'", e);
    }
  }

  /** The URI text with any password replaced by {@code ***}. */
  static String mask(String uri) {
    return uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
  }

  @Override
  public String toString() {
    return "RedisUri[" + kind + (ssl ? " tls" : "") + " " + nodes + (user != null ? " user=" + user
        : "") + (password != null ? " password=***" : "") + " db=" + database
        + (masterName != null ? " master=" + masterName : "") + " " + options.keySet() + "]";
  }
}
