package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member of one team calls every patient-data route with another team's ids: each answers the
 * same 404 as a missing record, and nothing of the other team changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CareAccessSweepTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient otherTeam;
  String patient;
  String post;
  String direct;
  String attachment;

  @BeforeAll
  void start() throws Exception {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-sweep", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-sweep", "宮坂", "由美", "nurse", bed.nursingStation);
    otherTeam = bed.professional("dr-other-team", "小松", "誠", "doctor", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("伊藤", "トメ", "イトウ", "トメ", "1932-02-02"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
    nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    attachment = doctor.upload(AttachmentTest.png(40, 30), "褥瘡.png", "image/png").json().getString("id");
    post = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "仙骨部の発赤を確認").put("attachments", new JsonArray().add(attachment))).json().getString("id");
    direct = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "相談")
        .put("body", "特別便").put("recipients", new JsonArray().add(nurse.userId))).json().getString("id");
    // otherTeam has a patient of its own: being a member somewhere must not open doors elsewhere.
    otherTeam.post("/api/v1/patients", CareApiTest.patient("別", "チーム", "ベツ", "チーム", "1950-05-05"));
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private Map<String, Supplier<CareClient.Reply>> routes(CareClient who) {
    JsonObject note = new JsonObject().put("category", "連絡").put("body", "x");
    String p = "/api/v1/patients/" + patient;
    Map<String, Supplier<CareClient.Reply>> routes = new LinkedHashMap<>();
    routes.put("GET patient", () -> who.get(p));
    routes.put("PUT patient", () -> who.put(p, CareApiTest.patient("伊藤", "トメ", "イトウ", "トメ", "1932-02-02")));
    routes.put("archive", () -> who.post(p + "/archive", new JsonObject()));
    routes.put("restore", () -> who.post(p + "/restore", new JsonObject()));
    routes.put("GET team", () -> who.get(p + "/team"));
    routes.put("invite", () -> who.post(p + "/team/invitations",
        new JsonObject().put("userId", who.userId).put("teamRole", "主治医")));
    routes.put("leave", () -> who.post(p + "/team/leave", new JsonObject()));
    routes.put("remove", () -> who.post(p + "/team/members/" + nurse.userId + "/remove", new JsonObject()));
    routes.put("accept", () -> who.post("/api/v1/invitations/" + patient + "/accept", new JsonObject()));
    routes.put("GET posts", () -> who.get(p + "/posts"));
    routes.put("POST posts", () -> who.post(p + "/posts", note));
    routes.put("POST reads", () -> who.post(p + "/reads", new JsonObject().put("postIds", new JsonArray().add(post))));
    routes.put("GET live", () -> who.get(p + "/live"));
    routes.put("GET vitals", () -> who.get(p + "/vitals"));
    routes.put("POST vitals", () -> who.post(p + "/vitals",
        new JsonObject().put("measuredAt", "2025-01-01T00:00:00Z").put("pulse", 70)));
    for (String id : new String[] {post, direct}) {
      routes.put("GET post " + id, () -> who.get("/api/v1/posts/" + id));
      routes.put("PUT post " + id, () -> who.put("/api/v1/posts/" + id, note));
      routes.put("DELETE post " + id, () -> who.delete("/api/v1/posts/" + id));
      routes.put("POST comment " + id, () -> who.post("/api/v1/posts/" + id + "/comments", note));
      routes.put("GET reads " + id, () -> who.get("/api/v1/posts/" + id + "/reads"));
    }
    routes.put("GET attachment", () -> who.get("/api/v1/attachments/" + attachment));
    routes.put("GET thumbnail", () -> who.get("/api/v1/attachments/" + attachment + "/thumbnail"));
    routes.put("GET as group", () -> who.get("/api/v1/groups/" + patient + "/posts"));
    return routes;
  }

  @Test
  void a_non_member_gets_the_same_404_from_every_patient_data_route_and_changes_nothing() {
    String before = doctor.get("/api/v1/patients/" + patient + "/posts").body();
    String teamBefore = doctor.get("/api/v1/patients/" + patient + "/team").body();
    routes(otherTeam).forEach((name, call) -> {
      CareClient.Reply reply = call.get();
      assertThat(reply.status()).as(name + ": " + reply.body()).isEqualTo(404);
      assertThat(reply.code()).as(name).isEqualTo("care.not_found");
    });
    assertThat(doctor.get("/api/v1/patients/" + patient + "/posts").body()).isEqualTo(before);
    assertThat(doctor.get("/api/v1/patients/" + patient + "/team").body()).isEqualTo(teamBefore);
    assertThat(doctor.get("/api/v1/patients/" + patient).json().getString("status")).isEqualTo("active");
  }

  @Test
  void a_made_up_id_gets_the_same_answer_as_someone_elses() {
    CareClient.Reply missing = otherTeam.get("/api/v1/patients/0000000000000000000000000000");
    CareClient.Reply foreign = otherTeam.get("/api/v1/patients/" + patient);
    assertThat(missing.status()).isEqualTo(foreign.status());
    assertThat(missing.json().getString("message")).isEqualTo(foreign.json().getString("message"));
  }

  @Test
  void a_team_member_who_is_not_a_recipient_gets_404_for_the_direct_post_and_its_parts() {
    CareClient careManager = bed.professional("cm-sweep", "藤澤", "聡子", "care_manager", bed.nursingStation);
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー"));
    careManager.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    assertThat(careManager.get("/api/v1/posts/" + direct).status()).isEqualTo(404);
    assertThat(careManager.get("/api/v1/posts/" + direct + "/reads").status()).isEqualTo(404);
    assertThat(careManager.post("/api/v1/posts/" + direct + "/comments", new JsonObject().put("body", "x")).status())
        .isEqualTo(404);
    assertThat(careManager.get("/api/v1/attachments/" + attachment).status()).isEqualTo(200);
  }

  @Test
  void a_logged_out_caller_gets_401() {
    CareClient anonymous = new CareClient(bed.node, "none");
    assertThat(anonymous.get("/api/v1/patients").status()).isEqualTo(401);
  }
}
