package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} on the identity feature's creates, on a real node over real TLS: a
 * 施設登録申請 sent twice by one browser is one application (an anonymous browser is told apart by
 * its CSRF cookie), and a staff account whose answer carries initial credentials is made once while
 * its retry learns only that it was done.
 */
class IdentityIdempotencyTest {

  @TempDir
  static Path dir;
  static IdentityFixture fixture;
  static AccountSeeder.Created admin;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    String facility = fixture.seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "home_nursing");
    admin = fixture.person("ina-admin-idem", Role.FACILITY_ADMIN, Optional.of(facility));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void an_application_sent_twice_with_one_key_is_one_application_and_another_browser_has_keys_of_its_own() {
    String key = UUID.randomUUID().toString();
    JsonObject form = RegistrationFlowTest.form("ina-idem-kango", "idem-kango@example.jp");
    IdentityClient browser = new IdentityClient(fixture.node);
    IdentityClient otherBrowser = new IdentityClient(fixture.node);

    HttpResponse<String> first = browser.postWithHeaders("/api/v1/registrations", form, "Idempotency-Key", key);
    HttpResponse<String> retry = browser.postWithHeaders("/api/v1/registrations", form, "Idempotency-Key", key);
    HttpResponse<String> other = otherBrowser.postWithHeaders("/api/v1/registrations", form, "Idempotency-Key", key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(other.statusCode()).isEqualTo(201);
    assertThat(other.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(TestSql.count(fixture.node, "select count(*) from registration_applications where login_id = ?",
        "ina-idem-kango")).isEqualTo(2);
  }

  @Test
  void a_staff_account_is_made_once_and_its_credentials_are_never_shown_to_a_retry() {
    IdentityClient facilityAdmin = fixture.loggedIn(admin, "ina-admin-idem");
    String key = UUID.randomUUID().toString();
    JsonObject staff = new JsonObject().put("loginId", "ina-idem-nurse").put("email", "idem-nurse@example.jp")
        .put("familyName", "宮坂").put("givenName", "由美").put("familyKana", "ミヤサカ").put("givenKana", "ユミ")
        .put("profession", "nurse").put("role", "professional").put("deviceType", "windows");

    HttpResponse<String> first = facilityAdmin.postWithHeaders("/api/v1/facility/staff", staff, "Idempotency-Key", key);
    HttpResponse<String> retry = facilityAdmin.postWithHeaders("/api/v1/facility/staff", staff, "Idempotency-Key", key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(retry.body()).getString("code")).isEqualTo("idempotency.completed");
    assertThat(retry.body()).doesNotContain("ina-idem-nurse");
    assertThat(TestSql.count(fixture.node, "select count(*) from users where login_id = 'ina-idem-nurse'"))
        .isEqualTo(1);
    assertThat(TestSql.count(fixture.node, "select count(*) from idempotency_keys where request_key = ?"
        + " and answer_body is null and answer_kept = 0", key)).isEqualTo(1);
  }

  @Test
  void an_application_and_a_withdrawal_are_answered_again_after_their_answers_kept_afterwards_were_lost() {
    String facility = fixture.seeder.createFacility("伊那東訪問看護ステーション", "202096", "長野県", "home_nursing");
    IdentityClient leaving = fixture.loggedIn(fixture.person("ina-admin-kept", Role.FACILITY_ADMIN,
        Optional.of(facility)), "ina-admin-kept");
    IdentityClient browser = new IdentityClient(fixture.node);
    JsonObject form = RegistrationFlowTest.form("ina-kept-kango", "kept-kango@example.jp");
    JsonObject withdrawal = new JsonObject().put("reason", "事業所を閉じるため");
    String applicationKey = UUID.randomUUID().toString();
    String withdrawalKey = UUID.randomUUID().toString();
    HttpResponse<String> application;
    HttpResponse<String> applicationAgain;
    HttpResponse<String> withdrawn;
    HttpResponse<String> withdrawnAgain;

    try (LostAnswers lost = LostAnswers.on(fixture.node)) {
      application = browser.postWithHeaders("/api/v1/registrations", form, "Idempotency-Key", applicationKey);
      applicationAgain = browser.postWithHeaders("/api/v1/registrations", form, "Idempotency-Key", applicationKey);
      withdrawn = leaving.postWithHeaders("/api/v1/facility/withdrawal", withdrawal, "Idempotency-Key", withdrawalKey);
      withdrawnAgain = leaving.postWithHeaders("/api/v1/facility/withdrawal", withdrawal, "Idempotency-Key",
          withdrawalKey);
    }

    assertReplayed(application, applicationAgain);
    assertReplayed(withdrawn, withdrawnAgain);
    assertThat(TestSql.count(fixture.node, "select count(*) from registration_applications where login_id = ?",
        "ina-kept-kango")).isEqualTo(1);
  }

  private static void assertReplayed(HttpResponse<String> first, HttpResponse<String> retry) {
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
  }
}
