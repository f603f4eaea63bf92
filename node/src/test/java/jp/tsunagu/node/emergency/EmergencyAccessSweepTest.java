package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyone but the people a route is for calls every route of the emergency feature, taken from the
 * feature's own router (a new route is swept as soon as it exists): a professional outside the team
 * and a facility administrator get care's 404 from the 人生会議 routes, every role but 救急・消防 gets
 * 403 from the responder's routes and every role but 行政 from the review; another responder's
 * access is a 404. Nothing changes. A responder gets nothing from the ordinary care routes either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyAccessSweepTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient otherTeam;
  CareClient facilityAdmin;
  CareClient staff;
  CareClient crew;
  CareClient otherCrew;
  String patient;
  String access;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-sweep-em", "北原", "健一", "doctor", bed.clinic);
    otherTeam = bed.professional("dr-other-em", "小松", "誠", "doctor", bed.clinic);
    facilityAdmin = EmergencyBed.facilityAdmin(bed, "admin-sweep-em");
    staff = bed.municipalStaff("gyosei-sweep-em", "田中", "明子");
    crew = EmergencyBed.responder(bed, "kyukyu-sweep", "宮坂", "翔");
    otherCrew = EmergencyBed.responder(bed, "kyukyu-sweep-2", "丸山", "大輔");
    patient = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    doctor.put("/api/v1/patients/" + patient + "/acp", EmergencyBed.plan());
    otherTeam.post("/api/v1/patients", EmergencyBed.person("別", "チーム", "ベツ", "チーム", "1950-05-05",
        "長野県伊那市荒井1-1", "0265-00-1111"));
    access = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(patient)).json().getString("id");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private List<String> routes() {
    Router api = Router.router(bed.node.vertx());
    bed.node.feature(EmergencyFeature.class).webRoutes().forEach(routes -> routes.mountApi(api));
    Set<String> routes = new TreeSet<>();
    for (Route route : api.getRoutes()) {
      route.methods().forEach(method -> routes.add(method.name() + " " + route.getPath()));
    }
    return List.copyOf(routes);
  }

  private CareClient.Reply call(CareClient who, String route) {
    String method = route.substring(0, route.indexOf(' '));
    String path = "/api/v1" + route.substring(route.indexOf(' ') + 1).replace(":boardId", patient)
        .replace(":accessId", access);
    JsonObject body = switch (route) {
      case "PUT /patients/:boardId/acp" -> EmergencyBed.plan().put("wishes", "書き換え");
      case "PUT /patients/:boardId/medical" -> new JsonObject().put("medicalHistory", "書き換え");
      case "POST /emergency/search" -> new JsonObject().put("phone", "0265781234");
      case "POST /emergency/accesses" -> EmergencyBed.access(patient);
      case "POST /emergency/partner-searches" -> new JsonObject().put("phone", "0265781234").put("reason", "確認")
          .put("dispatchNumber", "R7-1");
      case "POST /emergency/partner-accesses" -> EmergencyBed.access(patient).put("node", "minamiminowa");
      default -> null;
    };
    return switch (method) {
      case "GET" -> who.get(path);
      case "PUT" -> who.put(path, body);
      case "POST" -> who.post(path, body);
      default -> throw new AssertionError(route + " uses a method the sweep does not send: add it here");
    };
  }

  /** What a caller outside a route's people gets: 404 for patient data they are not in the team of, else 403. */
  private static int expected(String route, String who) {
    boolean acp = route.contains("/patients/:boardId/");
    boolean responders = route.contains("/emergency/");
    boolean review = route.contains("/municipal/");
    if (!acp && !responders && !review) {
      throw new AssertionError(route + " is neither patient data, a responder's route nor 行政's: classify it here");
    }
    return switch (who) {
      case "professional", "facility_admin" -> acp ? 404 : 403;
      case "municipal_staff" -> review ? 200 : 403;
      case "emergency_responder" -> acp || review ? 403 : 404;
      default -> throw new AssertionError(who);
    };
  }

  private String snapshot() {
    return TestSql.rowCounts(bed.node) + doctor.get("/api/v1/patients/" + patient + "/acp").body()
        + doctor.get("/api/v1/patients/" + patient + "/acp/versions").body()
        + doctor.get("/api/v1/patients/" + patient + "/posts").body();
  }

  @Test
  void the_sweep_covers_every_route_of_the_feature() {
    assertThat(routes()).containsExactlyInAnyOrder("GET /patients/:boardId/acp", "PUT /patients/:boardId/acp",
        "GET /patients/:boardId/acp/versions", "PUT /patients/:boardId/medical", "POST /emergency/search",
        "POST /emergency/accesses", "GET /emergency/accesses/:accessId", "GET /municipal/emergency-accesses",
        "POST /emergency/accesses/:accessId/handovers", "GET /emergency/handovers/:handoverId/pdf",
        "POST /handovers/open", "GET /municipal/emergency-handovers",
        "POST /municipal/emergency-handovers/:handoverId/revoke",

        "POST /emergency/partner-searches", "POST /emergency/partner-accesses",
        "GET /emergency/partner-accesses/:accessId");
  }

  @Test
  void every_other_role_and_a_non_member_gets_404_or_403_on_every_emergency_route_and_nothing_changes() {
    String before = snapshot();
    List<String> checked = new ArrayList<>();
    Object[][] callers = {{otherTeam, "professional"}, {facilityAdmin, "facility_admin"},
        {staff, "municipal_staff"}, {otherCrew, "emergency_responder"}};
    for (String route : routes()) {
      if (route.contains("handover")) {
        continue; // the handover's routes have their own sweep (EmergencyHandoverSweepTest)
      }
      for (Object[] caller : callers) {
        String who = (String) caller[1];
        if (route.startsWith("POST /emergency/") && who.equals("emergency_responder")) {
          continue; // the responder's own search and access: what the route is for (EmergencyAccessApiTest)
        }
        CareClient.Reply reply = call((CareClient) caller[0], route);
        int status = expected(route, who);
        assertThat(reply.status()).as(who + " " + route + ": " + reply.body()).isEqualTo(status);
        if (status == 404) {
          assertThat(reply.code()).as(who + " " + route).isIn("care.not_found", "emergency.not_found");
        }
        if (status != 200) {
          assertThat(reply.body()).as(who + " " + route).doesNotContain("星野").doesNotContain("DNAR");
        }
        checked.add(who + " " + route);
      }
    }
    assertThat(checked).hasSizeGreaterThan(25);
    // 行政's review read is the one call above that answers 200; it changes nothing either.
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_responder_gets_nothing_from_the_ordinary_care_routes_of_the_patient_she_opened() {
    String before = snapshot();
    for (String path : List.of("", "/posts", "/team", "/vitals", "/live", "/forms/drafts")) {
      CareClient.Reply reply = crew.get("/api/v1/patients/" + patient + path);
      assertThat(reply.status()).as(path + ": " + reply.body()).isIn(403, 404);
      assertThat(reply.body()).as(path).doesNotContain("星野");
    }
    assertThat(crew.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "x")).status()).isIn(403, 404);
    assertThat(crew.get("/api/v1/patients").status()).isIn(403, 404);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_method_the_sweep_does_not_know_fails_it() {
    assertThat(routes()).allMatch(r -> Set.of(HttpMethod.GET.name(), HttpMethod.PUT.name(), HttpMethod.POST.name())
        .contains(r.substring(0, r.indexOf(' '))));
  }
}
