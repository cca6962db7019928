package io.github.redisext.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.Backends;
import io.github.redisext.testing.ProcessReaper;
import io.github.redisext.testing.RedisServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Every URI form against real servers the test starts (and the embedded mock). */
class RedisClientsIT {
  private static final List<Process> EXTRA = new ArrayList<>();
  private static RedisServerProcess secured;

  @BeforeAll
  static void requireRedisServer() {
    RedisServerProcess.assumeAvailable();
    secured = RedisServerProcess.start();
    try (Jedis j = secured.connect()) {
      j.configSet("requirepass", "s3cret");
      j.auth("s3cret");
      j.aclSetUser("alice", "on", ">pa:ss@1", "~*", "+@all");
    }
  }

  @AfterAll
  static void stop() {
    if (secured != null) {
      secured.close();
    }
    EXTRA.forEach(Process::destroyForcibly);
  }

  @Test
  void standaloneUriWithAclUserPasswordAndDatabase() {
    String uri = "redis://alice:pa%3Ass%401@127.0.0.1:" + secured.port() + "/2";
    try (UnifiedJedis c = RedisClients.create(uri)) {
      c.set("k", "v");
      assertThat(c.get("k")).isEqualTo("v");
    }
    try (Jedis j = secured.connect()) {
      j.auth("s3cret");
      j.select(2);
      assertThat(j.get("k")).isEqualTo("v");
      j.select(0);
      assertThat(j.get("k")).isNull();
    }
  }

  @Test
  void passwordOnlyUriAuthenticatesAsDefaultUser() {
    try (UnifiedJedis c = RedisClients.create("redis://:s3cret@127.0.0.1:" + secured.port())) {
      assertThat(c.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void wrongPasswordFailsClearly() {
    try (UnifiedJedis c = RedisClients.create("redis://alice:nope@127.0.0.1:" + secured.port())) {
      assertThatThrownBy(c::ping).isInstanceOfAny(JedisAccessControlException.class,
          JedisConnectionException.class, JedisDataException.class);
    }
  }

  @Test
  void resp3CanBeAskedForAndResp2IsTheDefault() {
    String base = "redis://:s3cret@127.0.0.1:" + secured.port();
    try (UnifiedJedis c = RedisClients.create(base + "?protocol=resp3")) {
      c.hset("h", "f", "1");
      assertThat(c.hgetAll("h")).containsEntry("f", "1");
      assertThat(c.ping()).isEqualTo("PONG");
    }
    try (UnifiedJedis c = RedisClients.create(base)) {
      assertThat(c.hgetAll("h")).containsEntry("f", "1");
    }
  }

  @Test
  void defaultClientWorksAgainstTheEmbeddedMock() {
    try (UnifiedJedis c = RedisClients.create(Backends.get(BackendKind.MOCK).uri())) {
      c.set("{m}:k", "1");
      assertThat(c.incr("{m}:k")).isEqualTo(2);
    }
  }

  @Test
  void clusterUriReachesEverySlot() {
    String uri = Backends.get(BackendKind.CLUSTER).uri();
    assertThat(uri).startsWith("redis-cluster://");
    try (UnifiedJedis c = RedisClients.create(uri + "?poolSize=4")) {
      assertThat(c).isInstanceOf(RedisClusterClient.class);
      for (int i = 0; i < 200; i++) {
        c.set("key-" + i, Integer.toString(i));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(c.get("key-" + i)).isEqualTo(Integer.toString(i));
      }
    }
  }

  @Test
  void sentinelUriFindsTheMaster() throws Exception {
    try (RedisServerProcess master = RedisServerProcess.start()) {
      int port = freePort();
      Path dir = Files.createTempDirectory("sentinel");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
          + "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n");
      Process p = start(List.of("redis-server", conf.toString(), "--sentinel"), dir);
      awaitPing(port, Duration.ofSeconds(20));
      try (UnifiedJedis c = RedisClients.create("redis-sentinel://127.0.0.1:" + port + "/mymaster")) {
        assertThat(c).isInstanceOf(RedisSentinelClient.class);
        assertThat(((RedisSentinelClient) c).getCurrentMaster().getPort()).isEqualTo(master.port());
        c.set("via-sentinel", "yes");
      }
      try (Jedis j = master.connect()) {
        assertThat(j.get("via-sentinel")).isEqualTo("yes");
      }
      p.destroyForcibly();
    }
  }

  @Test
  void redissUriTalksTlsWithTheGivenTrustStore() throws Exception {
    assumeTrue(onPath("openssl") || Backends.underCi(), "SKIPPED: openssl is not on the PATH");
    Path dir = Files.createTempDirectory("tls");
    run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
        "-out", "ca.crt", "-days", "2", "-subj", "/CN=redis-ext-test-ca");
    run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out",
        "srv.csr", "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(dir, "openssl", "x509", "-req", "-in", "srv.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "srv.crt", "-days", "2", "-extfile", "ext.cnf");
    int port = freePort();
    Process p = start(List.of("redis-server", "--port", "0", "--tls-port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--tls-cert-file", "srv.crt",
        "--tls-key-file", "srv.key", "--tls-ca-cert-file", "ca.crt", "--tls-auth-clients", "no"), dir);
    ClientOptions opts = ClientOptions.builder().sslOptions(trustOnly(dir.resolve("ca.crt"), dir))
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (UnifiedJedis c = RedisClients.create("rediss://127.0.0.1:" + port, opts)) {
        c.set("tls", "on");
        assertThat(c.get("tls")).isEqualTo("on");
        break;
      } catch (JedisConnectionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
    // without trusting the test CA the handshake is refused
    try (UnifiedJedis c = RedisClients.create("rediss://127.0.0.1:" + port)) {
      assertThatThrownBy(c::ping).isInstanceOf(JedisConnectionException.class);
    }
    p.destroyForcibly();
  }

  @Test
  void blockingCommandsGiveUpAtTheBlockingSocketTimeoutInsteadOfHangingForever() {
    String uri = Backends.get(BackendKind.STANDALONE).uri() + "?blockingTimeout=300ms";
    try (UnifiedJedis c = RedisClients.create(uri)) {
      assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
          assertThatThrownBy(() -> c.blpop(0, "{b}:never-filled"))
              .isInstanceOf(JedisConnectionException.class));
    }
  }

  private static SslOptions trustOnly(Path caPem, Path dir) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    Path store = dir.resolve("trust.p12");
    char[] pw = "changeit".toCharArray();
    try (var out = Files.newOutputStream(store)) {
      ks.store(out, pw);
    }
    return SslOptions.builder().truststore(store.toFile(), pw).trustStoreType("PKCS12").build();
  }

  private static Process start(List<String> cmd, Path dir) throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile()).start();
    ProcessReaper.register(p);
    EXTRA.add(p);
    return p;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertThat(p.waitFor()).as("%s: %s", List.of(cmd), Files.readString(dir.resolve("openssl.log")))
        .isZero();
  }

  private static void awaitPing(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        j.ping();
        return;
      } catch (JedisConnectionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
