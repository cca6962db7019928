package io.github.redisext.dashboard;

import static io.github.redisext.dashboard.Pages.click;
import static io.github.redisext.dashboard.Pages.figure;
import static io.github.redisext.dashboard.Pages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.redisext.dashboard.Shop.Email;
import io.github.redisext.testing.BackendKind;
import io.github.redisext.testing.RedisBackend;
import io.github.redisext.testing.RedisBackends;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import redis.clients.jedis.UnifiedJedis;

/**
 * The dashboard in a real browser (headless Chromium through Selenium) against a real
 * redis-server seeded by each test. Screenshots go to {@code docs/} (shown in the README).
 */
@RedisBackends(BackendKind.STANDALONE)
class DashboardBrowserIT {
  private static final String TOKEN = "browser-test-token";
  private final RedisBackend redis;
  private Shop shop;
  private Dashboard dashboard;
  private UnifiedJedis client;

  DashboardBrowserIT(RedisBackend redis) {
    this.redis = redis;
  }

  @AfterEach
  void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close();
    }
    if (shop != null) {
      shop.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private ChromeDriver browserOn(DashboardOptions.Builder options) {
    ChromeDriver driver = Browser.get(); // skips (or fails under CI) before anything is started
    // a client of its own: the registry remembers per client what it announced (for an hour),
    // and the backend is flushed between tests
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

  private static String cell(WebDriver driver, String id, String col) {
    return text(driver, By.cssSelector("tr[data-id='" + id + "'] td[data-col='" + col + "']"));
  }

  @Test
  void theOverviewShowsTheFiguresThatAreInRedisWithFailuresFirst() throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder());
    shop = new Shop(client).deadLetters("bounce-1@example.com", "bounce-2@example.com",
        "bounce-3@example.com").rest(client);
    seedRates(client, "worker", "emails");
    seedRates(client, "debounce", "digest");
    driver.get(url("/"));
    assertThat(cell(driver, "worker:emails", "dead")).isEqualTo("3");
    assertThat(cell(driver, "worker:reports", "depth")).isEqualTo("7");
    assertThat(cell(driver, "worker:reports", "dead")).isEqualTo("0");
    assertThat(cell(driver, "debounce:digest", "depth")).isEqualTo("4");
    assertThat(cell(driver, "timers:timers_timeline", "depth")).isEqualTo("2");
    assertThat(cell(driver, "fastset:feature-flags", "depth")).isEqualTo("3");
    assertThat(cell(driver, "uniqueid:users", "depth")).isEqualTo("2");
    assertThat(cell(driver, "lock:billing", "depth")).isEqualTo("1");
    assertThat(cell(driver, "triggers:shop", "depth")).isEqualTo("3");
    assertThat(cell(driver, "events:OrderPlaced", "dead")).isEqualTo("0");
    assertThat(cell(driver, "streams:orders", "dead")).isEqualTo("0");
    // what needs attention comes first: dead letters, then a queue nobody consumes
    List<String> order = driver.findElements(By.cssSelector("table.overview tbody tr")).stream()
        .map(r -> r.getAttribute("data-id")).toList();
    assertThat(order.subList(0, 2)).containsExactly("worker:emails", "worker:reports");
    assertThat(figure(driver, "dead letters")).isEqualTo("3");
    assertThat(text(driver, By.tagName("header")))
        .contains("read-only").doesNotContain("@");
    Browser.screenshot("overview.png", 860);
  }

  @Test
  void requeueingADeadLetterInTheUiMakesTheRunningWorkerHandleIt() {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    shop = new Shop(client).deadLetters("bounce-a@example.com", "bounce-b@example.com");
    shop.failing.set(false); // the mail server is back
    logIn(driver);
    driver.get(url("/k/worker?name=emails"));
    click(driver, By.xpath("//table[contains(@class,'letters')]//tr[td[contains(.,"
        + "'bounce-a@example.com')]]//button[@data-action='requeue']"));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> shop.handled.contains("bounce-a@example.com"));
    assertThat(text(driver, By.id("flash"))).isEqualTo("Requeued 1 dead letter.");
    assertThat(shop.emails.deadLetterCount()).isEqualTo(1);
    assertThat(shop.handled).doesNotContain("bounce-b@example.com");
  }

  @Test
  void purgeInTheUiRemovesTheDeadLetterAfterConfirmation() {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    shop = new Shop(client).deadLetters("bounce-x@example.com", "bounce-y@example.com");
    logIn(driver);
    driver.get(url("/k/worker?name=emails"));
    click(driver, By.xpath("//table[contains(@class,'letters')]//tr[td[contains(.,"
        + "'bounce-x@example.com')]]//button[@data-action='purge']"));
    driver.switchTo().alert().accept();
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.emails.deadLetterCount() == 1);
    assertThat(text(driver, By.id("flash"))).isEqualTo("Purged 1 dead letter.");
    assertThat(text(driver, By.cssSelector("table.letters")))
        .doesNotContain("bounce-x@example.com").contains("bounce-y@example.com");
    assertThat(shop.emails.deadLetters(10)).extracting(d -> d.payload())
        .noneMatch(p -> p.contains("bounce-x"));
    click(driver, By.cssSelector("button[data-action='purge-all']"));
    driver.switchTo().alert().accept();
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.emails.deadLetterCount() == 0);
  }

  @Test
  void aScriptInAPayloadIsShownAsTextAndNeverRuns() {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    String evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">bounce";
    shop = new Shop(client).deadLetters(evil);
    logIn(driver);
    driver.get(url("/k/worker?name=emails"));
    assertThat(text(driver, By.cssSelector("table.letters td.payload")))
        .contains("<script>window.pwned=1</script>").contains("<img src=x onerror=");
    assertThat(driver.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertThat(text(driver, By.cssSelector("table.letters td.error"))).contains("<script>");
    assertThat(driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
    driver.get(url("/k/worker?name=" + java.net.URLEncoder.encode("<b>nope</b>",
        java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(text(driver, By.tagName("main"))).contains("<b>nope</b>");
  }

  @Test
  void aWriteWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    shop = new Shop(client).deadLetters("bounce-z@example.com");
    driver.get(url("/k/worker?name=emails"));
    assertThat(driver.findElements(By.cssSelector("button[data-action]"))).isEmpty();
    assertThat(text(driver, By.cssSelector("p.note"))).contains("Log in");
    HttpClient http = HttpClient.newHttpClient();
    String form = "name=emails&action=purge-all";
    HttpResponse<String> anonymous = http.send(post(form).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> wrongToken = http.send(post(form)
        .header("Authorization", "Bearer not-the-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    // a logged-in session without the form's CSRF token (what a forged cross-site form sends)
    logIn(driver);
    Cookie session = driver.manage().getCookieNamed("rxd_session");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    HttpResponse<String> noCsrf = http.send(post(form)
        .header("Cookie", "rxd_session=" + session.getValue()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    HttpResponse<String> crossSite = http.send(post(form + "&csrf=x")
        .header("Cookie", "rxd_session=" + session.getValue())
        .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(shop.emails.deadLetterCount()).isEqualTo(1);
    // the token itself, as a script would send it, works
    HttpResponse<String> scripted = http.send(post(form)
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scripted.statusCode()).isEqualTo(200);
    assertThat(scripted.body()).contains("\"count\":1");
    assertThat(shop.emails.deadLetterCount()).isZero();
  }

  @Test
  void aReadOnlyDashboardRefusesEveryWrite() throws Exception {
    browserOn(DashboardOptions.builder());
    shop = new Shop(client).deadLetters("bounce-r@example.com");
    HttpResponse<String> r = HttpClient.newHttpClient().send(post("name=emails&action=purge-all")
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("read-only");
    assertThat(shop.emails.deadLetterCount()).isEqualTo(1);
  }

  @Test
  void theQueuePageUpdatesItselfWhenTasksArePushedWhileItIsOpen() throws Exception {
    ChromeDriver driver = browserOn(DashboardOptions.builder().allowWrites(TOKEN));
    shop = new Shop(client).deadLetters("bounce-1@example.com", "bounce-2@example.com",
        "<script>alert(1)</script>@example.com bounce").rest(client);
    seedRates(client, "worker", "emails");
    logIn(driver);
    driver.get(url("/k/worker?name=reports"));
    assertThat(figure(driver, "waiting")).isEqualTo("7");
    for (int i = 0; i < 5; i++) {
      shop.reports.push(new Email("ops@example.com", "Weekly report " + i));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> figure(driver, "waiting").equals("12"));
    assertThat(driver.getCurrentUrl()).endsWith("/k/worker?name=reports"); // no reload
    driver.get(url("/k/worker?name=emails"));
    assertThat(figure(driver, "live workers")).isEqualTo("1");
    assertThat(figure(driver, "dead letters")).isEqualTo("3");
    Browser.screenshot("queue.png", 1260);
  }

  private HttpRequest.Builder post(String form) {
    return HttpRequest.newBuilder(URI.create(url("/k/worker/action")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  /** Three hours of per-minute counts, as a RateRecorder would have written them. */
  static void seedRates(UnifiedJedis client, String kind, String name) {
    long now = io.github.redisext.core.support.ServerTime.now(client, "x").getEpochSecond() / 60;
    java.util.Map<String, String> fields = new java.util.HashMap<>();
    for (int i = 0; i < 180; i++) {
      long m = now - 179 + i;
      long p = Math.round(120 + 80 * Math.sin(i / 14.0) + (i % 7) * 6);
      fields.put(m + ":p", Long.toString(p));
      if (i % 23 == 5 || i > 170) {
        fields.put(m + ":f", Long.toString(3 + i % 5));
      }
    }
    client.hset("redis-ext:rates:" + kind + ":" + name, fields);
  }
}
