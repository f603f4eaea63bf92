package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 node with a visiting nurse and a doctor of one facility, a nurse of another facility
 * who is in no team, 行政 and a facility administrator, each logged in; and a patient of the nurse's
 * team with the doctor invited in.
 */
final class VaccinationNode implements AutoCloseable {

  static final String PASSWORD = "Ina-sesshu-2026!";

  final TsunaguNode node;
  final VaccinationClient nurse;
  final VaccinationClient outsider;
  final VaccinationClient staff;

  VaccinationNode(Path dir) {
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina"), dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String station = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "訪問看護");
    String other = seeder.createFacility("美篶診療所", "202096", "長野県", "診療所");
    account(seeder, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(station), "春日", "ミサ");
    account(seeder, "ina-hoka", Role.PROFESSIONAL, "nurse", Optional.of(other), "北原", "サチ");
    account(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty(), "伊那", "太郎");
    nurse = new VaccinationClient(node).login("ina-kango", PASSWORD);
    outsider = new VaccinationClient(node).login("ina-hoka", PASSWORD);
    staff = new VaccinationClient(node).login("ina-gyosei", PASSWORD);
  }

  private static void account(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility, String family, String given) {
    seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", family, given, "イナ", "タロウ",
        profession, role, facility), PASSWORD, "windows");
  }

  /** A patient of the nurse's team; returns its id. */
  String patient(String family, String birthDate, String address) {
    HttpResponse<String> patient = nurse.postJson("/api/v1/patients", new JsonObject().put("familyName", family)
        .put("givenName", "トメ").put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", birthDate)
        .put("sex", "female").put("address", address).put("municipalityCode", "202096").put("phone", "")
        .put("familyDoctor", "").put("careLevel", "").put("emergencyContacts", "").put("acpNotes", "")
        .put("remarks", "").put("teamRole", "訪問看護"));
    if (patient.statusCode() != 201) {
      throw new AssertionError(patient.body());
    }
    return new JsonObject(patient.body()).getString("id");
  }

  /** A dose as the form sends it: given an hour ago, at home, the 予診 clear, observed 15 minutes. */
  static JsonObject dose(String vaccine, int number) {
    Instant given = Instant.now().minus(Duration.ofHours(1));
    return new JsonObject().put("vaccine", vaccine).put("doseNumber", number).put("givenAt", given.toString())
        .put("place", "home").put("manufacturer", "第一三共").put("lotNumber", "FK1234").put("vaccinator", "伊那 医師")
        .put("ticketNumber", "2020961234")
        .put("screening", new JsonObject().put("temperature", 36.5).put("answers", new JsonObject()
            .put("unwell", false).put("acuteIllness", false).put("anaphylaxis", false).put("recentVaccine", false)
            .put("anticoagulant", true)))
        .put("observation", new JsonObject().put("minutes", 15).put("startedAt", given.toString())
            .put("endedAt", given.plus(Duration.ofMinutes(15)).toString()).put("observer", "春日 ミサ"));
  }

  @Override
  public void close() {
    node.close();
  }
}
