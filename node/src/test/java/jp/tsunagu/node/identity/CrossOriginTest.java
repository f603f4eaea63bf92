package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State-changing requests that a browser marks as coming from another site are refused even with a
 * valid session and CSRF token (a real node over real TLS, logged in with certificate and password).
 */
class CrossOriginTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static IdentityClient staff;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    AccountSeeder.Created created = fixture.person("ina-soumu", Role.MUNICIPAL_STAFF, Optional.empty());
    staff = fixture.loggedIn(created, "ina-soumu");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static JsonObject account(String loginId) {
    return PrivilegedAccountsTest.account("emergency_responder", loginId).put("profession", "ems_crew");
  }

  private static long rows() {
    return TestSql.count(fixture.node, "select (select count(*) from users) + (select count(*) from audit_log)");
  }

  private static void assertRefused(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(body.getString("code")).isEqualTo("request.cross_origin");
    assertThat(response.body()).doesNotContain("ina-kyukyu").doesNotContain("evil");
  }

  @Test
  void a_state_changing_request_from_another_site_is_refused_with_its_token_and_changes_nothing() {
    long before = rows();
    String path = "/api/v1/municipal/accounts";
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-11"), "Sec-Fetch-Site", "cross-site"));
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-12"), "Sec-Fetch-Site", "same-site"));
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-13"), "Origin", "https://evil.example"));
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-14"), "Origin", "null"));
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-15"), "Origin",
        "https://127.0.0.1:" + (fixture.node.webPort() + 1)));
    // Sec-Fetch-Site, sent by every current browser, is what counts when both are there.
    assertRefused(staff.postWithHeaders(path, account("ina-kyukyu-16"), "Sec-Fetch-Site", "cross-site",
        "Origin", fixture.node.webUrl().toString()));
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void the_node_s_own_pages_and_clients_that_send_neither_header_keep_working_with_the_token() {
    String path = "/api/v1/municipal/accounts";
    assertThat(staff.postWithHeaders(path, account("ina-kyukyu-21"), "Sec-Fetch-Site", "same-origin",
        "Origin", fixture.node.webUrl().toString()).statusCode()).isEqualTo(201);
    assertThat(staff.postWithHeaders(path, account("ina-kyukyu-22"), "Origin", fixture.node.webUrl().toString())
        .statusCode()).isEqualTo(201);
    assertThat(staff.postWithHeaders(path, account("ina-kyukyu-23"), "Origin",
        "https://localhost:" + fixture.node.webPort()).statusCode()).isEqualTo(201);
    assertThat(staff.post(path, account("ina-kyukyu-24")).statusCode()).isEqualTo(201);
    // Without the token the CSRF check still refuses, whatever the origin headers say.
    HttpResponse<String> noToken = staff.postRaw(path, account("ina-kyukyu-25").encode(), null);
    assertThat(new JsonObject(noToken.body()).getString("code")).isEqualTo("csrf.invalid");
  }
}
