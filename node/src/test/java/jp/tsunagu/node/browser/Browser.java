package jp.tsunagu.node.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by Debian's chromedriver, headless, with a fresh profile. Paths can be
 * changed with {@code TSUNAGU_CHROMIUM} and {@code TSUNAGU_CHROMEDRIVER}. No browser or driver is
 * ever downloaded.
 */
public final class Browser implements AutoCloseable {

  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension DESKTOP = new Dimension(1280, 900);

  private final ChromeDriver driver;
  private final Path profile;

  public Browser(Dimension size) {
    try {
      profile = Files.createTempDirectory("tsunagu-chromium-");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(env("TSUNAGU_CHROMIUM", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--lang=ja-JP", "--user-data-dir=" + profile,
        "--window-size=" + size.getWidth() + "," + size.getHeight());
    // The nodes' certificates are their own, not from a public CA: tests check TLS with Java clients.
    options.setAcceptInsecureCerts(true);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(env("TSUNAGU_CHROMEDRIVER", "/usr/bin/chromedriver")))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(size);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  public ChromeDriver driver() {
    return driver;
  }

  public WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  /** Saves a screenshot under target/screenshots for a person to look at. */
  public void screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
