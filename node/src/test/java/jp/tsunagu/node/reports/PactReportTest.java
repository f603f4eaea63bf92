package jp.tsunagu.node.reports;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.StatisticsExchange;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pact report between three real nodes over real mutual TLS: 伊那市 and 南箕輪村 share the
 * statistics scope; 箕輪町 shares only care-team with 伊那市, though 伊那市 alone believes otherwise
 * (an agreement with statistics imported on 伊那市 only). 伊那市's 行政 reads 南箕輪村's signed counts with
 * the small cells suppressed there, and 箕輪町 named as not answering with its refusal's code; hostile
 * requests are sent with 伊那市's own federation client.
 */
class PactReportTest {

  private static final String PASSWORD = "Kamiina-tokei-2026";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static WebSession staff;
  static Vertx vertx;
  static String month;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina");
    minamiminowa = start("minamiminowa");
    minowa = start("minowa");
    vertx = Vertx.vertx();
    month = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
    person(ina, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    staff = WebSession.login(ina, "ina-gyosei", PASSWORD);
    String clinic = new AccountSeeder(minamiminowa.services()).createFacility("大芝クリニック", "203858", "長野県", "clinic");
    person(minamiminowa, "mm-ishi", Role.PROFESSIONAL, "doctor", Optional.of(clinic));
    WebSession doctor = WebSession.login(minamiminowa, "mm-ishi", PASSWORD);
    String first = null;
    for (int i = 1; i <= 6; i++) {
      HttpResponse<String> created = doctor.post("/api/v1/patients", CareApiTest.patient("大芝", "住民" + i,
          "オオシバ", "ジュウミン", "1940-01-0" + i).put("address", "長野県上伊那郡南箕輪村大芝" + i)
          .put("municipalityCode", "203858").put("acpNotes", ""));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      first = first == null ? new JsonObject(created.body()).getString("id") : first;
    }
    HttpResponse<String> posted = doctor.post("/api/v1/patients/" + first + "/posts",
        new JsonObject().put("category", "連絡").put("body", "大芝さんの訪問記録"));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    importInto(agreement("kamiina-statistics", List.of(ina, minamiminowa), Scopes.STATISTICS), ina, minamiminowa);
    importInto(agreement("kamiina-care", List.of(ina, minowa), Scopes.CARE_TEAM), ina, minowa);
    importInto(agreement("kamiina-statistics-unsent", List.of(ina, minowa), Scopes.STATISTICS), ina);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  void the_pact_report_shows_a_partner_s_signed_counts_with_small_cells_suppressed_and_names_who_did_not_answer() {
    HttpResponse<String> answer = staff.get("/api/v1/reports/pact?from=" + month + "&to=" + month);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonObject report = new JsonObject(answer.body());
    JsonObject minami = null;
    for (Object n : report.getJsonArray("nodes")) {
      if (((JsonObject) n).getString("node").equals("minamiminowa")) {
        minami = (JsonObject) n;
      }
    }
    assertThat(minami).as(answer.body()).isNotNull();
    JsonObject counts = minami.getJsonObject("months").getJsonObject(month);
    assertThat(counts.getLong("care.patients")).isEqualTo(6);
    assertThat(counts.getLong("care.patients_new")).isEqualTo(6);
    assertThat(counts.containsKey("care.posts")).as("one post is a small cell").isFalse();
    assertThat(minami.getJsonObject("suppressed").getJsonArray(month).getList())
        .contains("care.posts", "identity.professionals", "identity.facilities");
    assertThat(counts.fieldNames()).noneMatch(key -> key.endsWith("_percent") || key.endsWith("_minutes"));
    JsonArray unanswered = report.getJsonArray("unanswered");
    assertThat(unanswered).hasSize(1);
    assertThat(unanswered.getJsonObject(0).getString("node")).isEqualTo("minowa");
    assertThat(unanswered.getJsonObject(0).getString("code")).isEqualTo("federation.scope_not_granted");
    assertThat(answer.body()).doesNotContain("大芝", "住民");
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'reports.statistics.answered'"
        + " and actor = 'node:ina'")).isGreaterThanOrEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'reports.pact.read'"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_partner_without_the_scope_is_refused_with_a_stable_code_and_nothing_disclosed() throws Exception {
    FederationClient.Reply refused = send(minowa, request(month, month).sign(identity(ina)));
    assertThat(refused.status()).isEqualTo(403);
    ErrorResponse error = ErrorResponse.parse(refused.body().toString());
    assertThat(error.code()).isEqualTo("federation.scope_not_granted");
    assertThat(refused.body().toString()).doesNotContain("care.", "months");
    assertThat(TestSql.count(minowa, "select count(*) from audit_log where action = 'reports.statistics.request'"
        + " and outcome = 'refused' and actor = 'node:ina'")).isGreaterThanOrEqualTo(1);
    assertThat(TestSql.count(minowa, "select count(*) from statistics_requests")).isZero();
  }

  @Test
  void a_replayed_request_and_bad_periods_are_refused_with_their_codes() throws Exception {
    String once = request(month, month).sign(identity(ina));
    assertThat(send(minamiminowa, once).status()).isEqualTo(200);
    FederationClient.Reply replay = send(minamiminowa, once);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(ErrorResponse.parse(replay.body().toString()).code()).isEqualTo("reports.statistics_replayed");
    long kept = TestSql.count(minamiminowa, "select count(*) from statistics_requests");
    YearMonth now = YearMonth.parse(month);
    Map<String, String> bad = Map.of(now.minusYears(6) + "|" + now, "reports.period_too_long",
        "2026-13|" + now, "reports.invalid_period", "last year|" + now, "reports.invalid_period");
    for (Map.Entry<String, String> period : bad.entrySet()) {
      String[] fromTo = period.getKey().split("\\|");
      FederationClient.Reply reply = send(minamiminowa, request(fromTo[0], fromTo[1]).sign(identity(ina)));
      assertThat(reply.status()).as(period.getKey()).isEqualTo(400);
      assertThat(ErrorResponse.parse(reply.body().toString()).code()).as(period.getKey()).isEqualTo(period.getValue());
    }
    FederationClient.Reply stale = send(minamiminowa, new StatisticsExchange.Request(UUID.randomUUID().toString(), "ina",
        month, month, Instant.now().minus(Duration.ofHours(1))).sign(identity(ina)));
    assertThat(ErrorResponse.parse(stale.body().toString()).code()).isEqualTo("reports.statistics_stale");
    // Signed by a node that is no party of the pact, relayed by ina.
    FederationClient.Reply forged = send(minamiminowa, new StatisticsExchange.Request(UUID.randomUUID().toString(),
        "minowa", month, month, Instant.now()).sign(identity(minowa)));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(ErrorResponse.parse(forged.body().toString()).code()).isEqualTo("reports.statistics_signature_invalid");
    assertThat(TestSql.count(minamiminowa, "select count(*) from statistics_requests")).isEqualTo(kept);
  }

  @Test
  void a_summary_verifies_only_as_the_partner_that_signed_it() throws Exception {
    FederationClient.Reply reply = send(minamiminowa, request(month, month).sign(identity(ina)));
    var trust = TestNodes.federation(ina).agreements().current().trustStore("ina", Instant.now());
    assertThat(StatisticsExchange.Summary.verify(reply.body().toString(), trust, "minamiminowa").node())
        .isEqualTo("minamiminowa");
    try {
      StatisticsExchange.Summary.verify(reply.body().toString(), trust, "minowa");
      throw new AssertionError("verified as another node's");
    } catch (jp.tsunagu.federation.ProtocolException e) {
      assertThat(e.code()).isEqualTo("statistics_summary.node_mismatch");
    }
  }

  private static StatisticsExchange.Request request(String from, String to) {
    return new StatisticsExchange.Request(UUID.randomUUID().toString(), "ina", from, to, Instant.now());
  }

  private static FederationClient.Reply send(TsunaguNode to, String compact) throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(ina), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, StatisticsExchange.PATH, Buffer.buffer(compact), FederationV1.JOSE)
          .await(20, TimeUnit.SECONDS);
    }
  }

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static void person(TsunaguNode node, String loginId, Role role, String profession, Optional<String> facility) {
    new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", "統計",
        "太郎", "トウケイ", "タロウ", profession, role, facility), PASSWORD, "windows");
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(PactReportTest::identity).toList();
    return AgreementDrafts.signed(id, "上伊那地域の在宅医療・介護連携の評価に関する協定", parties,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
