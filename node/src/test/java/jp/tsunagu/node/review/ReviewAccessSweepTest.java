package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep over every review board route, taken from the routers: the secretariat's are 403 to every
 * other role (the panel's own members too) and 401 to nobody logged in; the reviewers' are 404 to every
 * account that does not sit on the session's panel, whatever its role, on real ids of a released session;
 * and nothing changes but the audit log.
 */
class ReviewAccessSweepTest {

  @TempDir
  static Path dir;
  static ReviewBed bed;
  static final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  static void start() {
    bed = new ReviewBed(dir);
    String session = bed.session(Duration.ofDays(1));
    String caseId = bed.addCase(session, "S-1", "care_2");
    ids.put(":sessionId", session);
    ids.put(":caseId", caseId);
    ids.put(":materialId", bed.material(caseId, ReviewBed.pdf("sweep", 0)));
    ids.put(":panelId", bed.panelId);
    ids.put(":appointmentId", bed.appointments.values().iterator().next());
    bed.release(session);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  static List<String> routes() {
    Router api = Router.router(bed.node.vertx());
    for (NodeFeature feature : bed.node.features()) {
      feature.webRoutes().forEach(routes -> routes.mountApi(api));
    }
    Set<String> routes = new TreeSet<>();
    for (Route route : api.getRoutes()) {
      String path = route.getPath();
      if (path != null && path.startsWith("/review/")) {
        Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? Set.of(HttpMethod.GET)
            : route.methods();
        methods.forEach(method -> routes.add(method.name() + " " + path));
      }
    }
    return List.copyOf(routes);
  }

  private static boolean reviewers(String route) {
    // A partner session's copies are held for their reviewer alone: anyone else gets the same 404.
    return route.contains(" /review/my/") || route.contains(" /review/partner/");
  }

  @Test
  void the_secretariats_routes_are_403_to_every_other_role_and_the_reviewers_routes_404_to_non_members() {
    List<String> routes = routes();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(25).contains("POST /review/sessions",
        "PUT /review/my/cases/:caseId/opinion", "GET /review/my/materials/:materialId",
        // The 主治医意見書 picker: secretariat only, like every route outside /review/my and /review/partner.
        "GET /review/patients", "GET /review/cases/:caseId/form-preview");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    before.remove("audit_log");
    CareClient anonymous = new CareClient(bed.node, "").anonymous();
    Map<String, CareClient> notSecretariat = new HashMap<>(bed.others());
    notSecretariat.put("chair", bed.chair());
    Map<String, CareClient> notMembers = new HashMap<>(bed.others());
    notMembers.put("review_secretariat", bed.secretariat);
    for (String route : routes) {
      if (!reviewers(route)) {
        for (Map.Entry<String, CareClient> who : notSecretariat.entrySet()) {
          CareClient.Reply reply = send(who.getValue(), route);
          assertThat(reply.status()).as("%s by %s: %s", route, who.getKey(), reply.body()).isEqualTo(403);
        }
        assertThat(send(anonymous, route).status()).as(route).isEqualTo(401);
      } else if (!route.equals("GET /review/my/sessions") && !route.equals("GET /review/partner/sessions")) {
        for (Map.Entry<String, CareClient> who : notMembers.entrySet()) {
          CareClient.Reply reply = send(who.getValue(), route);
          assertThat(reply.status()).as("%s by %s: %s", route, who.getKey(), reply.body()).isEqualTo(404);
          assertThat(reply.body()).doesNotContain(ReviewBed.APPLICANT);
        }
      }
    }
    for (CareClient who : notMembers.values()) {
      assertThat(who.get("/api/v1/review/my/sessions").json().getJsonArray("sessions")).isEmpty();
      assertThat(who.get("/api/v1/review/partner/sessions").json().getJsonArray("sessions")).isEmpty();
    }
    Map<String, Long> after = TestSql.rowCounts(bed.node);
    after.remove("audit_log");
    assertThat(after).isEqualTo(before);
    // The members themselves reach the same routes.
    assertThat(bed.members.get(3).get("/api/v1/review/my/sessions/" + ids.get(":sessionId")).status()).isEqualTo(200);
    assertThat(bed.members.get(3).download("/api/v1/review/my/materials/" + ids.get(":materialId")).statusCode())
        .isEqualTo(200);
  }

  private static CareClient.Reply send(CareClient who, String route) {
    String method = route.substring(0, route.indexOf(' '));
    String path = "/api/v1" + route.substring(route.indexOf(' ') + 1);
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace(id.getKey(), id.getValue());
    }
    // A body that would be accepted from a member, so only the seat decides.
    JsonObject body = path.endsWith("/decision") ? new JsonObject().put("level", "care_2").put("months", 12)
        : path.endsWith("/opinion") ? new JsonObject().put("agrees", true).put("months", 12) : new JsonObject();
    return switch (method) {
      case "GET" -> who.get(path);
      case "POST" -> path.endsWith("/materials") ? who.postBytes(path, ReviewBed.pdf("x", 0), "application/pdf")
          : who.post(path, body);
      case "PUT" -> who.put(path, body);
      default -> throw new AssertionError("the sweep cannot send " + route + ": add it here");
    };
  }
}
