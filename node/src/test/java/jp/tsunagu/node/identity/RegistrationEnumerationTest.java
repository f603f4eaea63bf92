package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 施設登録申請 does not tell anyone whether a login id or an address is taken (issue 15, item 2), on
 * a real node over real TLS: the confirmation and the submission answer every well-formed
 * application alike, municipal staff see the conflict and reject it with a reason mailed to the
 * applicant, and nothing of the existing account (its lockout included) is touched.
 */
class RegistrationEnumerationTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static AccountSeeder.Created staff;
  static AccountSeeder.Created existing;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    staff = fixture.person("ina-kenkou-enum", Role.MUNICIPAL_STAFF, Optional.empty());
    String facility = fixture.seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    existing = fixture.person("ina-kitahara", Role.PROFESSIONAL, Optional.of(facility));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** The answer without what the applicant typed for login id and address. */
  private static JsonObject withoutIdentifiers(HttpResponse<String> response) {
    JsonObject json = new JsonObject(response.body());
    List.of("loginId", "email", "emailConfirm").forEach(json::remove);
    return json;
  }

  @Test
  void the_confirmation_answers_alike_whether_the_login_id_or_the_address_is_taken_and_stores_nothing() {
    IdentityClient anonymous = new IdentityClient(fixture.node);
    Map<String, Long> before = TestSql.rowCounts(fixture.node);
    List<Long> audited = List.of((long) fixture.audit("registration.submitted").size());
    HttpResponse<String> fresh = anonymous.post("/api/v1/registration/confirm",
        RegistrationFlowTest.form("ina-new-kango", "new-kango@example.jp"));
    assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
    for (JsonObject form : List.of(RegistrationFlowTest.form("ina-kitahara", "someone@example.jp"),
        RegistrationFlowTest.form("ina-someone", "ina-kitahara@ina.example.jp"),
        RegistrationFlowTest.form("ina-kitahara", "ina-kitahara@ina.example.jp"))) {
      HttpResponse<String> taken = anonymous.post("/api/v1/registration/confirm", form);
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
      assertThat(withoutIdentifiers(taken)).isEqualTo(withoutIdentifiers(fresh));
      assertThat(taken.body()).doesNotContain("duplicate", "すでに", existing.userId());
    }
    assertThat(TestSql.rowCounts(fixture.node)).isEqualTo(before);
    assertThat((long) fixture.audit("registration.submitted").size()).isEqualTo(audited.get(0));
  }

  @Test
  void a_submission_with_a_taken_login_id_is_taken_like_any_other_and_staff_reject_it_with_a_mailed_reason()
      throws Exception {
    IdentityClient anonymous = new IdentityClient(fixture.node);
    long failures = TestSql.count(fixture.node, "select count(*) from login_failures");
    HttpResponse<String> taken = null;
    for (int i = 0; i < 6; i++) {
      taken = anonymous.post("/api/v1/registrations",
          RegistrationFlowTest.form("ina-kitahara", "kitahara-" + i + "@example.jp")
              .put("password", "wrong-pass-" + i));
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
      assertThat(new JsonObject(taken.body()).fieldNames()).containsExactlyInAnyOrder("id", "status");
    }
    HttpResponse<String> fresh = anonymous.post("/api/v1/registrations",
        RegistrationFlowTest.form("ina-fresh-yakkyoku", "fresh-yakkyoku@example.jp"));
    assertThat(fresh.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(fresh.body()).fieldNames()).isEqualTo(new JsonObject(taken.body()).fieldNames());
    assertThat(TestSql.count(fixture.node, "select count(*) from login_failures")).as("no lockout is touched")
        .isEqualTo(failures);
    fixture.loggedIn(existing, "ina-kitahara");

    String takenId = new JsonObject(taken.body()).getString("id");
    String freshId = new JsonObject(fresh.body()).getString("id");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-kenkou-enum");
    JsonArray pending = new JsonObject(municipal.get("/api/v1/municipal/registrations").body())
        .getJsonArray("registrations");
    assertThat(conflicts(pending, takenId)).containsExactly("loginId");
    assertThat(conflicts(pending, freshId)).isEmpty();

    Map<String, Long> before = TestSql.rowCounts(fixture.node);
    HttpResponse<String> approval = municipal.post("/api/v1/municipal/registrations/" + takenId + "/approve",
        new JsonObject());
    assertThat(approval.statusCode()).isEqualTo(409);
    assertThat(RegistrationFlowTest.code(approval)).isEqualTo("registration.duplicate_login_id");
    assertThat(TestSql.rowCounts(fixture.node)).isEqualTo(before);
    assertThat(municipal.post("/api/v1/municipal/registrations/" + takenId + "/reject",
        new JsonObject().put("reason", "このログインIDは使えません。別のログインIDで申請してください。")).statusCode())
        .isEqualTo(200);
    assertThat(fixture.mailsTo("kitahara-5@example.jp").stream().map(RegistrationFlowTest::body).toList())
        .anyMatch(b -> b.contains("別のログインIDで申請してください"));
    assertThat(fixture.mailsTo("ina-kitahara@ina.example.jp")).isEmpty();
    fixture.loggedIn(existing, "ina-kitahara");
  }

  private static List<Object> conflicts(JsonArray registrations, String id) {
    return registrations.stream().map(JsonObject.class::cast).filter(r -> r.getString("id").equals(id)).findFirst()
        .orElseThrow().getJsonArray("conflicts").getList();
  }
}
