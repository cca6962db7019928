package io.github.redisext.dashboard;

import io.github.redisext.testing.Backends;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium, for the browser tests. Uses the Debian packages
 * ({@code chromium}, {@code chromium-driver}); without them the tests are skipped with that reason,
 * and under {@code CI=true} they fail instead (CI must run them: {@code .ci/run} installs both).
 */
final class Browser {
  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium",
      "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVER = List.of("/usr/bin/chromedriver",
      "/usr/lib/chromium/chromedriver");
  private static ChromeDriver driver;

  private Browser() {}

  private static String find(List<String> candidates) {
    return candidates.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
  }

  /** The shared headless browser (started on first use, stopped at JVM exit). */
  static synchronized ChromeDriver get() {
    if (driver != null) {
      return driver;
    }
    String chromium = find(CHROMIUM);
    String chromedriver = find(DRIVER);
    if (chromium == null || chromedriver == null) {
      String why = "chromium and chromium-driver are not installed (apt-get install -y chromium "
          + "chromium-driver)";
      if (Backends.underCi()) {
        throw new IllegalStateException("CI=true but " + why + ": .ci/run installs them");
      }
      Assumptions.abort("SKIPPED browser test: " + why);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--disable-extensions", "--no-first-run", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (Browser.class) {
        if (driver != null) {
          driver.quit();
        }
      }
    }));
    return driver;
  }

  /**
   * Saves a screenshot of the current page, {@code height} px tall, to {@code
   * target/screenshots/<name>}, and to {@code docs/<name>} (the README's) when the build runs with
   * {@code -Ddashboard.docs=true}.
   */
  static Path screenshot(String name, int height) throws IOException {
    get().manage().window().setSize(new Dimension(1280, height));
    File shot = ((TakesScreenshot) get()).getScreenshotAs(OutputType.FILE);
    get().manage().window().setSize(new Dimension(1280, 900));
    Path target = Path.of("target", "screenshots", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("dashboard.docs")) {
      Path docs = Path.of("docs", name);
      Files.createDirectories(docs.getParent());
      Files.copy(shot.toPath(), docs, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
