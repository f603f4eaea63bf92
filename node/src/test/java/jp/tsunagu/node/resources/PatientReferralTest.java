package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.testing.TestHttp;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 周辺資源 from a patient's page: resources nearest the patient's geocoded home, referrals linked to
 * the patient that the whole care team (and nobody else) may open, the patient's list of past
 * referrals, and an audit row for every read, write and refusal.
 */
class PatientReferralTest {

  @TempDir
  static Path dir;

  static NearbyFixture nearby;
  static ResourceNode fixture;
  static ResourceNode.Professional doctor;
  static ResourceNode.Professional nurse;
  static ResourceNode.Professional outsider;
  static String patient;
  static String station;
  static String cityHall;
  static String takato;

  @BeforeAll
  static void start() throws Exception {
    nearby = new NearbyFixture(dir).withPatient();
    fixture = nearby.node;
    doctor = nearby.doctor;
    nurse = nearby.nurse;
    patient = nearby.patient;
    station = nearby.station;
    cityHall = nearby.cityHall;
    takato = nearby.takato;
    outsider = fixture.professional("ina-yakuzai", "春日", "一郎", "pharmacist");
  }

  @AfterAll
  static void stop() throws Exception {
    nearby.close();
  }

  /** The audit rows of an action, as "actor outcome target". */
  private static List<String> audited(String action) throws Exception {
    return fixture.node.services().database().read(c -> {
      List<String> rows = new ArrayList<>();
      try (var s = c.prepareStatement("select actor, outcome, target from audit_log where action = ? order by seq")) {
        s.setString(1, action);
        try (var r = s.executeQuery()) {
          while (r.next()) {
            rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
          }
        }
      }
      return rows;
    }).await(10, TimeUnit.SECONDS);
  }

  @Test
  void a_team_member_sees_resources_nearest_the_patients_home_filtered_and_nobody_else_does() throws Exception {
    var answer = nurse.client().get("/api/v1/patients/" + patient + "/nearby-resources");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(MatchingAndReferralTest.ids(answer.body())).containsExactly(takato, station, cityHall);
    JsonObject json = new JsonObject(answer.body());
    assertThat(json.getJsonObject("origin").getString("label")).isEqualTo("ご自宅（伊那市高遠町西高遠）");
    assertThat(json.getJsonObject("origin").getDouble("latitude")).isEqualTo(35.8336);
    assertThat(json.getJsonObject("patient").getString("name")).isEqualTo("春日 トメ");
    assertThat(json.getJsonObject("map").getString("tileUrl")).contains("{z}");
    assertThat(MatchingAndReferralTest.ids(nurse.client().get("/api/v1/patients/" + patient + "/nearby-resources?tag="
        + StaffResourceApiTest.enc("室内")).body())).containsExactly(station, cityHall);
    assertThat(MatchingAndReferralTest.ids(nurse.client().get("/api/v1/patients/" + patient + "/nearby-resources?q="
        + StaffResourceApiTest.enc("カフェ")).body())).containsExactly(station);
    assertThat(MatchingAndReferralTest.ids(nurse.client().get("/api/v1/patients/" + patient + "/nearby-resources?category=gathering.exercise")
        .body())).containsExactly(takato);

    var refused = outsider.client().get("/api/v1/patients/" + patient + "/nearby-resources");
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("care.not_found");
    assertThat(fixture.staff.get("/api/v1/patients/" + patient + "/nearby-resources").statusCode()).isEqualTo(404);
    assertThat(fixture.nurse.get("/api/v1/patients/nosuchpatient/nearby-resources").statusCode()).isEqualTo(404);
    assertThat(new TestHttp(fixture.node).get("/api/v1/patients/" + patient + "/nearby-resources").statusCode())
        .isEqualTo(401);
    assertThat(audited("patient.nearby_resources")).contains(nurse.userId() + " success patient:" + patient,
        outsider.userId() + " refused patient:" + patient);
  }

  @Test
  void a_home_address_the_geocoder_cannot_place_is_a_clear_refusal() throws Exception {
    String lost = ResourceNode.registerPatient(doctor, "伊那", "迷子", "伊那市どこにもない町1-1");
    var answer = doctor.client().get("/api/v1/patients/" + lost + "/nearby-resources");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(answer.body()).getString("code")).isEqualTo("geocoder.not_found");
    assertThat(new JsonObject(answer.body()).getString("message")).contains("長野県伊那市どこにもない町1-1");
    assertThat(audited("patient.nearby_resources")).contains(doctor.userId() + " success patient:" + lost);
  }

  @Test
  void a_referral_for_a_patient_opens_for_the_whole_team_names_the_patient_and_opens_for_nobody_else()
      throws Exception {
    int before = new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + takato).body()).getInteger("introductions");
    var made = nurse.client().postJson("/api/v1/referrals", new JsonObject().put("patientId", patient)
        .put("residentName", "別の名前").put("referrerName", "宮坂 由美").put("referrerOrganization", "伊那中央訪問看護ステーション")
        .put("comment", "体操クラブは木曜日です。").put("originLabel", "ご自宅")
        .put("origin", new JsonObject().put("latitude", 35.8336).put("longitude", 138.0614))
        .put("resourceIds", new JsonArray().add(takato).add(station)));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonObject links = new JsonObject(made.body());
    String id = links.getString("id");

    // The doctor did not write it but is on the team: sheet and PDF open, naming the registered patient.
    var sheet = doctor.client().get(links.getString("sheet"));
    assertThat(sheet.statusCode()).isEqualTo(200);
    assertThat(sheet.body()).contains("春日 トメ 様").doesNotContain("別の名前").contains("高遠さくら体操クラブ");
    var pdf = doctor.client().getBytes(links.getString("pdf"));
    assertThat(pdf.statusCode()).isEqualTo(200);
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      assertThat(new PDFTextStripper().getText(document)).contains("春日 トメ 様").contains("伊那市駅前おしゃべりカフェ");
    }
    for (SessionClient stranger : List.of(outsider.client(), fixture.staff, fixture.nurse)) {
      var closed = stranger.get(links.getString("sheet"));
      assertThat(closed.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(closed.body()).getString("code")).isEqualTo("referrals.not_found");
      assertThat(stranger.getBytes(links.getString("pdf")).statusCode()).isEqualTo(404);
    }

    JsonArray past = new JsonObject(doctor.client().get("/api/v1/patients/" + patient + "/referrals").body())
        .getJsonArray("referrals");
    JsonObject listed = past.stream().map(JsonObject.class::cast).filter(r -> r.getString("id").equals(id))
        .findFirst().orElseThrow();
    assertThat(listed.getString("referrerName")).isEqualTo("宮坂 由美");
    assertThat(listed.getJsonArray("resources").stream().map(r -> ((JsonObject) r).getString("name")).toList())
        .containsExactly("高遠さくら体操クラブ", "伊那市駅前おしゃべりカフェ");
    assertThat(outsider.client().get("/api/v1/patients/" + patient + "/referrals").statusCode()).isEqualTo(404);
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + takato).body()).getInteger("introductions"))
        .isEqualTo(before + 1);

    // Someone outside the team cannot refer for the patient, and nothing is recorded.
    var foreign = outsider.client().postJson("/api/v1/referrals", new JsonObject().put("patientId", patient)
        .put("referrerName", "春日 一郎").put("resourceIds", new JsonArray().add(takato)));
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(foreign.body()).getString("code")).isEqualTo("care.not_found");
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources/" + takato).body()).getInteger("introductions"))
        .isEqualTo(before + 1);

    assertThat(audited("referral.create")).contains(nurse.userId() + " success patient:" + patient,
        outsider.userId() + " refused patient:" + patient);
    assertThat(audited("referral.read_sheet")).contains(doctor.userId() + " success patient:" + patient,
        outsider.userId() + " refused patient:" + patient);
    assertThat(audited("referral.read_pdf")).contains(doctor.userId() + " success patient:" + patient);
    assertThat(audited("patient.referrals")).contains(doctor.userId() + " success patient:" + patient,
        outsider.userId() + " refused patient:" + patient);
  }

  @Test
  void a_member_who_leaves_the_team_can_no_longer_open_the_patients_referrals() {
    ResourceNode.Professional helper = fixture.professional("ina-helper", "小松", "和子", "care_worker");
    ResourceNode.joinTeam(doctor, patient, helper, "訪問介護");
    var made = helper.client().postJson("/api/v1/referrals", new JsonObject().put("patientId", patient)
        .put("referrerName", "小松 和子").put("resourceIds", new JsonArray().add(cityHall)));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String sheet = new JsonObject(made.body()).getString("sheet");
    assertThat(helper.client().get(sheet).statusCode()).isEqualTo(200);
    assertThat(helper.client().postJson("/api/v1/patients/" + patient + "/team/leave", new JsonObject()).statusCode())
        .isLessThan(300);
    assertThat(helper.client().get(sheet).statusCode()).as("its author, no longer on the team").isEqualTo(404);
    assertThat(doctor.client().get(sheet).statusCode()).isEqualTo(200);
  }
}
