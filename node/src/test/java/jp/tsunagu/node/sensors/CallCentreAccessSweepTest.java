package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep over the watch sensors' people routes: 行政's enrolment and summary routes refuse every
 * other role (403) and a caller nobody logged in (401); the call centre's routes refuse every role but
 * the call centre and 行政; the patient's センサー tab is a 404 for a professional outside the team;
 * and the new 見守りセンター role is refused on the care, disaster and emergency routes it has no
 * business on. Nothing changes but the audit log, and no answer names the resident.
 */
class CallCentreAccessSweepTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;
  static String household;
  static String alertId;
  static String scanId;

  record Route(String method, String path) {}

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
    household = bed.enrol("sweep").getString("id");
    AlertRules rules = bed.feature().rulesWith(new RuleClock(java.time.Instant.parse("2026-08-01T03:00:00Z")),
        RuleSettings.defaults());
    alertId = bed.deliver(rules, household, List.of(bed.climate("room-sweep", household,
        java.time.Instant.parse("2026-08-01T03:00:00Z").toEpochMilli(), 330, 800))).get(0).id();
    scanId = bed.staff.postBytes("/api/v1/sensors/consent-scans", "%PDF-1.4\n%同意書\n".getBytes(
        java.nio.charset.StandardCharsets.UTF_8), "application/pdf").json().getString("id");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  static List<Route> staffRoutes() {
    return List.of(new Route("POST", "/api/v1/sensors/households"), new Route("GET", "/api/v1/sensors/households"),
        new Route("GET", "/api/v1/sensors/households/" + household),
        new Route("POST", "/api/v1/sensors/households/" + household + "/withdraw"),
        new Route("POST", "/api/v1/sensors/consent-scans"), new Route("GET", "/api/v1/sensors/consent-scans/" + scanId),
        new Route("GET", "/api/v1/sensors/area-summary"));
  }

  static List<Route> centreRoutes() {
    String alert = "/api/v1/sensors/alerts/" + alertId;
    return List.of(new Route("GET", "/api/v1/sensors/alerts"), new Route("GET", "/api/v1/sensors/alerts/live"),
        new Route("GET", alert),
        new Route("POST", alert + "/calls"), new Route("POST", alert + "/resolve"), new Route("POST", alert + "/escalate"),
        new Route("POST", alert + "/visit"));
  }

  private static CareClient.Reply send(CareClient client, Route route) {
    if ("GET".equals(route.method())) {
      return client.get(route.path());
    }
    if (route.path().endsWith("/consent-scans")) {
      return client.postBytes(route.path(), "%PDF-1.4\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "application/pdf");
    }
    JsonObject body = route.path().endsWith("/households") ? bed.enrolment("other")
        : new JsonObject().put("outcome", "safe").put("reason", "無事").put("result", "無事");
    return client.post(route.path(), body);
  }

  @Test
  void every_other_role_and_a_logged_out_caller_are_refused_on_every_staff_and_call_centre_route() {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient anonymous = new CareClient(bed.node, "").anonymous();
    for (Route route : staffRoutes()) {
      for (Map.Entry<String, CareClient> caller : bed.notStaff().entrySet()) {
        CareClient.Reply answer = send(caller.getValue(), route);
        assertThat(answer.status()).as("%s %s by %s: %s", route.method(), route.path(), caller.getKey(), answer.body())
            .isEqualTo(403);
        assertThat(answer.body()).doesNotContain("春日");
      }
      assertThat(send(anonymous, route).status()).as(route.path()).isEqualTo(401);
    }
    for (Route route : centreRoutes()) {
      for (CareClient caller : List.of(bed.nurse, bed.careManager, bed.facilityAdmin, bed.responder)) {
        CareClient.Reply answer = send(caller, route);
        assertThat(answer.status()).as("%s %s: %s", route.method(), route.path(), answer.body()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain("春日");
      }
      assertThat(send(anonymous, route).status()).as(route.path()).isEqualTo(401);
    }
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }

  @Test
  void the_sensor_tab_is_for_the_team_only_and_a_non_member_gets_404() {
    String path = "/api/v1/sensors/patients/" + bed.patientId + "?range=7d";
    assertThat(bed.careManager.get(path).status()).isEqualTo(200);
    assertThat(bed.nurse.get(path).json().getBoolean("monitored")).isTrue();
    CareClient.Reply outsider = bed.outsider.get(path);
    assertThat(outsider.status()).isEqualTo(404);
    assertThat(outsider.body()).doesNotContain("春日");
    assertThat(bed.outsider.get("/api/v1/sensors/patients/no-such-patient?range=7d").status()).isEqualTo(404);
    assertThat(bed.facilityAdmin.get(path).status()).isEqualTo(404);
    for (CareClient other : List.of(bed.staff, bed.watch, bed.responder)) {
      assertThat(other.get(path).status()).isEqualTo(403);
    }
    assertThat(bed.nurse.get("/api/v1/sensors/patients/" + bed.patientId + "?range=1y").code())
        .isEqualTo("sensors.invalid_range");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'sensors.patient.read'"
        + " and outcome = 'refused'")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void the_watch_centre_is_refused_on_care_disaster_and_emergency_routes_and_nothing_changes() {
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    String p = "/api/v1/patients/" + bed.patientId;
    List<Route> routes = List.of(new Route("GET", "/api/v1/patients"), new Route("GET", p),
        new Route("GET", p + "/posts"), new Route("GET", p + "/acp"), new Route("GET", p + "/team"),
        new Route("POST", "/api/v1/patients"), new Route("POST", p + "/posts"),
        new Route("GET", "/api/v1/disaster/summary"), new Route("GET", "/api/v1/disaster/people"),
        new Route("GET", "/api/v1/disaster/safety-board"), new Route("POST", "/api/v1/disaster/safety-checks"),
        new Route("POST", "/api/v1/emergency/search"), new Route("GET", "/api/v1/municipal/emergency-accesses"),
        new Route("GET", "/api/v1/municipal/accounts"), new Route("POST", "/api/v1/municipal/accounts"));
    for (Route route : routes) {
      CareClient.Reply answer = "GET".equals(route.method()) ? bed.watch.get(route.path())
          : bed.watch.post(route.path(), new JsonObject().put("familyName", "x").put("body", "x"));
      assertThat(answer.status()).as("%s %s: %s", route.method(), route.path(), answer.body()).isIn(403, 404);
      assertThat(answer.body()).doesNotContain("春日");
    }
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
  }
}
