package jp.tsunagu.node.identity;

import static jp.tsunagu.node.identity.RegistrationFlowTest.body;
import static jp.tsunagu.node.identity.RegistrationFlowTest.code;
import static jp.tsunagu.node.identity.RegistrationFlowTest.subject;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 利用廃止申請 decided by municipal staff on a real node with real device certificates: approval
 * ends the facility's sessions and certificates at once and its users can no longer log in;
 * rejection leaves everything as it was.
 */
class WithdrawalDecisionTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static AccountSeeder.Created staff;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    staff = fixture.person("ina-fukushi", Role.MUNICIPAL_STAFF, Optional.empty());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String withdraw(IdentityClient admin, String reason) {
    HttpResponse<String> applied = admin.post("/api/v1/facility/withdrawal", new JsonObject().put("reason", reason));
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
    return new JsonObject(applied.body()).getString("id");
  }

  @Test
  void approval_disables_the_facility_ends_its_sessions_and_certificates_at_once_and_mails_its_administrator() {
    String facility = fixture.seeder.createFacility("伊那みどり薬局", "202096", "長野県", "pharmacy");
    AccountSeeder.Created admin = fixture.person("midori-kanri", Role.FACILITY_ADMIN, Optional.of(facility));
    AccountSeeder.Created pharmacist = fixture.person("midori-yaku", Role.PROFESSIONAL, Optional.of(facility));
    IdentityClient adminClient = fixture.loggedIn(admin, "midori-kanri");
    IdentityClient pharmacistClient = fixture.loggedIn(pharmacist, "midori-yaku");
    String id = withdraw(adminClient, "薬局の閉局により利用を終了します。");
    assertThat(code(adminClient.post("/api/v1/facility/withdrawal", new JsonObject().put("reason", "もう一度"))))
        .isEqualTo("facility.withdrawal_pending");
    assertThat(code(pharmacistClient.post("/api/v1/municipal/withdrawals/" + id + "/approve", new JsonObject())))
        .as("only municipal staff decide").isEqualTo("auth.forbidden");

    IdentityClient municipal = fixture.loggedIn(staff, "ina-fukushi");
    assertThat(municipal.get("/api/v1/municipal/withdrawals").body()).contains(id, "伊那みどり薬局", "閉局");
    JsonObject approved = new JsonObject(municipal.post("/api/v1/municipal/withdrawals/" + id + "/approve",
        new JsonObject()).body());
    assertThat(approved.getString("status")).isEqualTo("approved");
    assertThat(approved.getInteger("usersDisabled")).isEqualTo(2);
    assertThat(approved.getInteger("certificatesRevoked")).isEqualTo(2);
    assertThat(approved.getBoolean("mailSent")).isTrue();

    assertThat(code(pharmacistClient.get("/api/v1/auth/me")))
        .as("an open session ends with its certificate, on the next request").isEqualTo("auth.certificate_revoked");
    assertThat(code(adminClient.get("/api/v1/facility/staff"))).isEqualTo("auth.certificate_revoked");
    assertThat(code(fixture.clientWith(pharmacist).login("midori-yaku", IdentityFixture.PASSWORD)))
        .as("a new connection with the revoked certificate cannot log in").isEqualTo("auth.certificate_revoked");
    List<User> users = fixture.node.services().database().submitRead(c -> UserStore.ofFacility(c, facility)).join();
    assertThat(users).hasSize(2).noneMatch(User::active);
    assertThat(fixture.node.services().database().submitRead(c -> UserStore.facilityName(c, facility)).join())
        .hasValue("伊那みどり薬局|withdrawn");
    assertThat(fixture.node.services().database().submitRead(c -> UserStore.exists(c,
        "select 1 from sessions where user_id in (?, ?)", admin.userId(), pharmacist.userId())).join())
        .as("their sessions are gone from the server").isFalse();
    assertThat(fixture.mailsTo("midori-kanri@ina.example.jp")).singleElement()
        .satisfies(m -> assertThat(subject(m)).contains("利用廃止申請承認"));
    assertThat(fixture.audit("facility.withdrawal_approved")).singleElement()
        .satisfies(row -> assertThat(row).startsWith(staff.userId() + " facility:" + facility));
    assertThat(fixture.audit("certificate.revoked")).filteredOn(r -> r.contains("facility_withdrawn")).hasSize(2);
    assertThat(code(municipal.post("/api/v1/municipal/withdrawals/" + id + "/approve", new JsonObject())))
        .isEqualTo("facility_withdrawal.not_found");
  }

  @Test
  void a_rejected_withdrawal_keeps_the_facility_active_mails_the_reason_and_lets_it_apply_again() {
    String facility = fixture.seeder.createFacility("伊那ひまわり居宅介護支援事業所", "202096", "長野県", "care_management");
    AccountSeeder.Created admin = fixture.person("himawari-kanri", Role.FACILITY_ADMIN, Optional.of(facility));
    IdentityClient adminClient = fixture.loggedIn(admin, "himawari-kanri");
    String id = withdraw(adminClient, "法人統合のため");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-fukushi");
    assertThat(code(municipal.post("/api/v1/municipal/withdrawals/" + id + "/reject", new JsonObject())))
        .isEqualTo("validation.required");
    JsonObject rejected = new JsonObject(municipal.post("/api/v1/municipal/withdrawals/" + id + "/reject",
        new JsonObject().put("reason", "担当の利用者がまだ残っています。")).body());
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(new JsonObject(adminClient.get("/api/v1/auth/me").body()).getJsonObject("user")
        .getString("facilityStatus")).isEqualTo("active");
    assertThat(fixture.mailsTo("himawari-kanri@ina.example.jp")).singleElement()
        .satisfies(m -> assertThat(body(m)).contains("担当の利用者がまだ残っています。"));
    assertThat(fixture.audit("facility.withdrawal_rejected")).hasSize(1);
    withdraw(adminClient, "法人統合が完了したため");
    assertThat(code(municipal.post("/api/v1/municipal/withdrawals/" + id + "/approve", new JsonObject())))
        .as("a decided application cannot be decided again").isEqualTo("facility_withdrawal.not_found");
  }
}
