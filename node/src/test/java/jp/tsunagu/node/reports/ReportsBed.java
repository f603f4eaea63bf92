package jp.tsunagu.node.reports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 node with one account of each role logged in, and a month of real use through the API:
 * a patient registered by a nurse, a care manager invited, a note with a photo, a comment, and the
 * care manager's read of the timeline.
 */
final class ReportsBed implements AutoCloseable {

  static final String PASSWORD = "Ina-report-2026!";
  static final String PATIENT_FAMILY = "春日";

  final TsunaguNode node;
  final CareClient staff;
  final CareClient nurse;
  final CareClient careManager;
  final CareClient facilityAdmin;
  final CareClient responder;
  final CareClient watch;
  final String patientId;

  ReportsBed(Path dir) {
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina"), dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那レポート訪問看護ステーション", "202096", "長野県", "訪問看護");
    staff = client(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    nurse = client(seeder, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(facility));
    careManager = client(seeder, "ina-caremane", Role.PROFESSIONAL, "care_manager", Optional.of(facility));
    facilityAdmin = client(seeder, "ina-shisetsu", Role.FACILITY_ADMIN, "nurse", Optional.of(facility));
    responder = client(seeder, "ina-kyukyu", Role.EMERGENCY_RESPONDER, "ems_crew", Optional.empty());
    watch = client(seeder, "ina-mimamori", Role.WATCH_CENTRE, "municipal_staff", Optional.empty());
    patientId = created(nurse.post("/api/v1/patients", patient()));
    created(nurse.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー")));
    careManager.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    String photo = created(nurse.upload(jp.tsunagu.node.care.attachments.AttachmentTest.png(40, 30), "褥瘡.png", "image/png"));
    String post = created(nurse.post("/api/v1/patients/" + patientId + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "春日さん、食欲が戻りました").put("attachments", new JsonArray().add(photo))));
    created(careManager.post("/api/v1/posts/" + post + "/comments", new JsonObject().put("body", "承知しました")));
    careManager.post("/api/v1/patients/" + patientId + "/reads", new JsonObject().put("postIds", new JsonArray().add(post)));
  }

  static JsonObject patient() {
    return new JsonObject().put("familyName", PATIENT_FAMILY).put("givenName", "八重").put("familyKana", "カスガ")
        .put("givenKana", "ヤエ").put("birthDate", "1938-04-02").put("sex", "female").put("address", "伊那市西箕輪3000-1")
        .put("municipalityCode", "202096").put("phone", "0265-72-0001").put("familyDoctor", "").put("careLevel", "要介護1")
        .put("emergencyContacts", "").put("acpNotes", "").put("remarks", "").put("teamRole", "訪問看護");
  }

  private static String created(CareClient.Reply reply) {
    if (reply.status() != 201 && reply.status() != 200) {
      throw new AssertionError("refused: " + reply);
    }
    return reply.json().getString("id");
  }

  /** Every role but 行政. */
  Map<String, CareClient> notStaff() {
    return Map.of("professional", nurse, "facility_admin", facilityAdmin, "emergency_responder", responder,
        "watch_centre", watch);
  }

  private CareClient client(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility) {
    String id = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "太郎", "イナ",
        "タロウ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

  @Override
  public void close() {
    node.close();
  }
}
