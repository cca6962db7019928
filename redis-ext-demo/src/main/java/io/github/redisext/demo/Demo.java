package io.github.redisext.demo;

import com.github.fppt.jedismock.RedisServer;
import com.google.gson.reflect.TypeToken;
import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.RedisClients;
import io.github.redisext.core.support.Registry;
import io.github.redisext.dashboard.RateRecorder;
import io.github.redisext.debounce.DebounceOptions;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.fastset.FastSet;
import io.github.redisext.micrometer.MicrometerMetrics;
import io.github.redisext.testing.EmbeddedRedis;
import io.github.redisext.testing.RedisServerProcess;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import io.github.redisext.uniqueid.UniqueId;
import io.github.redisext.uniqueid.UniqueIdOptions;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import redis.clients.jedis.UnifiedJedis;

/**
 * A tour of every redis-ext module. Runs on an embedded real Redis 6.2 (the binary inside the
 * embedded-redis jar, started on a free loopback port and stopped at exit) unless {@code
 * REDIS_URL} points at a server of yours; where the jar has no binary for the platform it falls
 * back to jedis-mock and says so. Exits 0 when every scene did what it shows, 1 otherwise.
 *
 * <pre>
 * mvn -q -pl redis-ext-demo -am package -DskipTests exec:exec
 * mvn -q -pl redis-ext-demo -am package -DskipTests exec:exec -Ddemo.args=--dashboard
 * </pre>
 *
 * <p>With {@code --dashboard} the tour also records rates and, at its end, leaves the dashboard
 * running on what it did until Enter (or Ctrl-C) is pressed ({@link DashboardScene}).
 */
public final class Demo {
  /** A task for the worker scenes. */
  public record Job(int n) {}

  /** A timer payload. */
  public record Reminder(String text) {}

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private Demo() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String url = System.getenv("REDIS_URL");
    RedisServer mock = null;
    RedisServerProcess embedded = null;
    if (url == null || url.isBlank()) {
      if (EmbeddedRedis.isAvailable()) {
        embedded = EmbeddedRedis.start();
        url = embedded.uri();
        say("redis-ext tour on an embedded real Redis %s at %s (from the embedded-redis jar, stopped "
            + "at exit)  [set REDIS_URL to use your own]", serverVersion(url), url);
      } else {
        mock = RedisServer.newRedisServer(0, InetAddress.getByName("127.0.0.1")).start();
        url = "redis://127.0.0.1:" + mock.getBindPort();
        say("redis-ext tour on jedis-mock at %s: the embedded-redis jar has no Redis binary for %s/%s, "
            + "so this runs on an in-JVM imitation (slower)  [set REDIS_URL to use a real one]", url,
            System.getProperty("os.name"), System.getProperty("os.arch"));
      }
    } else {
      say("redis-ext tour on %s, Redis %s (keys are prefixed with run id %s and deleted afterwards)",
          url, serverVersion(url), RUN);
    }
    boolean ok = true;
    final String redisUrl = url;
    boolean dashboard = List.of(args).contains("--dashboard");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (UnifiedJedis redis = RedisClients.create(url);
        MicrometerMetrics metrics = MicrometerMetrics.bind(redis, registry);
        RateRecorder rates = dashboard ? RateRecorder.start(redis, Duration.ofSeconds(1)) : null) {
      ok &= scene("1. RedisWork: a worker pool drains 10,000 tasks", () -> worker(redis));
      ok &= scene("2. DebounceTask: a burst of 1,000 duplicate adds collapses", () -> debounce(redis));
      ok &= scene("3. FastSet: two instances stay in sync", () -> fastSet(redis));
      ok &= scene("4. UniqueId: ids per name, and a fast sequence", () -> uniqueId(redis));
      ok &= scene("5. Timers: timers fire once, in due order", () -> timers(redis));
      ok &= scene("6. Crash: a worker JVM is killed mid-task; another worker finishes the task",
          () -> crash(redis, redisUrl));
      ok &= scene("7. ExpiryTriggers: fire once", () -> TriggersScene.run(redis, redisUrl));
      ok &= scene("8. Events: a subscriber JVM is killed and restarted; it loses nothing",
          () -> EventsScene.run(redis, redisUrl));
      ok &= scene("9. RedisStream: a consumer JVM is killed mid-entry, a survivor finishes it; "
          + "a poison entry lands in the dead letters", () -> StreamsScene.run(redis, redisUrl));
      printMetrics(registry);
      if (dashboard) {
        rates.flush();
        DashboardScene.run(redis, redisUrl);
      }
      cleanup(redis);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
      if (mock != null) {
        mock.stop();
      }
    }
    say("");
    say(ok ? "All scenes passed." : "Some scene FAILED (see above).");
    System.exit(ok ? 0 : 1);
  }

  /** A few lines of what redis-ext-micrometer, bound to the tour's client, recorded. */
  private static void printMetrics(MeterRegistry registry) {
    say("");
    say("Metrics: MicrometerMetrics.bind(redis, registry) at the start recorded, among others:");
    List<String> lines = new ArrayList<>();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      String tag = m.getId().getTag("name");
      if (m instanceof Counter c && (name.endsWith(".handled") || name.endsWith(".published")
          || name.endsWith(".fired") || name.endsWith(".created"))) {
        lines.add(String.format("   %-32s %-28s %,10.0f", name, tag, c.count()));
      } else if (m instanceof Timer t && name.endsWith(".delivery_lag") && t.count() > 0) {
        lines.add(String.format("   %-32s %-28s %,10d timings, mean %.2f ms, max %.1f ms", name,
            tag, t.count(), t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS)));
      }
    }
    Collections.sort(lines);
    lines.forEach(Demo::say);
  }

  /** The server's {@code redis_version}, or "?" when INFO does not tell. */
  private static String serverVersion(String url) {
    try (UnifiedJedis r = RedisClients.create(url)) {
      Object info = r.sendCommand(redis.clients.jedis.Protocol.Command.INFO, "server");
      String text = info instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
          : String.valueOf(info);
      for (String line : text.split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
    } catch (RuntimeException e) {
      return "? (" + e.getMessage() + ")";
    }
    return "?";
  }

  // ---------------------------------------------------------------------------------------------

  /** Counts what it handles. */
  static final class CountingWorker extends RedisWork<Job> {
    final AtomicInteger done = new AtomicInteger();

    CountingWorker(UnifiedJedis redis, String key, WorkerOptions options) {
      super(redis, key, Job.class, options);
    }

    @Override
    protected void handle(Job task) {
      done.incrementAndGet();
    }
  }

  private static boolean worker(UnifiedJedis redis) throws Exception {
    String key = "{demo-jobs-" + RUN + "}";
    WorkQueue<Job> queue = WorkQueue.create(redis, key, Job.class);
    long t0 = System.nanoTime();
    List<Job> jobs = IntStream.range(0, 10_000).mapToObj(Job::new).toList();
    for (int i = 0; i < jobs.size(); i += 1000) {
      queue.pushAll(jobs.subList(i, i + 1000));
    }
    say("   pushed 10,000 tasks in %d ms (pushAll, one round trip per 1,000)", ms(t0));
    try (CountingWorker w = new CountingWorker(redis, key, WorkerOptions.builder().concurrency(8)
        .idleWait(Duration.ofMillis(200)).build())) {
      long t1 = System.nanoTime();
      w.startInBackground();
      boolean done = progress("   handled", 10_000, () -> w.done.get(), Duration.ofSeconds(120));
      say("   %,d tasks handled by 8 threads in %d ms; queue now %d, in flight %d", w.done.get(),
          ms(t1), queue.length(), queue.inFlightCount());
      return done && w.done.get() == 10_000;
    }
  }

  private static boolean debounce(UnifiedJedis redis) throws Exception {
    JsonCodec<Map<String, Object>> codec =
        JsonCodec.of(new TypeToken<Map<String, Object>>() {}.getType());
    try (DebounceTask<Map<String, Object>> refresh = DebounceTask.create(redis,
        "{demo-refresh-" + RUN + "}", codec,
        DebounceOptions.defaults().toBuilder().defaultDelay(Duration.ofMillis(300)).build())) {
      List<String> users = List.of("alice", "bob", "carol", "dave", "erin");
      int added = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
        Map<String, Object> task = new LinkedHashMap<>();
        if (i % 2 == 0) { // same content, other key order: still the same task
          task.put("user", user);
          task.put("what", "profile");
        } else {
          task.put("what", "profile");
          task.put("user", user);
        }
        if (refresh.add(task)) {
          added++;
        }
      }
      say("   1,000 adds in %d ms -> %d new tasks, %d pending (one per user)", ms(t0), added,
          refresh.pendingCount());
      long t1 = System.nanoTime();
      List<Map<String, Object>> due = new ArrayList<>();
      while (due.size() < added && ms(t1) < 5000) {
        due.addAll(refresh.await(10, Duration.ofSeconds(2)));
      }
      say("   await() returned %d due tasks %d ms later (delay 300 ms): %s", due.size(), ms(t1),
          due.stream().map(m -> m.get("user")).sorted().toList());
      return added == users.size() && due.size() == users.size();
    }
  }

  private static boolean fastSet(UnifiedJedis redis) throws Exception {
    String key = "{demo-online-" + RUN + "}";
    try (FastSet<String> a = FastSet.create(redis, key, String.class);
        FastSet<String> b = FastSet.create(redis, key, String.class)) {
      long t0 = System.nanoTime();
      a.add("alice");
      boolean seen = waitFor(() -> b.contains("alice"), Duration.ofSeconds(5));
      say("   a.add(\"alice\") -> b.contains(\"alice\") after %.1f ms (push invalidation)",
          (System.nanoTime() - t0) / 1e6);
      b.addAll(List.of("bob", "carol"));
      seen &= waitFor(() -> a.size() == 3, Duration.ofSeconds(5));
      a.remove("bob");
      seen &= waitFor(() -> !b.contains("bob"), Duration.ofSeconds(5));
      long reads = 0;
      long t1 = System.nanoTime();
      while (System.nanoTime() - t1 < TimeUnit.MILLISECONDS.toNanos(200)) {
        reads += b.contains("carol") ? 1 : 0;
      }
      say("   after b.addAll([bob, carol]) and a.remove(bob): a=%s b=%s equal=%s", new TreeSet<>(a),
          new TreeSet<>(b), a.equals(b));
      say("   b.contains() from the local cache: %,d reads in 200 ms, no round trip", reads);
      return seen && a.equals(b) && a.equals(java.util.Set.of("alice", "carol"));
    }
  }

  private static boolean uniqueId(UnifiedJedis redis) {
    UniqueId users = UniqueId.create(redis, "{demo-users-" + RUN + "}");
    long alice = users.getOrCreate("alice");
    long bob = users.getOrCreate("bob");
    long again = users.getOrCreate("alice");
    Map<String, Long> many = users.getOrCreateAll(List.of("carol", "alice", "dave"));
    say("   alice=%d bob=%d alice again=%d; getOrCreateAll(carol, alice, dave)=%s", alice, bob,
        again, many);
    UniqueId seq = UniqueId.create(redis, "{demo-seq-" + RUN + "}",
        UniqueIdOptions.builder().sequenceBlockSize(1000).build());
    long t0 = System.nanoTime();
    long last = 0;
    boolean increasing = true;
    for (int i = 0; i < 1_000_000; i++) {
      long id = seq.next();
      increasing &= id > last;
      last = id;
    }
    say("   next() x 1,000,000 with blocks of 1,000: %d ms, strictly increasing=%s, last id %,d",
        ms(t0), increasing, last);
    return alice == again && alice != bob && many.get("alice") == alice && increasing;
  }

  private static boolean timers(UnifiedJedis redis) throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    Router<List<String>> router = new Router<List<String>>().handler("remind", Reminder.class,
        (payload, log) -> {
          log.add(payload.text());
          say("   fired %-7s at +%4d ms", payload.text(), ms(t0));
        });
    TimersOptions options = TimersOptions.builder()
        .timelineKey("{demo-timers-" + RUN + "}:timeline")
        .payloadsKey("{demo-timers-" + RUN + "}:payloads").build();
    try (Timers<List<String>> timers = Timers.builder(redis, fired).include(router)
        .options(options).build()) {
      timers.setTimer("remind", "c", new Reminder("third"), Duration.ofMillis(900));
      timers.setTimer("remind", "a", new Reminder("first"), Duration.ofMillis(300));
      timers.setTimer("remind", "b", new Reminder("second"), Duration.ofMillis(600));
      timers.setTimer("remind", "b", new Reminder("second"), Duration.ofMillis(600)); // replaces
      say("   set 3 timers (+900, +300, +600 ms; the last one set twice)");
      timers.start();
      boolean all = waitFor(() -> fired.size() >= 3, Duration.ofSeconds(10));
      boolean none = !waitFor(() -> fired.size() > 3, Duration.ofMillis(300));
      say("   fired in order %s, each once=%s, pending now %d", fired, none, timers.pendingCount());
      return all && none && fired.equals(List.of("first", "second", "third"));
    }
  }

  /** Handles a task slowly; the crash scene kills the JVM running it. */
  static final class SlowWorker extends RedisWork<Job> {
    SlowWorker(UnifiedJedis redis, String key, WorkerOptions options) {
      super(redis, key, Job.class, options);
    }

    @Override
    protected void handle(Job task) throws Exception {
      System.out.println("HANDLING " + task.n());
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  /** Child-JVM entry of the crash scene: {@code <redis-url> <key>}. */
  public static final class CrashChild {
    private CrashChild() {}

    /** Runs a worker that hangs in handle() until killed. */
    public static void main(String[] args) {
      try (UnifiedJedis redis = RedisClients.create(args[0]);
          SlowWorker w = new SlowWorker(redis, args[1], WorkerOptions.builder().concurrency(1)
              .lease(Duration.ofSeconds(2)).idleWait(Duration.ofMillis(200)).build())) {
        w.start();
      }
    }
  }

  private static boolean crash(UnifiedJedis redis, String url) throws Exception {
    String key = "{demo-crash-" + RUN + "}";
    WorkQueue<Job> queue = WorkQueue.create(redis, key, Job.class);
    queue.push(new Job(42));
    Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), url,
        key).redirectErrorStream(true).start();
    AtomicReference<String> line = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          if (l.startsWith("HANDLING")) {
            line.set(l);
          }
        }
      } catch (java.io.IOException e) {
        // the child was killed
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      if (!waitFor(() -> line.get() != null, Duration.ofSeconds(60))) {
        say("   the child worker never started handling the task");
        return false;
      }
      say("   child JVM (pid %d) is handling job 42 ... kill -9", child.pid());
      long t0 = System.nanoTime();
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      say("   killed; job 42 is still held by the dead worker: in flight %d, queued %d",
          queue.inFlightCount(), queue.length());
      List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
      // a live worker checks for expired leases every third of its own lease
      try (RedisWork<Job> survivor = RedisWork.create(redis, key, Job.class,
          task -> handled.add(task.n()), WorkerOptions.builder().concurrency(2)
              .lease(Duration.ofSeconds(2)).idleWait(Duration.ofMillis(200)).build())) {
        survivor.startInBackground();
        boolean done = progress("   waiting for the lease (2 s) to expire", 1,
            () -> handled.size(), Duration.ofSeconds(60));
        say("   a live worker recovered and finished job %s %d ms after the kill; in flight %d",
            handled, ms(t0), queue.inFlightCount());
        return done && handled.equals(List.of(42));
      }
    } finally {
      child.destroyForcibly();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void cleanup(UnifiedJedis redis) {
    for (String pattern : List.of("*demo-*" + RUN + "*")) {
      for (String k : redis.keys(pattern)) {
        redis.del(k);
      }
    }
    for (Registry.Entry e : Registry.read(redis)) {
      // the streams, triggers and events scenes name theirs with their own random suffix
      if (e.name().contains(RUN)
          || e.name().matches("\\{?demo-(streams|triggers)-[0-9a-f]{8}\\}?")
          || e.keys().getOrDefault("prefix", "").matches("\\{demo-events-[0-9a-f]{8}\\}")) {
        Registry.forget(redis, e.kind(), e.name()); // the tour's primitives registered themselves
      }
    }
  }

  @FunctionalInterface
  private interface Scene {
    boolean run() throws Exception;
  }

  private static boolean scene(String title, Scene s) {
    say("");
    say(title);
    long t0 = System.nanoTime();
    try {
      boolean ok = s.run();
      say("   %s (%d ms)", ok ? "ok" : "FAILED", ms(t0));
      return ok;
    } catch (Exception | AssertionError e) {
      say("   FAILED: %s", e);
      e.printStackTrace(System.out);
      return false;
    }
  }

  private static boolean progress(String label, int total, java.util.function.IntSupplier done,
      Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int width = 30;
    int shown = -1;
    long lastPrint = 0;
    while (true) {
      int d = Math.min(total, done.getAsInt());
      long now = System.nanoTime();
      if (d != shown || now - lastPrint > TimeUnit.SECONDS.toNanos(1)) {
        int filled = (int) ((long) d * width / total);
        System.out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
            + String.format("%,d/%,d  %.1f s", d, total, (now - start) / 1e9));
        System.out.flush();
        shown = d;
        lastPrint = now;
      }
      if (d >= total) {
        System.out.println();
        return true;
      }
      if (now > deadline) {
        System.out.println("  (timed out)");
        return false;
      }
      Thread.sleep(50);
    }
  }

  private static boolean waitFor(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void say(String fmt, Object... args) {
    System.out.println(String.format(fmt, args));
  }
}
