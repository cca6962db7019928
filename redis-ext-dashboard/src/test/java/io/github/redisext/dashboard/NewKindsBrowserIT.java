package io.github.redisext.dashboard;

import static io.github.redisext.dashboard.Pages.click;
import static io.github.redisext.dashboard.Pages.figure;
import static io.github.redisext.dashboard.Pages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.core.JsonCodec;
import io.github.redisext.core.consumer.DeadLetter;
import io.github.redisext.events.EventQueue;
import io.github.redisext.events.StartPosition;
import io.github.redisext.events.SubscriberInfo;
import io.github.redisext.events.Subscription;
import io.github.redisext.events.SubscriptionOptions;
import io.github.redisext.streams.GroupInfo;
import io.github.redisext.streams.ProcessOptions;
import io.github.redisext.streams.RedisStream;
import io.github.redisext.streams.StartFrom;
import io.github.redisext.streams.StreamConsumer;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import io.github.redisext.triggers.ExpiryTriggers;
import io.github.redisext.triggers.TriggersOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.ZAddParams;

/**
 * The streams, triggers and events pages in a real browser (headless Chromium through Selenium)
 * against a real redis-server seeded by each test: the figures are Redis's, requeueing a dead
 * letter makes the running consumer handle it, purge removes it, a {@code <script>} payload is
 * text, a write without the token is refused.
 */
@RedisBackends(BackendKind.STANDALONE)
class NewKindsBrowserIT {
  private static final String TOKEN = "browser-test-token";
  private final RedisBackend redis;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Dashboard dashboard;
  private UnifiedJedis client;

  NewKindsBrowserIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (client != null) {
      client.close();
    }
  }

  private ChromeDriver browserOn(DashboardOptions.Builder options) {
    ChromeDriver driver = Browser.get();
    client = redis.newClient();
    dashboard = Dashboard.start(client, options.port(0).refresh(Duration.ofSeconds(1))
        .redisLabel(redis.uri().replaceFirst("://[^/@]*@", "://")).build());
    driver.manage().deleteAllCookies();
    return driver;
  }

  private String url(String path) {
    return dashboard.uri().resolve(path).toString();
  }

  private void logIn(WebDriver driver) {
    Pages.logIn(driver, dashboard, TOKEN);
  }

  private static By letterButton(String payloadPart, String action) {
    return By.xpath("//table[contains(@class,'letters')]//tr[td[contains(.,'" + payloadPart
        + "')]]//button[@data-action='" + action + "']");
  }

  // ------------------------------------------------------------------ streams

  /** A stream "orders" whose "billing" consumer fails "bounce" orders while {@code failing}. */
  private record Orders(RedisStream<Map> stream, Set<String> handled, AtomicBoolean failing) {}

  private Orders orders(String... bounces) {
    RedisStream<Map> stream = RedisStream.create(client, "orders", Map.class);
    open.add(stream);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicBoolean failing = new AtomicBoolean(true);
    StreamConsumer c = stream.process(ProcessOptions.builder("billing")
        .startFrom(StartFrom.OLDEST).maxAttempts(1).concurrency(2).build(), d -> {
          String ref = String.valueOf(d.value().get("ref"));
          if (failing.get() && ref.contains("bounce")) {
            throw new IllegalStateException("card declined for " + ref);
          }
          handled.add(ref);
        });
    open.add(c);
    for (String b : bounces) {
      stream.add(Map.of("ref", b));
    }
    await().atMost(Duration.ofSeconds(30))
        .until(() -> stream.deadLetterCount() == bounces.length);
    return new Orders(stream, handled, failing);
  }

  @Test
  void theStreamPageShowsGroupsConsumersPendingLagAndDeadLettersAsInRedis() {
    ChromeDriver driver = browserOn(DashboardOptions.builder());
    Orders o = orders("bounce-1", "bounce-2");
    o.stream().addAll(List.of(Map.of("ref", "A-1"), Map.of("ref", "A-2"), Map.of("ref", "A-3")));
    await().atMost(Duration.ofSeconds(30)).until(() -> o.handled().size() == 3);
    // a group read by a consumer that never acknowledges (2 pending), from the oldest entry
    client.xgroupCreate(o.stream().key(), "audit", new StreamEntryID(0, 0), false);
    client.xreadGroup("audit", "ghost", XReadGroupParams.xReadGroupParams().count(2),
        Map.of(o.stream().key(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    driver.get(url("/k/streams?name=orders"));
    assertThat(figure(driver, "entries")).isEqualTo("5");
    assertThat(figure(driver, "groups")).isEqualTo("2");
    assertThat(figure(driver, "dead letters")).isEqualTo("2");
    List<GroupInfo> groups = o.stream().groups();
    GroupInfo audit = groups.stream().filter(g -> g.name().equals("audit")).findFirst()
        .orElseThrow();
    assertThat(audit.pending()).isEqualTo(2);
    assertThat(audit.lag()).isEqualTo(3);
    assertThat(figure(driver, "pending"))
        .isEqualTo("" + groups.stream().mapToLong(GroupInfo::pending).sum());
    assertThat(figure(driver, "lag")).isEqualTo("3");
    assertThat(text(driver, By.cssSelector("tr[data-group='audit'] td[data-col='pending']")))
        .isEqualTo("2");
    assertThat(text(driver, By.cssSelector("tr[data-group='audit'] td[data-col='lag']")))
        .isEqualTo("3");
    assertThat(text(driver, By.cssSelector("table.consumers"))).contains("ghost");
    assertThat(text(driver, By.cssSelector("table.letters"))).contains("bounce-1")
        .contains("card declined for bounce-2");
    driver.get(url("/"));
    assertThat(text(driver, By.cssSelector("tr[data-id='streams:orders'] td[data-col='dead']")))
        .isEqualTo("2");
  }

  @Test
  void requeueingAStreamDeadLetterMakesTheRunningConsumerHandleItAndPurgeRemovesOne()
      throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    Orders o = orders("bounce-a", "bounce-b", "bounce-c");
    o.failing().set(false); // the card processor is back
    DashboardBrowserIT.seedRates(client, "streams", "orders"); // three hours, for the screenshot
    logIn(driver);
    driver.get(url("/k/streams?name=orders"));
    click(driver, letterButton("bounce-a", "requeue"));
    await().atMost(Duration.ofSeconds(30)).until(() -> o.handled().contains("bounce-a"));
    assertThat(text(driver, By.id("flash"))).isEqualTo("Requeued 1 dead letter.");
    assertThat(o.stream().deadLetterCount()).isEqualTo(2);
    click(driver, letterButton("bounce-b", "purge"));
    driver.switchTo().alert().accept();
    await().atMost(Duration.ofSeconds(10)).until(() -> o.stream().deadLetterCount() == 1);
    assertThat(text(driver, By.id("flash"))).isEqualTo("Purged 1 dead letter.");
    assertThat(o.stream().deadLetters(10)).extracting(DeadLetter::payload)
        .noneMatch(p -> p.contains("bounce-b")).anyMatch(p -> p.contains("bounce-c"));
    assertThat(o.handled()).doesNotContain("bounce-b", "bounce-c");
    Browser.screenshot("stream.png", 1100);
  }

  @Test
  void aScriptInAStreamEntryOrDeadLetterIsShownAsTextAndAWriteWithoutTheTokenIsRefused()
      throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    String evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">bounce";
    Orders o = orders(evil);
    driver.get(url("/k/streams?name=orders"));
    assertThat(text(driver, By.cssSelector("table.letters td.payload")))
        .contains("<script>window.pwned=1</script>");
    assertThat(driver.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertThat(driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
    assertThat(driver.findElements(By.cssSelector("button[data-action]"))).isEmpty();
    HttpClient http = HttpClient.newHttpClient();
    for (String kind : List.of("streams", "triggers")) {
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
          URI.create(url("/k/" + kind + "/action")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("name=orders&action=purge-all")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as(kind).isEqualTo(401);
    }
    assertThat(o.stream().deadLetterCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ triggers

  @Test
  void theTriggersPageShowsOutstandingLateAndDeadAndARequeuedTriggerFires() throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    Set<String> fired = ConcurrentHashMap.newKeySet();
    AtomicBoolean failing = new AtomicBoolean(true);
    ExpiryTriggers shop = ExpiryTriggers.create(client, "shop",
        TriggersOptions.builder().maxAttempts(1).build());
    open.add(shop);
    shop.on("remind", t -> {
      if (failing.get() && t.identifier().startsWith("bad")) {
        throw new IllegalStateException("mailer down <b>" + t.identifier() + "</b>");
      }
      fired.add(t.identifier());
    }).start();
    shop.set("remind", "bad-1", Duration.ofMillis(10));
    shop.set("remind", "bad-2", Duration.ofMillis(10));
    await().atMost(Duration.ofSeconds(30)).until(() -> shop.deadLetterCount() == 2);
    shop.set("remind", "cart-17", Duration.ofMinutes(30));
    shop.set("remind", "cart-18", Duration.ofHours(2));
    // a tenant nobody fires: one trigger due five minutes ago (moved back in its due set)
    ExpiryTriggers idle = ExpiryTriggers.create(client, "idle");
    open.add(idle);
    idle.set("expire", "session-9", Duration.ofMinutes(1));
    String key = idle.key("expire", "session-9");
    long past = io.github.redisext.core.support.ServerTime.now(client, "x").toEpochMilli()
        - 300_000;
    for (int s = 0; s < TriggersOptions.DEFAULT_SHARDS; s++) {
      client.zadd("{idle:rx-triggers:" + s + "}:due", past, key,
          ZAddParams.zAddParams().xx());
    }
    logIn(driver);
    driver.get(url("/k/triggers?name=shop"));
    assertThat(figure(driver, "outstanding")).isEqualTo("" + shop.pendingCount()).isEqualTo("2");
    assertThat(figure(driver, "dead triggers")).isEqualTo("2");
    assertThat(text(driver, By.cssSelector("table.due"))).contains("cart-17").contains("cart-18");
    assertThat(text(driver, By.cssSelector("table.letters"))).contains("mailer down <b>bad-1</b>");
    failing.set(false);
    click(driver, letterButton("bad-1", "requeue"));
    await().atMost(Duration.ofSeconds(30)).until(() -> fired.contains("bad-1"));
    assertThat(text(driver, By.id("flash"))).isEqualTo("Requeued 1 dead letter.");
    click(driver, letterButton("bad-2", "purge"));
    driver.switchTo().alert().accept();
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.deadLetterCount() == 0);
    assertThat(fired).doesNotContain("bad-2");

    driver.get(url("/k/triggers?name=idle"));
    assertThat(figure(driver, "outstanding")).isEqualTo("1");
    assertThat(figure(driver, "due, not fired")).isEqualTo("1");
    assertThat(figure(driver, "late (> 1 min)")).isEqualTo("1");
    assertThat(text(driver, By.cssSelector("table.due"))).contains("late").contains("session-9");
    driver.get(url("/"));
    assertThat(text(driver, By.cssSelector("tr[data-id='triggers:idle'] td[data-col='depth']")))
        .isEqualTo("1");
    assertThat(driver.findElement(By.cssSelector("tr[data-id='triggers:idle']"))
        .getAttribute("class")).contains("att1");
  }

  // ------------------------------------------------------------------ events

  @Test
  void theEventsPageShowsSubscriptionsWithTheirPositionsAsInRedisAndPayloadsAsText()
      throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder());
    EventQueue<Map> q = EventQueue.create(client, "OrderPlaced", JsonCodec.of(Map.class),
        io.github.redisext.events.EventQueueOptions.defaults());
    open.add(q);
    for (int i = 1; i <= 3; i++) {
      q.publish(Map.of("order", i));
    }
    Set<Long> analytics = ConcurrentHashMap.newKeySet();
    try (Subscription a = q.subscribe("analytics", e -> analytics.add(e.id()),
        SubscriptionOptions.builder().start(StartPosition.OLDEST).build())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> analytics.size() == 3);
    }
    Set<Long> mailer = ConcurrentHashMap.newKeySet();
    Subscription m = q.subscribe("mailer", e -> mailer.add(e.id()),
        SubscriptionOptions.builder().start(StartPosition.OLDEST).build());
    open.add(m);
    q.publish(Map.of("order", 4, "note", "<script>window.pwned=1</script>"));
    q.publish(Map.of("order", 5));
    await().atMost(Duration.ofSeconds(20)).until(() -> mailer.size() == 5);
    List<SubscriberInfo> subs = q.searchSubscribers();
    await().atMost(Duration.ofSeconds(20)).until(() -> q.searchSubscribers().stream()
        .filter(s -> s.name().equals("mailer")).findFirst().orElseThrow().position() == 5);
    subs = q.searchSubscribers();

    driver.get(url("/k/events?name=OrderPlaced"));
    assertThat(figure(driver, "latest id")).isEqualTo("5");
    assertThat(figure(driver, "live events")).isEqualTo("" + q.count()).isEqualTo("5");
    assertThat(figure(driver, "subscriptions")).isEqualTo("2");
    for (SubscriberInfo s : subs) {
      String row = "tr[data-subscription='" + s.name() + "'] ";
      assertThat(text(driver, By.cssSelector(row + "td[data-col='position']")))
          .as(s.name()).isEqualTo("" + s.position());
      assertThat(text(driver, By.cssSelector(row + "td[data-col='backlog']")))
          .as(s.name()).isEqualTo("" + s.backlog());
      assertThat(text(driver, By.cssSelector(row + "td[data-col='missed']")))
          .as(s.name()).isEqualTo("" + s.missed());
    }
    assertThat(text(driver, By.cssSelector("tr[data-subscription='analytics'] "
        + "td[data-col='backlog']"))).isEqualTo("2");
    assertThat(figure(driver, "backlog")).isEqualTo("2");
    assertThat(text(driver, By.tagName("main"))).contains("<script>window.pwned=1</script>");
    assertThat(driver.findElements(By.cssSelector("main script"))).isEmpty();
    assertThat(driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
    Browser.screenshot("events.png", 1000);
  }
}
