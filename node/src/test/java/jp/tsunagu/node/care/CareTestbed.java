package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A real 伊那市 node in demo mode (password-only login from loopback, so tests and Chromium need no
 * device certificate) with two facilities, and logged-in clients for the people the tests create.
 */
public final class CareTestbed implements AutoCloseable {

  public static final String PASSWORD = "correct-horse-battery-9";

  public final TsunaguNode node;
  public final AccountSeeder seeder;
  public final String clinic;
  public final String nursingStation;

  private CareTestbed(TsunaguNode node) {
    this.node = node;
    this.seeder = new AccountSeeder(node.services());
    this.clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    this.nursingStation = seeder.createFacility("いな訪問看護ステーション", "202096", "長野県", "home_nursing");
  }

  public static CareTestbed start(Path dir) {
    return start(dir, new JsonObject());
  }

  /** With configuration keys added (e.g. a small upload limit). */
  public static CareTestbed start(Path dir, JsonObject extra) {
    JsonObject json = TestNodes.json("ina").mergeIn(extra, true);
    return new CareTestbed(TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir).asDemo()));
  }

  /** Creates a professional and logs them in. */
  public CareClient professional(String loginId, String family, String given, String profession, String facilityId) {
    return loggedIn(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "テスト", "タロウ",
        profession, Role.PROFESSIONAL, Optional.of(facilityId)));
  }

  /** Creates the clinic's doctor, 北原 健一, and logs them in. */
  public CareClient clinicDoctor(String loginId) {
    return professional(loginId, "北原", "健一", "doctor", clinic);
  }

  /** Registers a patient as {@code by} (the team's 主治医); the patient's id. */
  public static String registered(CareClient by, JsonObject patient) {
    CareClient.Reply created = by.post("/api/v1/patients", patient);
    if (created.status() != 201) {
      throw new AssertionError("patient not registered: " + created.status() + " " + created.body());
    }
    return created.json().getString("id");
  }

  /** Creates a professional with the name's kana (the order people are listed in) and logs them in. */
  public CareClient professional(String loginId, String family, String given, String familyKana, String givenKana,
      String profession, String facilityId) {
    return loggedIn(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, familyKana, givenKana,
        profession, Role.PROFESSIONAL, Optional.of(facilityId)));
  }

  /** Creates a member of the municipal staff (行政), who administers the node, and logs them in. */
  public CareClient municipalStaff(String loginId, String family, String given) {
    return loggedIn(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "テスト", "ハナコ",
        "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()));
  }

  private CareClient loggedIn(AccountSeeder.Person person) {
    AccountSeeder.Created created = seeder.createUser(person, PASSWORD, "windows");
    CareClient client = new CareClient(node, created.userId());
    client.login(person.loginId(), PASSWORD);
    return client;
  }

  /**
   * Logs in through the real login page and waits until the menu shows the entry of the user's
   * role (e.g. {@code patients} for professionals, {@code approvals} for municipal staff).
   */
  public void logIn(Browser browser, String loginId, String menuView) {
    logIn(browser, loginId, menuView, node.webUrl());
  }

  /** {@link #logIn(Browser, String, String)} at another address of the node (a proxy in front of it). */
  public void logIn(Browser browser, String loginId, String menuView, java.net.URI base) {
    browser.driver().get(base + "/#/login");
    // The shell may draw the login view again once it knows the node and the session: fill in
    // whichever form is there, again if it was replaced meanwhile.
    browser.waiting().ignoring(StaleElementReferenceException.class).until(driver -> {
      WebElement id = driver.findElement(By.id("f-loginId"));
      id.clear();
      id.sendKeys(loginId);
      WebElement password = driver.findElement(By.id("f-password"));
      password.clear();
      password.sendKeys(PASSWORD);
      driver.findElement(By.cssSelector("#login-form button")).click();
      return true;
    });
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li:not([hidden]) > a[data-view=" + menuView + "]")));
  }

  /** Logs a professional in and opens the patient's page, ready to post. */
  public void openPatient(Browser browser, String loginId, String patientId) {
    openPatient(browser, loginId, patientId, node.webUrl());
  }

  /** {@link #openPatient(Browser, String, String)} at another address of the node (a proxy in front of it). */
  public void openPatient(Browser browser, String loginId, String patientId, java.net.URI base) {
    logIn(browser, loginId, "patients", base);
    browser.driver().get(base + "/#/patient/" + patientId);
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
  }

  /** How many audit entries the node holds for this action on this target. */
  public long audited(String action, String target) throws Exception {
    return auditDetails(action, target).size();
  }

  /** The detail of each audit entry for this action on this target, oldest first. */
  public List<String> auditDetails(String action, String target) throws Exception {
    return node.services().database().submitRead(c -> {
      List<String> details = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select detail from audit_log where action = ? and target = ?"
          + " order by seq")) {
        s.setString(1, action);
        s.setString(2, target);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            details.add(rs.getString(1));
          }
        }
      }
      return details;
    }).get();
  }

  @Override
  public void close() {
    node.close();
  }
}
