package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall around the family door, swept over every API route the node mounts (taken from the
 * features' own routers, so a new route is swept as soon as it exists): a logged-in family account
 * gets the same 404 from every route that is not its notebook, with its own patient's ids and with
 * another patient's; every other role, a member of the patient's own team and a caller nobody logged
 * in get that 404 from every route of the notebook. Nothing changes but the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyAccessSweepTest {

  /** The family's public doors: answered to anyone, each with its own codes (FamilyNotebookApiTest). */
  private static final Set<String> DOORS = Set.of("POST /family/auth/activation", "POST /family/auth/login",
      "POST /family/auth/passkey/options", "POST /family/auth/passkey");

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  CareClient family;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    family = bed.loggedIn(bed.invited(bed.doctor, bed.patient, "sweep@example.jp"), 0);
    assertThat(family.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "服薬")
        .put("body", "朝の薬を飲みました")).status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  /** "METHOD /path/:pattern" of every API route of every feature on the web listener. */
  private List<String> routes(Predicate<String> which) {
    Router api = Router.router(bed.bed.node.vertx());
    for (NodeFeature feature : bed.bed.node.features()) {
      feature.webRoutes().forEach(routes -> routes.mountApi(api));
    }
    Set<String> routes = new TreeSet<>();
    for (Route route : api.getRoutes()) {
      String path = route.getPath();
      if (path == null) {
        continue;
      }
      Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? Set.of(HttpMethod.GET)
          : route.methods();
      methods.forEach(method -> {
        String key = method.name() + " " + path;
        if (which.test(key)) {
          routes.add(key);
        }
      });
    }
    return List.copyOf(routes);
  }

  private static boolean notebook(String route) {
    return route.substring(route.indexOf(' ') + 1).startsWith("/family/");
  }

  /** Every parameter of the route filled with the id, so a route is tried on a real record. */
  private static String concrete(String pattern, String id) {
    return "/api/v1" + pattern.replaceAll(":\\w+", id);
  }

  private static CareClient.Reply send(CareClient who, String route, String id) {
    String method = route.substring(0, route.indexOf(' '));
    String path = concrete(route.substring(route.indexOf(' ') + 1), id);
    return switch (method) {
      case "GET", "HEAD" -> who.get(path);
      case "DELETE" -> who.delete(path);
      case "POST" -> who.post(path, new JsonObject());
      case "PUT" -> who.put(path, new JsonObject());
      default -> throw new AssertionError("the sweep cannot send " + route + ": add it here");
    };
  }

  @Test
  void the_sweep_covers_every_feature_and_the_whole_notebook() {
    List<String> outside = routes(route -> !notebook(route));
    assertThat(outside).hasSizeGreaterThan(100).contains("GET /patients/:boardId", "GET /patients/:boardId/posts",
        "GET /patients/:boardId/team", "POST /emergency/accesses", "GET /disaster/people", "GET /account/certificates",
        "GET /patients/:patientId/family/accounts");
    assertThat(routes(FamilyAccessSweepTest::notebook)).contains("GET /family/notebook",
        "POST /family/notebook/entries", "GET /family/access-report", "GET /family/access-report/pdf",
        "POST /family/notebook/entries/:entryId/photos", "GET /family/notebook/photos/:photoId",
        "GET /family/passkeys", "POST /family/passkeys/options", "POST /family/passkeys",
        "DELETE /family/passkeys/:passkeyId");
  }

  @Test
  void a_family_account_gets_404_from_every_route_that_is_not_its_notebook_and_changes_nothing() {
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    int calls = 0;
    for (String route : routes(route -> !notebook(route))) {
      for (String id : List.of(bed.patient, bed.otherPatient)) {
        CareClient.Reply reply = send(family, route, id);
        calls++;
        assertThat(reply.status()).as(route + " with " + id + ": " + reply.body()).isEqualTo(404);
        assertThat(reply.code()).as(route).isEqualTo("family.not_found");
        assertThat(reply.body()).doesNotContain("伊藤", "別所");
      }
    }
    assertThat(calls).isGreaterThan(200);
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
    assertThat(family.get("/api/v1/family/notebook").status()).isEqualTo(200);
  }

  @Test
  void every_other_role_its_own_team_and_a_logged_out_caller_get_404_from_every_notebook_route_and_change_nothing() {
    Map<String, CareClient> others = new LinkedHashMap<>();
    others.put("the patient's doctor", bed.doctor);
    others.put("the patient's nurse", bed.nurse);
    others.put("another team's doctor", bed.otherDoctor);
    others.put("municipal staff", bed.bed.municipalStaff("gyosei-sweep", "行政", "花子"));
    others.put("an ambulance crew", bed.responder("kyukyu-sweep"));
    others.put("nobody logged in", bed.anonymous());
    List<String> notebookRoutes = new ArrayList<>(routes(route -> notebook(route) && !DOORS.contains(route)));
    assertThat(notebookRoutes).hasSizeGreaterThanOrEqualTo(5);
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    for (Map.Entry<String, CareClient> other : others.entrySet()) {
      for (String route : notebookRoutes) {
        CareClient.Reply reply = send(other.getValue(), route, bed.patient);
        assertThat(reply.status()).as(route + " by " + other.getKey() + ": " + reply.body()).isEqualTo(404);
        assertThat(reply.code()).as(route + " by " + other.getKey()).isEqualTo("family.not_found");
        assertThat(reply.body()).doesNotContain("朝の薬");
      }
    }
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
  }
}
