package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;

/**
 * A real 伊那市 node with a patient's team (a doctor and a nurse), another team's doctor and patient,
 * and the steps of a family account: invitation, activation, login with password and TOTP.
 */
final class FamilyTestbed implements AutoCloseable {

  static final String FAMILY_PASSWORD = "sakura-no-hana-2026";

  final CareTestbed bed;
  final CareClient doctor;
  final CareClient nurse;
  final CareClient otherDoctor;
  final String patient;
  final String otherPatient;

  /** An activated family account: its login id and TOTP secret. */
  record Family(String accountId, String loginId, String secret) {}

  FamilyTestbed(Path dir) {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-family", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-family", "宮坂", "由美", "nurse", bed.nursingStation);
    otherDoctor = bed.professional("dr-elsewhere", "小松", "誠", "doctor", bed.clinic);
    patient = created(doctor.post("/api/v1/patients", CareApiTest.patient("伊藤", "トメ", "イトウ", "トメ", "1932-02-02")));
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
    assertThat(nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject()).status()).isIn(200, 204);
    otherPatient = created(otherDoctor.post("/api/v1/patients",
        CareApiTest.patient("別所", "ハル", "ベッショ", "ハル", "1940-04-04")));
  }

  static String created(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  static JsonObject invitation(String email, String relation) {
    return new JsonObject().put("email", email).put("name", "伊藤 花子").put("relation", relation)
        .put("consentBy", "本人（伊藤 トメ）").put("consentAt", "2026-12-01");
  }

  /** A team member invites, the family activates with the code, and gets its login id and TOTP secret. */
  Family invited(CareClient member, String patientId, String email) {
    CareClient.Reply invited = member.post("/api/v1/patients/" + patientId + "/family/invitations",
        invitation(email, "子"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    return activate(invited.json().getString("id"), invited.json().getString("activationCode"));
  }

  Family activate(String accountId, String code) {
    CareClient.Reply activated = anonymous().post("/api/v1/family/auth/activation",
        new JsonObject().put("code", code).put("password", FAMILY_PASSWORD));
    assertThat(activated.status()).as(activated.body()).isEqualTo(200);
    return new Family(accountId, activated.json().getString("loginId"), activated.json().getString("totpSecret"));
  }

  CareClient anonymous() {
    return new CareClient(bed.node, "anonymous").anonymous();
  }

  /** The current code of the family's authenticator app, {@code steps} time steps from now. */
  static String code(Family family, int steps) {
    return Totp.code(Totp.decode(family.secret()), Totp.step(Instant.now()) + steps, 6, "HmacSHA1");
  }

  CareClient.Reply login(CareClient client, Family family, String code) {
    return client.post("/api/v1/family/auth/login", new JsonObject().put("loginId", family.loginId())
        .put("password", FAMILY_PASSWORD).put("code", code));
  }

  /** A logged-in family client (each login uses a new time step: one ahead of the last). */
  CareClient loggedIn(Family family, int steps) {
    CareClient client = anonymous();
    CareClient.Reply reply = login(client, family, code(family, steps));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    client.useCsrf(reply.json().getString("csrfToken"));
    return client;
  }

  CareClient responder(String loginId) {
    AccountSeeder.Created created = bed.seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp",
        "消防", "一郎", "ショウボウ", "イチロウ", "ems_crew", Role.EMERGENCY_RESPONDER, Optional.empty()),
        CareTestbed.PASSWORD, "windows");
    CareClient client = new CareClient(bed.node, created.userId());
    client.login(loginId, CareTestbed.PASSWORD);
    return client;
  }

  @Override
  public void close() {
    bed.close();
  }
}
