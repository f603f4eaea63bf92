package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep over every 行政 route of disaster-time support: each other role is refused (403) and a
 * caller nobody logged in is asked to (401, as on every route of the node), and nothing changes but
 * the audit log. Before a declaration, professionals and facility administrators see only the people
 * who consented, in the counts, the list and the printed list; 救急・消防 accounts see none of it.
 */
class DisasterAccessSweepTest {

  @TempDir
  static Path dir;
  static DisasterNode ina;
  static String pendingImport;
  static String match;

  /** A 行政 route: method, path, and the body a caller would send. */
  record StaffRoute(String method, String path, byte[] csv) {}

  @BeforeAll
  static void start() throws Exception {
    ina = new DisasterNode(dir);
    HttpResponse<String> patient = ina.nurse.postJson("/api/v1/patients", new JsonObject().put("familyName", "小池")
        .put("givenName", "清").put("familyKana", "コイケ").put("givenKana", "キヨシ").put("birthDate", "1946-08-15")
        .put("sex", "male").put("address", "伊那市東春近55").put("municipalityCode", "202096").put("phone", "")
        .put("familyDoctor", "").put("careLevel", "").put("emergencyContacts", "").put("acpNotes", "")
        .put("remarks", "").put("teamRole", "訪問看護"));
    assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
    ina.importAndConfirm(DisasterNode.csv(DisasterRegisterTest.KASUGA, DisasterRegisterTest.KITAZAWA,
        DisasterRegisterTest.KOIKE));
    pendingImport = new JsonObject(ina.staff.postCsv("/api/v1/disaster/register/imports",
        DisasterNode.csv(DisasterRegisterTest.KASUGA)).body()).getString("id");
    ina.awaitPlaced();
    match = new JsonObject(ina.staff.get("/api/v1/disaster/register/matches").body()).getJsonArray("matches")
        .getJsonObject(0).getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    ina.close();
  }

  static List<StaffRoute> staffRoutes() {
    String base = "/api/v1/disaster";
    return List.of(
        new StaffRoute("POST", base + "/register/imports", DisasterNode.csv(DisasterRegisterTest.KOIKE)),
        new StaffRoute("GET", base + "/register/imports", null),
        new StaffRoute("GET", base + "/register/imports/" + pendingImport, null),
        new StaffRoute("POST", base + "/register/imports/" + pendingImport + "/confirm", null),
        new StaffRoute("GET", base + "/register/matches", null),
        new StaffRoute("POST", base + "/register/matches/" + match + "/confirm", null),
        new StaffRoute("POST", base + "/register/matches/" + match + "/reject", null),
        new StaffRoute("POST", base + "/declarations", null),
        new StaffRoute("POST", base + "/declarations/current/end", null),
        new StaffRoute("GET", base + "/safety-board", null),
        new StaffRoute("GET", base + "/safety-board/live", null));
  }

  @Test
  void every_other_role_and_a_logged_out_caller_are_refused_on_every_staff_route_and_nothing_changes() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    for (StaffRoute route : staffRoutes()) {
      for (Map.Entry<String, DisasterClient> caller : ina.others().entrySet()) {
        HttpResponse<String> answer = send(caller.getValue(), route);
        int expected = "anonymous".equals(caller.getKey()) ? 401 : 403;
        assertThat(answer.statusCode()).as("%s %s by %s: %s", route.method(), route.path(), caller.getKey(),
            answer.body()).isEqualTo(expected);
        assertThat(answer.body()).doesNotContain("春日", "北沢", "小池");
      }
    }
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
    assertThat(new JsonObject(ina.staff.get("/api/v1/disaster/status").body()).getBoolean("declared")).isFalse();
  }

  @Test
  void before_a_declaration_professionals_see_only_consenting_people_and_responders_see_nothing() {
    for (DisasterClient professional : List.of(ina.nurse, ina.facilityAdmin)) {
      JsonArray people = new JsonObject(professional.get("/api/v1/disaster/people").body()).getJsonArray("people");
      assertThat(people.stream().map(p -> ((JsonObject) p).getBoolean("consent")).toList()).containsOnly(true);
      assertThat(people).hasSize(2);
      JsonObject summary = new JsonObject(professional.get("/api/v1/disaster/summary").body());
      assertThat(summary.getJsonArray("districts").stream().mapToInt(d -> ((JsonObject) d).getInteger("total")).sum())
          .isEqualTo(2);
      HttpResponse<byte[]> pdf = professional.getBytes("/api/v1/disaster/districts/"
          + java.net.URLEncoder.encode("美篶", java.nio.charset.StandardCharsets.UTF_8) + "/pdf");
      assertThat(pdf.statusCode()).isEqualTo(200);
    }
    assertThat(new JsonObject(ina.staff.get("/api/v1/disaster/people").body()).getJsonArray("people")).hasSize(3);
    for (String path : List.of("/api/v1/disaster/people", "/api/v1/disaster/summary",
        "/api/v1/disaster/districts/%E7%BE%8E%E7%AF%B6/pdf")) {
      assertThat(ina.responder.get(path).statusCode()).as(path).isEqualTo(403);
      assertThat(new DisasterClient(ina.node).get(path).statusCode()).as(path).isEqualTo(401);
    }
  }

  private static HttpResponse<String> send(DisasterClient client, StaffRoute route) {
    if ("GET".equals(route.method())) {
      return client.get(route.path());
    }
    if (route.csv() != null) {
      return client.postCsv(route.path(), route.csv());
    }
    return client.postJson(route.path(), route.path().endsWith("/declarations")
        ? new JsonObject().put("kind", "地震") : new JsonObject());
  }
}
