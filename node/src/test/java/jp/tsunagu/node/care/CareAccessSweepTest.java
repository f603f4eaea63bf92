package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.forms.FormSamples;
import jp.tsunagu.node.care.attachments.AttachmentTest;

/**
 * A member of one team calls every route of the care features that names a record (a patient, a
 * group, a post, an attachment …) with another team's ids: each answers the same 404 as a missing
 * record, and nothing of the other team changes. The routes come from the care features' own
 * router, so a new route is swept as soon as it exists; one whose path parameter or body the sweep
 * does not know fails the test until it is added here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CareAccessSweepTest {

  private static final Pattern PARAMETER = Pattern.compile(":(\\w+)");
  /** Routes with a path parameter that are not patient data, and why. */
  private static final Map<String, String> NOT_PATIENT_DATA = Map.of("/care/categories/:categoryId",
      "the node's list of 情報カテゴリー, set by municipal staff (CategoryApiTest)",
      "/municipal/patient-duplicates/:candidateId/invite", "municipal staff only: 403 for professionals"
          + " (PatientDuplicateTest)",
      "/municipal/patient-duplicates/:candidateId/dismiss", "municipal staff only: 403 for professionals"
          + " (PatientDuplicateTest)");

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient otherTeam;
  String patient;
  String group;
  String attachment;
  /** Posts of every kind: a note with a photo, a direct post to the nurse, a form, vitals, a group note. */
  List<String> posts;
  String direct;

  @BeforeAll
  void start() throws Exception {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-sweep", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-sweep", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-sweep", "藤澤", "聡子", "care_manager", bed.nursingStation);
    otherTeam = bed.professional("dr-other-team", "小松", "誠", "doctor", bed.clinic);
    patient = FormSamples.patientWithNurse(doctor, nurse, CareApiTest.patient("伊藤", "トメ", "イトウ", "トメ", "1932-02-02"));
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー"));
    careManager.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    attachment = doctor.upload(AttachmentTest.png(40, 30), "褥瘡.png", "image/png").json().getString("id");
    String note = created(doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "仙骨部の発赤を確認").put("attachments", new JsonArray().add(attachment))));
    direct = created(doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "相談")
        .put("body", "特別便").put("recipients", new JsonArray().add(nurse.userId))));
    String form = created(doctor.post("/api/v1/patients/" + patient + "/forms",
        new JsonObject().put("template", FormSamples.SHIJISHO).put("values", FormSamples.shijisho())));
    String vitals = created(doctor.post("/api/v1/patients/" + patient + "/vitals", vitalsBody()));
    group = created(doctor.post("/api/v1/groups", new JsonObject().put("name", "感染対策連絡会").put("description", "")));
    String groupNote = created(doctor.post("/api/v1/groups/" + group + "/posts",
        new JsonObject().put("category", "連絡").put("body", "手指消毒の徹底")));
    posts = List.of(note, direct, form, vitals, groupNote);
    // otherTeam has a patient of its own: being a member somewhere must not open doors elsewhere.
    otherTeam.post("/api/v1/patients", CareApiTest.patient("別", "チーム", "ベツ", "チーム", "1950-05-05"));
  }

  private static String created(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static JsonObject vitalsBody() {
    return new JsonObject().put("measuredAt", "2025-01-01T00:00:00Z").put("pulse", 70);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  /** One call: method, concrete path, body (null for none). */
  record Call(HttpMethod method, String path, JsonObject body) {
    CareClient.Reply send(CareClient who) {
      return switch (method.name()) {
        case "GET" -> who.get(path);
        case "DELETE" -> who.delete(path);
        case "POST" -> who.post(path, body);
        case "PUT" -> who.put(path, body);
        default -> throw new AssertionError("the sweep cannot send " + method + " " + path);
      };
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** "METHOD /path/:pattern" of every care route that names a record, as the care features mount them. */
  private List<String> recordRoutes() {
    Router api = Router.router(bed.node.vertx());
    bed.node.feature(CareFeature.class).webRoutes().forEach(routes -> routes.mountApi(api));
    Set<String> routes = new TreeSet<>();
    for (Route route : api.getRoutes()) {
      String path = route.getPath();
      if (path != null && path.contains(":") && !NOT_PATIENT_DATA.containsKey(path)) {
        route.methods().forEach(method -> routes.add(method.name() + " " + path));
      }
    }
    return List.copyOf(routes);
  }

  /** The body a route needs to get past its own validation, so the sweep reaches the access check. */
  private JsonObject body(String route) {
    JsonObject note = new JsonObject().put("category", "連絡").put("body", "x");
    return switch (route) {
      case "POST /patients/:boardId/posts", "POST /groups/:boardId/posts", "PUT /posts/:postId",
          "POST /posts/:postId/comments" -> note;
      case "PUT /patients/:boardId" -> CareApiTest.patient("伊藤", "トメ", "イトウ", "トメ", "1932-02-02");
      case "POST /patients/:boardId/reads", "POST /groups/:boardId/reads" ->
          new JsonObject().put("postIds", new JsonArray(posts));
      case "POST /patients/:boardId/team/invitations" ->
          new JsonObject().put("userId", otherTeam.userId).put("teamRole", "主治医");
      case "POST /groups/:boardId/team/invitations" ->
          new JsonObject().put("userId", otherTeam.userId).put("teamRole", "メンバー");
      case "POST /patients/:boardId/vitals", "PUT /posts/:postId/vitals" -> vitalsBody();
      case "PUT /posts/:postId/form" -> new JsonObject().put("values", FormSamples.shijisho());
      case "PUT /patients/:boardId/form-drafts/:templateId" -> new JsonObject().put("values", FormSamples.ikensho());
      case "POST /patients/:boardId/forms" ->
          new JsonObject().put("template", FormSamples.SHIJISHO).put("values", FormSamples.shijisho());
      case "POST /patients/:boardId/archive", "POST /patients/:boardId/restore", "POST /patients/:boardId/team/leave",
          "POST /groups/:boardId/team/leave", "POST /patients/:boardId/team/members/:userId/remove",
          "POST /groups/:boardId/team/members/:userId/remove", "POST /invitations/:boardId/accept",
          "POST /invitations/:boardId/decline" -> new JsonObject();
      default -> throw new AssertionError(route + " takes a body the access sweep does not know: add one in "
          + "CareAccessSweepTest.body so the route is swept");
    };
  }

  /** The ids to try for a path parameter: every record of that kind the other team has. */
  private List<String> ids(String route, String parameter) {
    return switch (parameter) {
      // A patient's id on a group route and a group's on a patient route must not get through either.
      case "boardId" -> List.of(patient, group);
      case "postId" -> posts;
      case "attachmentId" -> List.of(attachment);
      case "userId" -> List.of(nurse.userId);
      case "templateId" -> List.of(FormSamples.IKENSHO);
      default -> throw new AssertionError(route + " has the path parameter :" + parameter + " that the access sweep"
          + " does not know: add its ids in CareAccessSweepTest.ids so the route is swept");
    };
  }

  /** Every call of every record route, with each id the route's parameters can take. */
  private List<Call> calls(List<String> routes) {
    List<Call> calls = new ArrayList<>();
    for (String route : routes) {
      HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
      String pattern = route.substring(route.indexOf(' ') + 1);
      JsonObject body = method == HttpMethod.GET || method == HttpMethod.DELETE ? null : body(route);
      List<String> paths = List.of(pattern);
      Matcher parameters = PARAMETER.matcher(pattern);
      while (parameters.find()) {
        List<String> expanded = new ArrayList<>();
        for (String id : ids(route, parameters.group(1))) {
          paths.forEach(path -> expanded.add(path.replace(":" + parameters.group(1), id)));
        }
        paths = expanded;
      }
      paths.forEach(path -> calls.add(new Call(method, "/api/v1" + path, body)));
    }
    return calls;
  }

  private String snapshot() {
    return doctor.get("/api/v1/patients/" + patient + "/posts").body() + doctor.get("/api/v1/patients/" + patient
        + "/team").body() + doctor.get("/api/v1/patients/" + patient).body()
        + doctor.get("/api/v1/groups/" + group + "/posts").body() + doctor.get("/api/v1/groups/" + group + "/team").body()
        + doctor.get("/api/v1/patients/" + patient + "/vitals").body();
  }

  @Test
  void the_sweep_covers_the_routes_of_every_kind_of_patient_data() {
    assertThat(recordRoutes()).contains("GET /patients/:boardId", "GET /groups/:boardId/posts",
        "POST /posts/:postId/comments", "GET /posts/:postId/reads", "GET /posts/:postId/pdf",
        "GET /attachments/:attachmentId/thumbnail", "GET /patients/:boardId/live", "POST /patients/:boardId/vitals",
        "POST /patients/:boardId/forms", "PUT /posts/:postId/form", "PUT /posts/:postId/vitals",
        "GET /posts/:postId/versions", "PUT /patients/:boardId/form-drafts/:templateId",
        "POST /invitations/:boardId/accept");
  }

  @Test
  void a_non_member_gets_the_same_404_from_every_record_route_and_changes_nothing() {
    String before = snapshot();
    List<Call> calls = calls(recordRoutes());
    assertThat(calls).hasSizeGreaterThan(100);
    for (Call call : calls) {
      CareClient.Reply reply = call.send(otherTeam);
      assertThat(reply.status()).as(call + ": " + reply.body()).isEqualTo(404);
      assertThat(reply.code()).as(call.toString()).isEqualTo("care.not_found");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_team_member_who_is_not_a_recipient_gets_404_from_every_route_of_the_direct_post() {
    List<String> postRoutes = recordRoutes().stream().filter(r -> r.contains("/posts/:postId")).toList();
    String before = snapshot();
    for (Call call : calls(postRoutes)) {
      if (call.path().contains(direct)) {
        CareClient.Reply reply = call.send(careManager);
        assertThat(reply.status()).as(call + ": " + reply.body()).isEqualTo(404);
        assertThat(reply.code()).as(call.toString()).isEqualTo("care.not_found");
      }
    }
    assertThat(snapshot()).isEqualTo(before);
    assertThat(careManager.get("/api/v1/attachments/" + attachment).status()).isEqualTo(200);
  }

  @Test
  void a_made_up_id_gets_the_same_answer_as_someone_elses() {
    CareClient.Reply missing = otherTeam.get("/api/v1/patients/0000000000000000000000000000");
    CareClient.Reply foreign = otherTeam.get("/api/v1/patients/" + patient);
    assertThat(missing.status()).isEqualTo(foreign.status());
    assertThat(missing.json().getString("message")).isEqualTo(foreign.json().getString("message"));
  }

  @Test
  void a_logged_out_caller_gets_401() {
    CareClient anonymous = new CareClient(bed.node, "none");
    assertThat(anonymous.get("/api/v1/patients").status()).isEqualTo(401);
  }
}
