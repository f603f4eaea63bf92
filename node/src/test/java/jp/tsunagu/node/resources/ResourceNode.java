package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 demo node with a municipal staff member (行政) and a nurse logged in, and
 * helpers that register resources the way staff do, through the API.
 */
final class ResourceNode implements AutoCloseable {

  static final String PASSWORD = "Ina-chiiki-2025!";

  final TsunaguNode node;
  final String facility;
  final SessionClient staff;
  final SessionClient nurse;

  ResourceNode(Path dir) {
    this(dir, TestNodes.json("ina"));
  }

  /** With a configuration changed by the test (e.g. the geocoder pointed at a stand-in). */
  ResourceNode(Path dir, JsonObject config) {
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "訪問看護");
    seeder.createUser(new AccountSeeder.Person("ina-gyosei", "gyosei@ina.example.jp", "伊那", "太郎", "イナ", "タロウ",
        "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()), PASSWORD, "windows");
    seeder.createUser(new AccountSeeder.Person("ina-kango", "kango@ina.example.jp", "高遠", "花子", "タカトオ", "ハナコ",
        "nurse", Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    staff = new SessionClient(node).login("ina-gyosei", PASSWORD);
    nurse = new SessionClient(node).login("ina-kango", PASSWORD);
  }

  /** Another professional of the fixture's facility, logged in; returns their client and user id. */
  Professional professional(String loginId, String family, String given, String profession) {
    AccountSeeder.Created created = new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId,
        loginId + "@ina.example.jp", family, given, "テスト", "タロウ", profession, Role.PROFESSIONAL,
        Optional.of(facility)), PASSWORD, "windows");
    return new Professional(new SessionClient(node).login(loginId, PASSWORD), created.userId());
  }

  /** A logged-in professional and their user id (for invitations). */
  record Professional(SessionClient client, String userId) {}

  /** Registers a patient of 伊那市 through the care API, with {@code doctor} as 主治医; returns the id. */
  static String registerPatient(Professional doctor, String family, String given, String address) {
    var created = doctor.client().postJson("/api/v1/patients", new JsonObject().put("familyName", family)
        .put("givenName", given).put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", "1931-05-12")
        .put("sex", "female").put("address", address).put("municipalityCode", "202096")
        .put("phone", "0265-94-0000").put("familyDoctor", "北原 健一").put("careLevel", "要介護2")
        .put("emergencyContacts", "長男 090-0000-0000").put("acpNotes", "").put("remarks", "").put("teamRole", "主治医"));
    if (created.statusCode() != 201) {
      throw new AssertionError("patient registration failed: " + created.body());
    }
    return new JsonObject(created.body()).getString("id");
  }

  /** {@code member} joins the patient's team: invited by the doctor, then accepting. */
  static void joinTeam(Professional doctor, String patient, Professional member, String teamRole) {
    doctor.client().postJson("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", member.userId()).put("teamRole", teamRole));
    var accepted = member.client().postJson("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    if (accepted.statusCode() != 204) {
      throw new AssertionError("joining the team failed: " + accepted.body());
    }
  }

  /** A 通いの場 at the given point in 伊那市. */
  static JsonObject salon(String name, double lat, double lon) {
    return new JsonObject().put("name", name).put("nameKana", "サロン").put("category", "通いの場")
        .put("subCategory", "サロン").put("tags", new io.vertx.core.json.JsonArray().add("室内").add("おしゃべり"))
        .put("municipalityCode", "202096").put("address", "伊那市荒井").put("latitude", lat).put("longitude", lon)
        .put("phone", "0265-78-4111").put("description", "地域のみなさんが集まってお茶を飲みながらおしゃべりする場です。")
        .put("scheduleRules", "weekly:thu@10:00-12:00").put("fee", "100円（お茶代）");
  }

  /** Creates through the staff API; returns the new id. */
  String create(JsonObject resource, boolean published) {
    var response = staff.postJson("/api/v1/staff/resources", resource.copy().put("published", published));
    if (response.statusCode() != 201) {
      throw new AssertionError("create failed: " + response.body());
    }
    return new JsonObject(response.body()).getString("id");
  }

  @Override
  public void close() {
    node.close();
  }
}
