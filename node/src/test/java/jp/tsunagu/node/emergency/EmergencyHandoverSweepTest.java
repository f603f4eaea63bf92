package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyone but the people a handover route is for: the team's own doctor, a professional outside
 * the team, a facility administrator and 行政 get 403 on the crew's routes, another responder 404;
 * every role but 行政 gets 403 on the list and the revocation; nobody logged in gets 401 on all of
 * them; and the public open route, to anyone, answers the same 404 without the link's token and
 * its code. Nothing changes but the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyHandoverSweepTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient otherTeam;
  CareClient facilityAdmin;
  CareClient staff;
  CareClient crew;
  CareClient otherCrew;
  String access;
  JsonObject made;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-sweep-ho", "北原", "健一", "doctor", bed.clinic);
    otherTeam = bed.professional("dr-other-ho", "小松", "誠", "doctor", bed.clinic);
    facilityAdmin = EmergencyBed.facilityAdmin(bed, "admin-sweep-ho");
    staff = bed.municipalStaff("gyosei-sweep-ho", "田中", "明子");
    crew = EmergencyBed.responder(bed, "kyukyu-sweep-ho", "宮坂", "翔");
    otherCrew = EmergencyBed.responder(bed, "kyukyu-sweep-ho2", "丸山", "大輔");
    String patient = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(patient)).json().getString("id");
    CareClient.Reply reply = crew.post("/api/v1/emergency/accesses/" + access + "/handovers",
        new JsonObject().put("hospital", "伊那中央病院"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    made = reply.json();
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String snapshot() {
    return TestSql.rowCounts(bed.node) + bed.node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select group_concat(coalesce(opened_at, '-') || coalesce(revoked_at, '-')"
          + " || failed_codes || length(sheet)) from emergency_handovers")) {
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  private CareClient.Reply call(CareClient who, String route) {
    String path = route.substring(route.indexOf(' ') + 1).replace(":accessId", access)
        .replace(":handoverId", made.getString("id"));
    return route.startsWith("GET ") ? who.get(path)
        : who.post(path, new JsonObject().put("hospital", "伊那中央病院"));
  }

  @Test
  void other_roles_get_403_another_responder_404_and_nobody_logged_in_401_and_nothing_changes() {
    String before = snapshot();
    String make = "POST /api/v1/emergency/accesses/:accessId/handovers";
    String pdf = "GET /api/v1/emergency/handovers/:handoverId/pdf";
    String list = "GET /api/v1/municipal/emergency-handovers";
    String revoke = "POST /api/v1/municipal/emergency-handovers/:handoverId/revoke";
    for (CareClient other : List.of(doctor, otherTeam, facilityAdmin, staff)) {
      for (String route : List.of(make, pdf)) {
        CareClient.Reply reply = call(other, route);
        assertThat(reply.status()).as(other.userId + " " + route + ": " + reply.body()).isEqualTo(403);
        assertThat(reply.body()).doesNotContain("星野").doesNotContain(made.getString("code"));
      }
    }
    for (String route : List.of(make, pdf)) {
      CareClient.Reply reply = call(otherCrew, route);
      assertThat(reply.status()).as(route).isEqualTo(404);
      assertThat(reply.code()).isEqualTo("emergency.not_found");
    }
    for (CareClient other : List.of(doctor, otherTeam, facilityAdmin, crew, otherCrew)) {
      for (String route : List.of(list, revoke)) {
        assertThat(call(other, route).status()).as(other.userId + " " + route).isEqualTo(403);
      }
    }
    CareClient nobody = new CareClient(bed.node, null).anonymous();
    for (String route : List.of(make, pdf, list, revoke)) {
      CareClient.Reply reply = call(nobody, route);
      assertThat(reply.status()).as(route + ": " + reply.body()).isEqualTo(401);
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void the_public_route_answers_everyone_the_same_404_without_the_link_and_its_code() {
    String before = snapshot();
    CareClient nobody = new CareClient(bed.node, null).anonymous();
    for (CareClient who : List.of(nobody, doctor, staff, crew)) {
      for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("code", made.getString("code")),
          new JsonObject().put("token", "x" + made.getString("link").replaceAll(".*/handover/", ""))
              .put("code", made.getString("code")))) {
        CareClient.Reply reply = who.post("/api/v1/handovers/open", body);
        assertThat(reply.status()).as(body.encode()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("handover.not_found");
        assertThat(reply.body()).doesNotContain("星野").doesNotContain("伊那中央病院");
      }
    }
    assertThat(snapshot()).isEqualTo(before);
  }
}
