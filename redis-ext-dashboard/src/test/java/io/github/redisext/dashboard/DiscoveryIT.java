package io.github.redisext.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.redisext.core.KeySpace;
import io.github.redisext.core.support.Registry;
import io.github.redisext.debounce.DebounceTask;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.EventQueueOptions;
import io.github.redisext.events.StartPosition;
import io.github.redisext.events.Subscription;
import io.github.redisext.events.SubscriptionOptions;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StartFrom;
import io.github.redisext.streams.StreamConsumer;
import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.triggers.TriggersOptions;
import io.github.redisext.fastset.FastSet;
import io.github.redisext.timers.RedisLock;
import io.github.redisext.timers.Router;
import io.github.redisext.timers.Timers;
import io.github.redisext.timers.TimersOptions;
import io.github.redisext.uniqueid.UniqueId;
import io.github.redisext.worker.RedisWork;
import io.github.redisext.worker.WorkQueue;
import io.github.redisext.worker.WorkerOptions;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every primitive registers itself when created, and the dashboard finds and reads each of them,
 * on every backend (jedis-mock, Redis 6.2, Redis 7, a 3-master cluster).
 */
@RedisBackends
class DiscoveryIT {
  private final RedisBackend redis;

  DiscoveryIT(RedisBackend redis) {
    this.redis = redis;
  }

  private static JsonObject get(Dashboard d, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(d.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static int status(Dashboard d, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(d.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void everyPrimitiveRegistersWhenCreatedAndTheDashboardReadsItsFigures() throws Exception {
    try (UnifiedJedis client = redis.newClient()) {
      WorkQueue<String> q = WorkQueue.create(client, "orders", String.class);
      q.pushAll(List.of("a", "b", "c"));
      DebounceTask<String> d = DebounceTask.create(client, "digest", String.class);
      d.add("x", Duration.ofMinutes(1));
      d.add("y", Duration.ofMinutes(1));
      TimersOptions layout = redis.isCluster() ? TimersOptions.builder().sharded("timers", 3).build()
          : TimersOptions.defaults();
      Timers<Void> timers = Timers.<Void>builder(client, null)
          .include(new Router<Void>().handler("t", String.class, (p, c) -> { }))
          .options(layout).build();
      timers.setTimer("t", "1", "p", Duration.ofMinutes(5));
      RedisLock lock = RedisLock.create(client, "billing");
      lock.tryLock(Duration.ZERO, Duration.ofMinutes(1));
      FastSet<String> set = FastSet.create(client, "flags", String.class);
      set.addAll(List.of("a", "b", "c", "d"));
      UniqueId ids = UniqueId.create(client, "users");
      ids.getOrCreate("alice");

      String qn = KeySpace.forName("orders", client).prefix();
      String dn = KeySpace.forName("digest", client).prefix();
      String tn = redis.isCluster() ? "timers" : TimersOptions.DEFAULT_TIMELINE_KEY;
      assertThat(Registry.read(client)).extracting(Registry.Entry::field).containsExactlyInAnyOrder(
          "worker:" + qn, "debounce:" + dn, "timers:" + tn, "lock:billing",
          "fastset:" + KeySpace.forName("flags", client).name(),
          "uniqueid:" + KeySpace.forName("users", client).prefix());

      try (Dashboard dash = Dashboard.start(client, DashboardOptions.builder().port(0)
          .name("worker", "python-only").build())) {
        Map<String, JsonObject> rows = new HashMap<>();
        JsonArray all = get(dash, "/api/overview").getAsJsonArray("primitives");
        for (JsonElement e : all) {
          JsonObject o = e.getAsJsonObject();
          rows.put(o.get("kind").getAsString() + ":" + o.get("name").getAsString(), o);
        }
        assertThat(rows.get("worker:" + qn).get("depth").getAsLong()).isEqualTo(3);
        assertThat(rows.get("debounce:" + dn).get("depth").getAsLong()).isEqualTo(2);
        assertThat(rows.get("timers:" + tn).get("depth").getAsLong()).isEqualTo(1);
        assertThat(rows.get("lock:billing").get("depth").getAsLong()).isEqualTo(1);
        assertThat(rows.get("fastset:" + KeySpace.forName("flags", client).name())
            .get("depth").getAsLong()).isEqualTo(4);
        assertThat(rows.get("uniqueid:" + KeySpace.forName("users", client).prefix())
            .get("depth").getAsLong()).isEqualTo(1);
        assertThat(rows).containsKey("worker:python-only"); // named on the command line
        for (String id : rows.keySet()) {
          String kind = id.substring(0, id.indexOf(':'));
          String name = id.substring(id.indexOf(':') + 1);
          assertThat(status(dash, "/k/" + kind + "?name="
              + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)))
              .as(id).isEqualTo(200);
        }
        assertThat(status(dash, "/k/worker?name=nope")).isEqualTo(404);
      }
      timers.close();
      lock.close();
      set.close();
      d.close();
    }
  }

  @Test
  void aWorkerRegistersAsItsQueueAndADashboardOverARunningWorkerCountsItLive() throws Exception {
    try (UnifiedJedis client = redis.newClient();
        RedisWork<String> w = RedisWork.create(client, "jobs", String.class, s -> { },
            WorkerOptions.defaults());
        Dashboard dash = Dashboard.start(client, DashboardOptions.builder().port(0).build())) {
      w.startInBackground();
      String qn = KeySpace.forName("jobs", client).prefix();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
          get(dash, "/api/overview").getAsJsonArray("primitives").toString()
              .contains("1 live worker\""));
      assertThat(Registry.read(client)).extracting(Registry.Entry::field).contains("worker:" + qn);
    }
  }

  /** A flat {@code kind:name} map of the overview's JSON rows. */
  private static Map<String, JsonObject> rows(Dashboard dash) throws Exception {
    Map<String, JsonObject> rows = new HashMap<>();
    for (JsonElement e : get(dash, "/api/overview").getAsJsonArray("primitives")) {
      JsonObject o = e.getAsJsonObject();
      rows.put(o.get("kind").getAsString() + ":" + o.get("name").getAsString(), o);
    }
    return rows;
  }

  @Test
  void streamsTriggersAndEventsRegisterWhenCreatedAndTheDashboardReadsThem() throws Exception {
    // jedis-mock has no consumer-group commands (no XINFO): streams only on real servers
    boolean streams = redis.kind().isReal();
    String prefix = redis.isCluster() ? "{eventy}" : EventQueueOptions.DEFAULT_PREFIX;
    try (UnifiedJedis client = redis.newClient();
        ExpiryTriggers triggers = ExpiryTriggers.create(client, "shop",
            TriggersOptions.builder().shards(3).build());
        EventQueue<Map> events = EventQueue.create(client, "OrderPlaced",
            io.github.redisext.core.JsonCodec.of(Map.class),
            EventQueueOptions.builder().prefix(prefix).build());
        RedisStream<Map> stream = streams ? RedisStream.create(client, "{orders}", Map.class)
            : null) {
      triggers.set("remind", "cart-1", Duration.ofMinutes(10));
      triggers.set("remind", "cart-2", Duration.ofMinutes(20));
      triggers.set("expire", "cart-3", Duration.ofMinutes(30));
      for (int i = 1; i <= 4; i++) {
        events.publish(Map.of("order", i));
      }
      List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (Subscription sub = events.subscribe("mailer", e -> handled.add("" + e.id()),
          SubscriptionOptions.builder().start(StartPosition.OLDEST).build())) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
            .until(() -> handled.size() == 4);
      }
      if (streams) {
        stream.addAll(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3)));
        client.xgroupCreate(stream.key(), "audit", new redis.clients.jedis.StreamEntryID(0, 0),
            false); // a group nobody consumes: 3 entries of lag (unknown on 6.2)
      }

      List<String> fields = Registry.read(client).stream().map(Registry.Entry::field).toList();
      assertThat(fields).contains("triggers:shop", "events:OrderPlaced");
      assertThat(Registry.read(client).stream().filter(e -> e.kind().equals("triggers"))
          .findFirst().orElseThrow().keys()).containsEntry("shards", "3");
      assertThat(Registry.read(client).stream().filter(e -> e.kind().equals("events"))
          .findFirst().orElseThrow().keys()).containsEntry("prefix", prefix);
      if (streams) {
        assertThat(fields).contains("streams:{orders}");
      }

      try (Dashboard dash = Dashboard.start(client, DashboardOptions.builder().port(0).build())) {
        Map<String, JsonObject> rows = rows(dash);
        assertThat(rows.get("triggers:shop").get("depth").getAsLong()).isEqualTo(3);
        assertThat(rows.get("triggers:shop").get("deadLetters").getAsLong()).isZero();
        JsonObject ev = rows.get("events:OrderPlaced");
        assertThat(ev.get("depth").getAsLong()).isZero(); // the subscription handled all four
        assertThat(ev.get("note").getAsString()).startsWith("4 live events, 1 subscription");
        if (streams) {
          JsonObject st = rows.get("streams:{orders}");
          assertThat(st.get("inFlight").getAsLong()).isZero();
          assertThat(st.get("note").getAsString()).startsWith("3 entries, 1 group");
          assertThat(st.get("depth").getAsLong()).isEqualTo(3); // the lag, or the length on 6.2
          assertThat(st.get("attention").getAsInt()).isEqualTo(1); // nobody reads it
        }
        for (String id : rows.keySet()) {
          String kind = id.substring(0, id.indexOf(':'));
          String name = id.substring(id.indexOf(':') + 1);
          assertThat(status(dash, "/k/" + kind + "?name="
              + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)))
              .as(id).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void namesGivenByHandFollowEachKindsLayout() throws Exception {
    String prefix = redis.isCluster() ? "{py}" : "py";
    try (UnifiedJedis client = redis.newClient()) {
      // what Python producers leave: eventy's counter, index and event hashes under a prefix
      client.set(prefix + ":counter:Signup", "2");
      client.sadd(prefix + ":queue_types", "Signup", "Refund");
      try (Dashboard dash = Dashboard.start(client, DashboardOptions.builder().port(0)
          .names(List.of("events:" + prefix + ":Signup", "triggers:legacy:8",
              "streams:{py-orders}")).build())) {
        Map<String, JsonObject> rows = rows(dash);
        // the other type of the prefix is found through its queue_types set
        assertThat(rows).containsKeys("events:Signup", "events:Refund", "triggers:legacy",
            "streams:{py-orders}");
        assertThat(rows.get("triggers:legacy").get("depth").getAsLong()).isZero();
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            dash.uri().resolve("/k/events?name=Signup")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-figure=\"latest id\"><div class=\"value\">2<");
      }
    }
  }
}
