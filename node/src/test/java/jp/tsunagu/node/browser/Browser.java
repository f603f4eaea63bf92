package jp.tsunagu.node.browser;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by Debian's chromedriver, headless, with a fresh profile. Paths can be
 * changed with {@code TSUNAGU_CHROMIUM} and {@code TSUNAGU_CHROMEDRIVER}. No browser or driver is
 * ever downloaded.
 *
 * <p>{@link #withCertificate} gives the browser a device certificate as a person's browser has
 * one: imported into an NSS database under the browser's own home directory ({@code certutil} and
 * {@code pk12util} from Debian's {@code libnss3-tools}), which Chromium on Linux reads as the
 * user's certificate store. Chromium would ask which certificate to present, and headless it has
 * nobody to ask; the profile's content setting {@code auto_select_certificate} (what the
 * {@code AutoSelectCertificateForUrls} policy sets, here in the profile instead of a managed
 * policy file, so no root is needed) makes it present that one certificate to that one site.
 */
public final class Browser implements AutoCloseable {

  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension DESKTOP = new Dimension(1280, 900);

  /** A device certificate (PKCS#12) for one site, chosen by its subject's common name. */
  public record ClientCertificate(byte[] pkcs12, String password, URI site, String subjectCommonName) {}

  private final ChromeDriver driver;
  private final Path profile;

  public Browser(Dimension size) {
    this(size, Optional.empty());
  }

  /** A browser that presents {@code certificate} to its site whenever the site asks for one. */
  public static Browser withCertificate(Dimension size, ClientCertificate certificate) {
    return new Browser(size, Optional.of(certificate));
  }

  private Browser(Dimension size, Optional<ClientCertificate> certificate) {
    try {
      profile = Files.createTempDirectory("tsunagu-chromium-");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Path home = profile.resolve("home");
    certificate.ifPresent(c -> install(c, home));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(env("TSUNAGU_CHROMIUM", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--lang=ja-JP", "--user-data-dir=" + profile.resolve("data"),
        "--window-size=" + size.getWidth() + "," + size.getHeight());
    // The nodes' certificates are their own, not from a public CA: tests check TLS with Java clients.
    options.setAcceptInsecureCerts(true);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(env("TSUNAGU_CHROMEDRIVER", "/usr/bin/chromedriver")))
        .usingAnyFreePort()
        // Chromium finds the user's NSS database under $HOME/.pki/nssdb: an empty one without a certificate.
        .withEnvironment(Map.of("HOME", home.toString()))
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(size);
  }

  /** The NSS database with the certificate, and the profile setting that selects it for its site. */
  private void install(ClientCertificate certificate, Path home) {
    try {
      Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
      Path p12 = profile.resolve("device.p12");
      Path password = profile.resolve("device.pass");
      Files.write(p12, certificate.pkcs12());
      Files.writeString(password, certificate.password());
      run("certutil", "-N", "-d", "sql:" + nssdb, "--empty-password");
      run("pk12util", "-i", p12.toString(), "-d", "sql:" + nssdb, "-w", password.toString());
      Files.delete(p12);
      Files.delete(password);
      String origin = certificate.site().getScheme() + "://" + certificate.site().getHost() + ":"
          + certificate.site().getPort();
      String preferences = """
          {"profile": {"content_settings": {"exceptions": {"auto_select_certificate": {
            "%s,*": {"setting": {"filters": [{"SUBJECT": {"CN": "%s"}}]}}}}}}}
          """.formatted(origin, certificate.subjectCommonName());
      Files.writeString(Files.createDirectories(profile.resolve("data/Default")).resolve("Preferences"), preferences,
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot prepare the browser's certificate store", e);
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (install libnss3-tools): " + output);
      }
    } catch (IOException e) {
      throw new AssertionError(command[0] + " is missing: install Debian's libnss3-tools", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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

  /**
   * The attribute {@code name} of the element {@code locator} finds once it is there (a non-empty value), found
   * again when the page re-renders it between the find and the read (a live timeline redraws its posts).
   */
  public String attribute(org.openqa.selenium.By locator, String name) {
    return waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class).until(d -> {
          String value = d.findElement(locator).getAttribute(name);
          return value == null || value.isEmpty() ? null : value;
        });
  }

  /** Saves a screenshot under target/screenshots for a person to look at. */
  public void screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
