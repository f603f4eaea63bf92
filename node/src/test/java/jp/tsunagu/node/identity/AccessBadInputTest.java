package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.keys.UserCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Every refusal of issue 4's bad-input list: a stable code, nothing changed, the node keeps serving. */
class AccessBadInputTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static AccountSeeder.Created adminA;
  static AccountSeeder.Created nurseA;
  static AccountSeeder.Created adminB;
  static AccountSeeder.Created nurseB;
  static AccountSeeder.Created expired;

  @BeforeAll
  static void start() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    fixture = new IdentityFixture(dir, false);
    String a = fixture.seeder.createFacility("伊那中央病院", "202096", "長野県", "hospital");
    String b = fixture.seeder.createFacility("高遠薬局", "202096", "長野県", "pharmacy");
    adminA = fixture.person("admin-a", Role.FACILITY_ADMIN, Optional.of(a));
    nurseA = fixture.person("nurse-a", Role.PROFESSIONAL, Optional.of(a));
    adminB = fixture.person("admin-b", Role.FACILITY_ADMIN, Optional.of(b));
    nurseB = fixture.person("nurse-b", Role.PROFESSIONAL, Optional.of(b));
    Instant now = Instant.now();
    expired = fixture.seeder.createUser(new AccountSeeder.Person("expired-1", "expired@ina.example.jp", "期限", "切子",
        "キゲン", "キリコ", "nurse", Role.PROFESSIONAL, Optional.of(a)), IdentityFixture.PASSWORD, "mac",
        now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1)));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  static String code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("code");
  }

  @Test
  void no_certificate_is_refused_before_the_password_is_looked_at() {
    HttpResponse<String> response = new IdentityClient(fixture.node).login("nurse-a", IdentityFixture.PASSWORD);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(code(response)).isEqualTo("auth.certificate_required");
  }

  @Test
  void an_expired_certificate_is_refused() {
    assertThat(code(fixture.clientWith(expired).login("expired-1", IdentityFixture.PASSWORD)))
        .isEqualTo("auth.certificate_expired");
  }

  @Test
  void another_users_certificate_is_refused() {
    assertThat(code(fixture.clientWith(nurseB).login("nurse-a", IdentityFixture.PASSWORD)))
        .isEqualTo("auth.certificate_not_yours");
  }

  @Test
  void a_certificate_of_another_nodes_ca_does_not_pass_the_handshake_and_the_node_keeps_serving() {
    UserCertificateAuthority other = UserCertificateAuthority.loadOrCreate(dir.resolve("other-ca"), "minowa");
    Instant now = Instant.now();
    UserCertificateAuthority.IssuedDevice foreign = other.issueDevice(nurseA.userId(), "minowa",
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)), "pw-123456".toCharArray());
    IdentityClient client = new IdentityClient(fixture.node, foreign.pkcs12(), "pw-123456");
    assertThatThrownBy(() -> client.login("nurse-a", IdentityFixture.PASSWORD))
        .isInstanceOf(IdentityClient.TlsRefused.class);
    assertThat(new IdentityClient(fixture.node).get("/api/v1/node").statusCode()).isEqualTo(200);
  }

  @Test
  void unknown_user_and_wrong_password_get_the_same_answer() {
    HttpResponse<String> wrong = fixture.clientWith(nurseA).login("nurse-a", "not-the-password-1");
    HttpResponse<String> unknown = fixture.clientWith(nurseA).login("nobody-here", IdentityFixture.PASSWORD);
    assertThat(wrong.statusCode()).isEqualTo(401).isEqualTo(unknown.statusCode());
    assertThat(code(wrong)).isEqualTo("auth.login_failed").isEqualTo(code(unknown));
    assertThat(new JsonObject(wrong.body()).getString("message"))
        .isEqualTo(new JsonObject(unknown.body()).getString("message"));
  }

  @Test
  void five_failures_lock_the_login_id_even_for_the_right_password() {
    AccountSeeder.Created target = fixture.person("lock-target", Role.PROFESSIONAL, Optional.empty());
    IdentityClient client = fixture.clientWith(target);
    long started = System.nanoTime();
    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      assertThat(code(client.login("lock-target", "wrong-password-" + i))).isEqualTo("auth.login_failed");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failures are answered ever more slowly")
        .isGreaterThan(Duration.ofMillis(250L * 15 - 100));
    HttpResponse<String> locked = client.login("lock-target", IdentityFixture.PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(code(locked)).isEqualTo("auth.locked");
  }

  @Test
  void a_tampered_session_cookie_is_refused() {
    IdentityClient client = fixture.loggedIn(nurseA, "nurse-a");
    String cookie = client.cookie(SessionCookies.SESSION);
    client.setCookie(SessionCookies.SESSION, cookie.substring(0, cookie.length() - 2) + "xx");
    HttpResponse<String> response = client.get("/api/v1/auth/me");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(code(response)).isEqualTo("auth.session_invalid");
  }

  @Test
  void a_session_cookie_replayed_after_logout_is_refused() {
    IdentityClient client = fixture.loggedIn(nurseA, "nurse-a");
    String cookie = client.cookie(SessionCookies.SESSION);
    assertThat(client.post("/api/v1/auth/logout", new JsonObject()).statusCode()).isEqualTo(204);
    IdentityClient replay = fixture.clientWith(nurseA);
    replay.setCookie(SessionCookies.SESSION, cookie);
    assertThat(code(replay.get("/api/v1/auth/me"))).isEqualTo("auth.session_invalid");
  }

  @Test
  void a_session_cookie_moved_to_a_connection_without_its_certificate_is_refused() {
    IdentityClient client = fixture.loggedIn(nurseA, "nurse-a");
    IdentityClient thief = new IdentityClient(fixture.node);
    thief.setCookie(SessionCookies.SESSION, client.cookie(SessionCookies.SESSION));
    assertThat(code(thief.get("/api/v1/auth/me"))).isEqualTo("auth.session_certificate_mismatch");
  }

  @Test
  void a_revoked_certificate_is_refused_at_once_on_an_open_session_without_a_restart() {
    AccountSeeder.Created nurse = fixture.person("revoke-me", Role.PROFESSIONAL, adminOf(adminA));
    IdentityClient session = fixture.loggedIn(nurse, "revoke-me");
    assertThat(session.get("/api/v1/auth/me").statusCode()).isEqualTo(200);
    IdentityClient admin = fixture.loggedIn(adminA, "admin-a");
    assertThat(admin.post("/api/v1/facility/certificates/" + nurse.certificateId() + "/revoke", new JsonObject())
        .statusCode()).isEqualTo(200);
    HttpResponse<String> after = session.get("/api/v1/auth/me");
    assertThat(after.statusCode()).isEqualTo(403);
    assertThat(code(after)).isEqualTo("auth.certificate_revoked");
    assertThat(code(fixture.clientWith(nurse).login("revoke-me", IdentityFixture.PASSWORD)))
        .isEqualTo("auth.certificate_revoked");
  }

  @Test
  void a_facility_administrator_gets_404_for_another_facilitys_users_and_certificates() throws Exception {
    IdentityClient admin = fixture.loggedIn(adminA, "admin-a");
    assertThat(admin.get("/api/v1/facility/staff/" + nurseA.userId() + "/certificates").statusCode()).isEqualTo(200);
    for (HttpResponse<String> response : List.of(
        admin.get("/api/v1/facility/staff/" + nurseB.userId() + "/certificates"),
        admin.post("/api/v1/facility/staff/" + nurseB.userId() + "/disable", new JsonObject()),
        admin.post("/api/v1/facility/staff/" + nurseB.userId() + "/reset-password", new JsonObject()),
        admin.post("/api/v1/facility/staff/" + nurseB.userId() + "/role", new JsonObject().put("role", "facility_admin")),
        admin.post("/api/v1/facility/staff/" + nurseB.userId() + "/certificates",
            new JsonObject().put("deviceType", "ios")),
        admin.post("/api/v1/facility/certificates/" + nurseB.certificateId() + "/revoke", new JsonObject()))) {
      assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(404);
    }
    assertThat(admin.get("/api/v1/facility/staff").body()).doesNotContain("nurse-b");
    assertThat(fixture.loggedIn(nurseB, "nurse-b").get("/api/v1/auth/me").statusCode())
        .as("nurse-b untouched: active, certificate valid").isEqualTo(200);
    assertThat(code(fixture.loggedIn(nurseA, "nurse-a").get("/api/v1/facility/staff")))
        .as("a professional is not an administrator").isEqualTo("auth.forbidden");
  }

  @Test
  void over_long_and_malformed_fields_are_refused_and_nothing_is_stored() throws Exception {
    IdentityClient client = new IdentityClient(fixture.node);
    long before = count("registration_applications");
    JsonObject good = RegistrationFlowTest.form("ok-login", "ok@example.jp");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("facilityName", "長".repeat(101)))))
        .isEqualTo("validation.too_long");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("email", "not-an-address"))))
        .isEqualTo("validation.malformed");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("familyKana", "かすが"))))
        .isEqualTo("validation.malformed");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("municipalityCode", "232017"))))
        .as("a municipality this node does not serve").isEqualTo("validation.malformed");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("profession", 42))))
        .as("a number where text belongs").isEqualTo("validation.not_text");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("emailConfirm", "other@example.jp"))))
        .isEqualTo("validation.email_mismatch");
    assertThat(code(client.post("/api/v1/registrations", good.copy().put("password", "short"))))
        .isEqualTo("validation.weak_password");
    assertThat(code(client.postRaw("/api/v1/registrations", "{\"facilityName\": [", client.csrf())))
        .isEqualTo("validation.malformed");
    assertThat(code(client.post("/api/v1/auth/login", new JsonObject().put("loginId", "x".repeat(65))
        .put("password", "y")))).isEqualTo("validation.too_long");
    assertThat(count("registration_applications")).isEqualTo(before);
  }

  @Test
  void every_state_changing_form_refuses_a_missing_or_wrong_csrf_token() throws Exception {
    IdentityClient staff = fixture.loggedIn(fixture.person("csrf-staff", Role.MUNICIPAL_STAFF, Optional.empty()),
        "csrf-staff");
    IdentityClient admin = fixture.loggedIn(adminA, "admin-a");
    long auditBefore = count("audit_log");
    List<String> anonymous = List.of("/api/v1/registration/confirm", "/api/v1/registrations", "/api/v1/auth/login",
        "/api/v1/certificates/download");
    List<String> asAdmin = List.of("/api/v1/facility/staff", "/api/v1/facility/staff/" + nurseA.userId() + "/disable",
        "/api/v1/facility/staff/" + nurseA.userId() + "/enable",
        "/api/v1/facility/staff/" + nurseA.userId() + "/reset-password",
        "/api/v1/facility/staff/" + nurseA.userId() + "/role",
        "/api/v1/facility/staff/" + nurseA.userId() + "/certificates",
        "/api/v1/facility/certificates/" + nurseA.certificateId() + "/revoke", "/api/v1/facility/withdrawal",
        "/api/v1/account/password", "/api/v1/account/certificates/" + adminA.certificateId() + "/revoke",
        "/api/v1/auth/logout");
    List<String> asStaff = List.of("/api/v1/municipal/registrations/x/approve", "/api/v1/municipal/registrations/x/reject");
    IdentityClient anon = new IdentityClient(fixture.node);
    anon.csrf();
    for (String path : anonymous) {
      assertCsrfRefused(anon, path);
    }
    for (String path : asAdmin) {
      assertCsrfRefused(admin, path);
    }
    for (String path : asStaff) {
      assertCsrfRefused(staff, path);
    }
    assertThat(count("audit_log")).as("nothing happened").isEqualTo(auditBefore);
    assertThat(admin.get("/api/v1/auth/me").statusCode()).as("the session survived").isEqualTo(200);
  }

  private static void assertCsrfRefused(IdentityClient client, String path) {
    for (String token : new String[] {null, "forged-token"}) {
      HttpResponse<String> response = client.postRaw(path, "{}", token);
      assertThat(response.statusCode()).as(path).isEqualTo(403);
      assertThat(code(response)).as(path).isEqualTo("csrf.invalid");
    }
  }

  @Test
  void no_password_retrieval_number_or_session_id_appears_in_the_audit_log_or_the_logs() throws Exception {
    AccountSeeder.Created nurse = fixture.person("secret-check", Role.PROFESSIONAL, Optional.empty());
    IdentityClient client = fixture.loggedIn(nurse, "secret-check");
    client.login("secret-check", "Wrong-Password-Guess-9");
    String session = client.cookie(SessionCookies.SESSION);
    List<String> secrets = List.of(IdentityFixture.PASSWORD, "Wrong-Password-Guess-9", nurse.retrievalNumber(),
        nurse.certificatePassword(), session);
    StringBuilder audit = new StringBuilder();
    try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("select * from audit_log")) {
      while (rs.next()) {
        for (int i = 1; i <= 9; i++) {
          audit.append(rs.getString(i)).append('\n');
        }
      }
    }
    assertThat(audit.toString()).contains("login.succeeded", "login.failed");
    String logText = String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    for (String secret : secrets) {
      assertThat(audit.toString()).doesNotContain(secret);
      assertThat(logText).doesNotContain(secret);
    }
    assertThatThrownBy(() -> new jp.tsunagu.node.audit.AuditEvent("x", "y", "z", "success",
        new JsonObject().put("newPassword", "p"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static Optional<String> adminOf(AccountSeeder.Created admin) {
    try (Connection c = connect(); var s = c.prepareStatement("select facility_id from users where id = ?")) {
      s.setString(1, admin.userId());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Optional.of(rs.getString(1));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long count(String table) throws Exception {
    try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + fixture.node.services().config().databaseFile());
  }
}
