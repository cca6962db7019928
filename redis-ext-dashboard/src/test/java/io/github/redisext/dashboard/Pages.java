package io.github.redisext.dashboard;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;

/** What the browser tests do on a dashboard page, written once. */
final class Pages {
  private Pages() {}

  /** Logs in with {@code token} and waits until the login page is left. */
  static void logIn(WebDriver driver, Dashboard dashboard, String token) {
    driver.get(dashboard.uri().resolve("/login").toString());
    driver.findElement(By.name("token")).sendKeys(token);
    driver.findElement(By.cssSelector("form.login button")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !driver.getCurrentUrl().contains("/login"));
  }

  /** The text of {@code by}, read again when the live refresh replaced the element meanwhile. */
  static String text(WebDriver driver, By by) {
    return await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> driver.findElement(by).getText(), t -> true);
  }

  /** Clicks {@code by}, found again when the live refresh replaced it meanwhile. */
  static void click(WebDriver driver, By by) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(
        StaleElementReferenceException.class).until(() -> {
          driver.findElement(by).click();
          return true;
        });
  }

  /** The value of the figure labelled {@code label}. */
  static String figure(WebDriver driver, String label) {
    return text(driver, By.cssSelector("[data-figure='" + label + "'] .value"));
  }
}
