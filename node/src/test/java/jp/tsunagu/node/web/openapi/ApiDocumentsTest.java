package jp.tsunagu.node.web.openapi;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestAdmin;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI documents of the three listeners against real nodes: every route a listener really
 * mounts is in its document and every documented route is mounted, each document is served where it
 * belongs and loads as OpenAPI 3.1, and request bodies are checked against it with the codes the
 * routes gave before.
 */
class ApiDocumentsTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static Vertx vertx;

  @BeforeAll
  static void startNodes() {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    vertx = Vertx.vertx();
    List<NodeIdentity> parties = List.of(identity(ina), identity(minamiminowa));
    AgreementDocument agreement = AgreementDrafts.signed("kamiina-care", "上伊那地域在宅医療・介護連携に関する広域連携協定",
        parties, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), parties,
        List.of(Scopes.CARE_TEAM));
    for (TsunaguNode node : List.of(ina, minamiminowa)) {
      assertThat(admin(node, "POST", "/admin/v1/agreements", agreement.toCompactJson()).statusCode()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    ina.close();
    minamiminowa.close();
  }

  @Test
  void every_route_a_listener_mounts_is_in_its_document_and_every_documented_route_is_mounted() {
    for (ApiListener listener : ApiListener.values()) {
      Set<String> mounted = ApiDocuments.mounted(ina.vertx(), listener);
      Set<String> documented = ApiDocuments.documented(listener);
      assertThat(mounted).as("routes of the %s listener", listener).isNotEmpty();
      assertThat(minus(mounted, documented)).as("mounted on the %s listener but not in %s", listener,
          listener.resource()).isEmpty();
      assertThat(minus(documented, mounted)).as("in %s but not mounted on the %s listener", listener.resource(),
          listener).isEmpty();
    }
  }

  @Test
  void exactly_the_routes_that_honour_idempotency_key_document_it_and_every_create_is_among_them() {
    Set<String> guarded = ApiDocuments.idempotent(ina.vertx(), ApiListener.WEB);

    assertThat(guarded).isEqualTo(ApiDocuments.documentedIdempotent(ApiListener.WEB));
    assertThat(guarded).contains("POST /api/v1/patients/{boardId}/posts", "POST /api/v1/groups/{boardId}/posts",
        "POST /api/v1/posts/{postId}/comments", "POST /api/v1/uploads", "POST /api/v1/patients",
        "POST /api/v1/patients/{boardId}/vitals", "POST /api/v1/patients/{boardId}/forms", "POST /api/v1/groups",
        "POST /api/v1/patients/{boardId}/team/invitations", "POST /api/v1/referrals", "POST /api/v1/staff/resources",
        "POST /api/v1/registrations", "POST /api/v1/facility/staff", "POST /api/v1/municipal/accounts");
    for (ApiListener other : List.of(ApiListener.ADMIN, ApiListener.FEDERATION)) {
      assertThat(ApiDocuments.documentedIdempotent(other)).as("%s", other).isEmpty();
    }
  }

  @Test
  void the_web_listener_serves_its_document_to_anyone_as_openapi_3_1() {
    HttpResponse<String> response = new TestHttp(ina).get("/api/v1/openapi.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("application/json"));
    assertLoadsAsOpenApi31(response.body(), "/api/v1/patients/{boardId}/posts");
  }

  @Test
  void the_admin_listener_serves_its_document_to_the_operator_only() {
    HttpResponse<String> anonymous = send(HttpRequest.newBuilder(ina.adminUrl().resolve("/admin/v1/openapi.json"))
        .GET().build());
    HttpResponse<String> operator = admin(ina, "GET", "/admin/v1/openapi.json", null);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("code")).isEqualTo("admin.unauthorized");
    assertThat(operator.statusCode()).isEqualTo(200);
    assertLoadsAsOpenApi31(operator.body(), "/admin/v1/agreements");
  }

  @Test
  void the_federation_listener_serves_its_document_to_a_partner() throws Exception {
    FederationClient.Answer answer;
    // Held until answered: Vert.x closes an HTTP client nothing refers to any more ("Pool closed").
    try (FederationClient partner = partnerClient()) {
      answer = partner.get(card(ina), "/federation/v1/openapi.json", Map.of(), 20_000).await(30, TimeUnit.SECONDS);
    }

    assertThat(answer.status()).isEqualTo(200);
    assertLoadsAsOpenApi31(answer.body(), "/federation/v1/boards/{boardId}/events");
  }

  @Test
  void a_plain_schema_passes_a_body_only_where_the_schema_validator_does_and_the_post_route_is_one() throws Exception {
    OpenAPIContract contract = OpenAPIContract.from(vertx, ApiDocument.read(ApiListener.WEB))
        .await(30, TimeUnit.SECONDS);
    BodyChecks checks = BodyChecks.of(contract);
    assertThat(checks.plainRoutes()).contains("POST /api/v1/patients/:boardId/posts");

    JsonArray strings = new JsonArray().add("a").add("b");
    List<JsonObject> bodies = List.of(new JsonObject(),
        new JsonObject().put("category", "観察").put("body", "訪問時、食欲あり。").put("recipients", strings)
            .put("attachments", new JsonArray()),
        new JsonObject().put("body", 7), new JsonObject().put("body", (String) null),
        new JsonObject().put("recipients", new JsonArray().add(1)), new JsonObject().put("recipients", "a"),
        new JsonObject().put("attachments", new JsonArray().add(new JsonObject())),
        new JsonObject().put("unknown", true), new JsonObject().put("ids", new JsonArray().add(2).add(1)),
        new JsonObject().put("ids", strings), new JsonObject().put("name", "伊那").put("enabled", false),
        new JsonObject().put("nested", new JsonObject().put("a", new JsonArray())));
    long passedPlainly = 0;
    for (String route : checks.plainRoutes()) {
      for (JsonObject body : bodies) {
        boolean[] judged = checks.plainAndValidator(route, body);
        if (judged[0]) {
          passedPlainly++;
          assertThat(judged[1]).as("%s passes %s plainly, so the validator must too", route, body).isTrue();
        }
      }
    }
    assertThat(passedPlainly).isPositive();
    // a refusal still comes from the validator, naming the field as before
    CodedException refused = catchThrowableOfType(CodedException.class, () -> checks.check("POST",
        "/api/v1/patients/:boardId/posts", new JsonObject().put("recipients", "mm-nurse")));
    assertThat(refused.code()).isEqualTo("validation.malformed");
    assertThat(refused.getMessage()).isEqualTo("特別便の宛先の形式が正しくありません。");
  }

  @Test
  void a_body_is_checked_against_the_schema_its_document_states_for_the_route() throws Exception {
    OpenAPIContract contract = OpenAPIContract.from(vertx, ApiDocument.read(ApiListener.WEB))
        .await(30, TimeUnit.SECONDS);
    BodyChecks checks = BodyChecks.of(contract);

    CodedException refused = catchThrowableOfType(CodedException.class, () -> checks.check("PUT",
        "/api/v1/care/category-order", new JsonObject().put("ids", "1,2")));
    checks.check("PUT", "/api/v1/care/category-order", new JsonObject().put("ids", new JsonArray().add(2).add(1)));
    checks.check("POST", "/api/v1/auth/logout", new JsonObject().put("anything", 1));

    assertThat(refused.kind()).isEqualTo(CodedException.Kind.INVALID);
    assertThat(refused.code()).isEqualTo("validation.malformed");
    assertThat(refused.getMessage()).isEqualTo("並び順の形式が正しくありません。");
    assertThat(checks.routes()).contains("POST /api/v1/patients", "PUT /api/v1/patients/:boardId",
        "POST /api/v1/groups/:boardId/posts", "POST /api/v1/municipal/accounts");
  }

  @Test
  void a_post_whose_recipients_are_not_a_list_gets_validation_malformed_as_before() {
    AccountSeeder seeder = new AccountSeeder(ina.services());
    String facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "home_nursing");
    seeder.createUser(new AccountSeeder.Person("ina-kango01", "ina-kango01@example.jp", "高遠", "花子", "タカトオ", "ハナコ",
        "nurse", Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    WebSession nurse = WebSession.login(ina, "ina-kango01", PASSWORD);
    HttpResponse<String> group = nurse.post("/api/v1/groups", new JsonObject().put("name", "退院調整"));
    assertThat(group.statusCode()).as(group.body()).isBetween(200, 201);
    String boardId = new JsonObject(group.body()).getString("id");

    HttpResponse<String> refused = nurse.post("/api/v1/groups/" + boardId + "/posts", new JsonObject()
        .put("category", "連絡").put("body", "明日の訪問は午後です。").put("recipients", "ina-kango02"));
    HttpResponse<String> anonymous = new TestHttp(ina).post("/api/v1/groups/" + boardId + "/posts",
        "application/json", "{\"recipients\": 5}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("validation.malformed");
    assertThat(new JsonObject(refused.body()).getString("message")).isEqualTo("特別便の宛先の形式が正しくありません。");
    assertThat(anonymous.statusCode()).as("authentication answers before the body is read").isIn(401, 403);
  }

  @Test
  void a_pushed_page_that_is_not_an_events_list_gets_request_malformed_as_before() throws Exception {
    FederationClient.Reply reply;
    try (FederationClient partner = partnerClient()) {
      reply = partner.call(card(ina), HttpMethod.POST, "/federation/v1/boards/board-1/events",
          Buffer.buffer("{\"events\": {}}"), "application/json").await(30, TimeUnit.SECONDS);
    }

    assertThat(reply.status()).isEqualTo(400);
    JsonObject error = new JsonObject(reply.body());
    assertThat(error.getString("code")).isEqualTo("request.malformed");
    assertThat(error.getString("message")).isEqualTo("the body must be {\"events\": [...]}");
  }

  private static void assertLoadsAsOpenApi31(String json, String somePath) {
    try {
      OpenAPIContract contract = OpenAPIContract.from(vertx, new JsonObject(json)).await(30, TimeUnit.SECONDS);
      assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
      assertThat(contract.getPaths()).extracting(p -> p.getName()).contains(somePath);
    } catch (Exception e) {
      throw new AssertionError("the served document does not load as OpenAPI 3.1", e);
    }
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> rest = new TreeSet<>(a);
    rest.removeAll(b);
    return rest;
  }

  private static FederationClient partnerClient() {
    NodeCard target = card(ina);
    return new FederationClient(vertx, identity(minamiminowa), pin -> pin.equals(target.tlsPin()));
  }

  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static NodeCard card(TsunaguNode node) {
    return identity(node).card();
  }

  private static TsunaguNode start(String networkNode) {
    JsonObject config = TestNodes.json(networkNode);
    config.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir.resolve(networkNode)).asDemo());
  }


  private static HttpResponse<String> admin(TsunaguNode node, String method, String path, String body) {
    return send(HttpRequest.newBuilder(node.adminUrl().resolve(path))
        .header("Authorization", TestAdmin.authorization(node)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
