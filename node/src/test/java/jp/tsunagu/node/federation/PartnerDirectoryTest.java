package jp.tsunagu.node.federation;

import static jp.tsunagu.node.federation.FederationTestNodes.identity;
import static jp.tsunagu.node.federation.FederationTestNodes.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ProfessionalDirectory;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner directory between real nodes over real mutual TLS: 伊那市 searches its partners'
 * professionals; 南箕輪村 shares the care-team scope, 箕輪町 only the resources directory.
 */
class PartnerDirectoryTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";
  private static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";
  private static final List<String> ENTRY_KEYS = List.of("federatedId", "name", "profession", "professionName",
      "facility", "node", "nodeName", "municipalities");

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static WebSession inaNurse;
  static String inaNurseId;
  static AccountSeeder.Created minamiNurse;
  static Vertx vertx;

  @BeforeAll
  static void startNodes() {
    ina = FederationTestNodes.startDemo(dir.resolve("ina"), "ina");
    minamiminowa = FederationTestNodes.startDemo(dir.resolve("minamiminowa"), "minamiminowa");
    minowa = FederationTestNodes.startDemo(dir.resolve("minowa"), "minowa");
    vertx = Vertx.vertx();
    inaNurseId = person(ina, "伊那中央訪問看護ステーション", "202096", "ina-kango01", "高遠", "花子", "nurse",
        Role.PROFESSIONAL).userId();
    inaNurse = WebSession.login(ina, "ina-kango01", PASSWORD);
    minamiNurse = person(minamiminowa, "南箕輪訪問看護ステーション", "203858", "mm-kango", "田畑", "さくら", "nurse",
        Role.PROFESSIONAL);
    String retired = person(minamiminowa, "南箕輪訪問看護ステーション", "203858", "mm-ishi", "田畑", "次郎", "doctor",
        Role.PROFESSIONAL).userId();
    minamiminowa.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update users set status = 'disabled' where id = ?")) {
        s.setString(1, retired);
        return s.executeUpdate();
      }
    }).join();
    person(minamiminowa, "南箕輪訪問看護ステーション", "203858", "mm-jimu", "田畑", "事務", "municipal_staff",
        Role.MUNICIPAL_STAFF);
    person(minowa, "箕輪訪問看護ステーション", "203831", "mw-kango", "木下", "みどり", "nurse", Role.PROFESSIONAL);
    importInto(agreement("kamiina-care", List.of(ina, minamiminowa), Scopes.CARE_TEAM, days(30)), ina, minamiminowa);
    importInto(agreement("kamiina-resources", List.of(ina, minowa), Scopes.RESOURCES_DIRECTORY, days(30)), ina,
        minowa);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  private static AccountSeeder.Created person(TsunaguNode node, String facilityName, String municipality,
      String loginId, String family, String given, String profession, Role role) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility(facilityName, municipality, "長野県", "home_nursing");
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "タバタ", "サクラ",
        profession, role, role == Role.MUNICIPAL_STAFF ? Optional.empty() : Optional.of(facility)), PASSWORD,
        "windows");
  }

  private static Instant days(int days) {
    return Instant.now().plus(Duration.ofDays(days));
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope, Instant notAfter) {
    return agreementOf(id, nodes.stream().map(FederationTestNodes::identity).toList(), scope, notAfter);
  }

  private static AgreementDocument agreementOf(String id, List<NodeIdentity> parties, String scope,
      Instant notAfter) {
    return AgreementDrafts.signed(id, TITLE, parties, Instant.now().minus(Duration.ofDays(1)), notAfter, parties,
        List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) {
    for (TsunaguNode node : nodes) {
      assertThat(post(node, "/admin/v1/agreements", document.toCompactJson()).statusCode()).isEqualTo(201);
    }
  }

  private static void withdraw(AgreementDocument document, NodeIdentity leaving, TsunaguNode... nodes) {
    String statement = Json.write(WithdrawalStatement.sign(document, leaving, Instant.now()).toJson());
    for (TsunaguNode node : nodes) {
      assertThat(post(node, "/admin/v1/withdrawals", statement).statusCode()).isEqualTo(201);
    }
  }

  private static JsonObject search(String query) {
    HttpResponse<String> response = inaNurse.get("/api/v1/partner-directory/professionals?q="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static List<String> nodesOf(JsonArray items) {
    return items.stream().map(JsonObject.class::cast).map(o -> o.getString("node")).distinct().toList();
  }

  /** ina's federation client calling a partner's directory directly, as PartnerDirectory does. */
  private static FederationClient.Answer callDirectly(TsunaguNode from, TsunaguNode to, String query,
      String requester) throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(from), pin -> pin.equals(card.tlsPin()))) {
      String path = ProfessionalDirectory.PATH + (query == null ? "" : "?q=" + URLEncoder.encode(query,
          StandardCharsets.UTF_8));
      return client.get(card, path, requester == null ? Map.of()
          : Map.of(ProfessionalDirectory.REQUESTER_HEADER, requester), 10_000).await(20, TimeUnit.SECONDS);
    }
  }

  private static List<JsonObject> audit(TsunaguNode node, String action) {
    return node.services().database().submitRead(c -> {
      List<JsonObject> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select actor, outcome, detail from audit_log where action = ?"
          + " order by seq")) {
        s.setString(1, action);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(new JsonObject().put("actor", rs.getString(1)).put("outcome", rs.getString(2))
                .put("detail", new JsonObject(rs.getString(3))));
          }
        }
      }
      return rows;
    }).join();
  }

  @Test
  @DisplayName("a search finds the active professionals of a partner under care-team, with name, profession, "
      + "facility and federated id only, and nothing of a partner whose agreement lacks the scope")
  void findsPartnerProfessionals() {
    JsonObject answer = search("訪問看護");

    assertThat(answer.getJsonArray("professionals")).hasSize(1);
    JsonObject nurse = answer.getJsonArray("professionals").getJsonObject(0);
    assertThat(nurse.fieldNames()).containsExactlyInAnyOrderElementsOf(ENTRY_KEYS);
    assertThat(nurse.getString("federatedId")).isEqualTo("mm-kango@minamiminowa");
    assertThat(nurse.getString("name")).isEqualTo("田畑 さくら");
    assertThat(nurse.getString("professionName")).isEqualTo("看護師");
    assertThat(nurse.getString("facility")).isEqualTo("南箕輪訪問看護ステーション");
    assertThat(nurse.getString("municipalities")).isEqualTo("南箕輪村");
    assertThat(nodesOf(answer.getJsonArray("partners"))).containsExactly("minamiminowa");
    assertThat(answer.getJsonArray("unanswered")).isEmpty();
    assertThat(answer.encode()).doesNotContain("@example.jp").doesNotContain(minamiNurse.userId())
        .doesNotContain(minamiNurse.certificateId()).doesNotContain("mw-kango").doesNotContain("mm-ishi")
        .doesNotContain("mm-jimu");
  }

  @Test
  @DisplayName("the partner's own answer on the wire holds exactly the five members of an entry")
  void wirePayloadHasNoForbiddenFields() throws Exception {
    FederationClient.Answer answer = callDirectly(ina, minamiminowa, "田畑", "ina-kango01@ina");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("node", "professionals");
    assertThat(body.getJsonArray("professionals")).hasSize(1);
    assertThat(body.getJsonArray("professionals").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("federatedId", "name", "profession", "professionName", "facility");
    assertThat(answer.body()).doesNotContain("@example.jp").doesNotContain(minamiNurse.userId())
        .doesNotContain(minamiNurse.certificateId()).doesNotContain("タバタ");
  }

  @Test
  @DisplayName("bad search input gets a precise code on the node API and on the federation endpoint")
  void badInput() throws Exception {
    for (Map.Entry<String, String> bad : Map.of("", "directory.query_required", "%E3%80%80",
        "directory.query_required", "a".repeat(41), "directory.query_too_long", "%E7%94%B0%01",
        "directory.query_invalid").entrySet()) {
      HttpResponse<String> response = inaNurse.get("/api/v1/partner-directory/professionals?q=" + bad.getKey());
      assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("code")).isEqualTo(bad.getValue());
    }
    assertThat(inaNurse.get("/api/v1/partner-directory/professionals").statusCode()).isEqualTo(400);
    assertThat(new jp.tsunagu.node.testing.TestHttp(ina).get("/api/v1/partner-directory/professionals?q=x")
        .statusCode()).isEqualTo(401);

    assertThat(callDirectly(ina, minamiminowa, "田畑", null).body()).contains("directory.requester_invalid");
    assertThat(callDirectly(ina, minamiminowa, "田畑", "mm-kango@minamiminowa").body())
        .contains("directory.requester_invalid");
    FederationClient.Answer noQuery = callDirectly(ina, minamiminowa, null, "ina-kango01@ina");
    assertThat(noQuery.status()).isEqualTo(400);
    assertThat(noQuery.body()).contains("directory.query_required");
  }

  @Test
  @DisplayName("wildcards alone are no search text, and within one they match only themselves")
  void wildcardsMatchThemselves() throws Exception {
    for (String wildcards : List.of("%", "_", "%_", "_ _")) {
      FederationClient.Answer answer = callDirectly(ina, minamiminowa, wildcards, "ina-kango01@ina");
      assertThat(answer.status()).as(wildcards).isEqualTo(400);
      assertThat(answer.body()).as(wildcards).contains("directory.query_required");
    }
    FederationClient.Answer withWildcard = callDirectly(ina, minamiminowa, "田_", "ina-kango01@ina");
    assertThat(withWildcard.status()).isEqualTo(200);
    assertThat(new JsonObject(withWildcard.body()).getJsonArray("professionals")).isEmpty();
    assertThat(new JsonObject(callDirectly(ina, minamiminowa, "田畑", "ina-kango01@ina").body())
        .getJsonArray("professionals")).hasSize(1);
  }

  @Test
  @DisplayName("a partner without the care-team scope asking directly is refused with 403 and the refusal is audited")
  void scopeRequired() throws Exception {
    FederationClient.Answer answer = callDirectly(minowa, ina, "高遠", "mw-kango@minowa");
    assertThat(answer.status()).isEqualTo(403);
    assertThat(new JsonObject(answer.body()).getString("code")).isEqualTo("federation.scope_not_granted");
    assertThat(answer.body()).doesNotContain("高遠 花子");
    assertThat(audit(ina, "federation.directory.professionals")).anySatisfy(row -> {
      assertThat(row.getString("actor")).isEqualTo("node:minowa");
      assertThat(row.getString("outcome")).isEqualTo("refused");
      assertThat(row.getJsonObject("detail").getString("reason")).isEqualTo("scope_not_granted");
    });
  }

  @Test
  @DisplayName("each search is audited on the asking node and on the answering node, naming who asked")
  void auditedOnBothNodes() {
    search("さくら");
    assertThat(audit(ina, "directory.professionals.searched")).anySatisfy(row -> {
      assertThat(row.getString("actor")).isEqualTo(inaNurseId);
      assertThat(row.getJsonObject("detail").getString("query")).isEqualTo("さくら");
      assertThat(row.getJsonObject("detail").getJsonArray("asked")).containsExactly("minamiminowa");
    });
    assertThat(audit(minamiminowa, "federation.directory.professionals")).anySatisfy(row -> {
      assertThat(row.getString("actor")).isEqualTo("node:ina");
      assertThat(row.getString("outcome")).isEqualTo("success");
      assertThat(row.getJsonObject("detail").getString("requester")).isEqualTo("ina-kango01@ina");
      assertThat(row.getJsonObject("detail").getString("query")).isEqualTo("さくら");
    });
  }

  @Test
  @DisplayName("a partner's professionals disappear from the search at once when it withdraws from the agreement")
  void withdrawalEndsTheDirectory() {
    AgreementDocument care = agreement("kamiina-care-minowa", List.of(ina, minowa), Scopes.CARE_TEAM, days(30));
    importInto(care, ina, minowa);
    assertThat(nodesOf(search("訪問看護").getJsonArray("professionals"))).contains("minowa");

    withdraw(care, identity(minowa), ina, minowa);
    JsonObject after = search("訪問看護");
    assertThat(nodesOf(after.getJsonArray("professionals"))).containsExactly("minamiminowa");
    assertThat(nodesOf(after.getJsonArray("partners"))).doesNotContain("minowa");
    assertThat(nodesOf(after.getJsonArray("unanswered"))).doesNotContain("minowa");
  }

  @Test
  @DisplayName("a partner's professionals disappear from the search when the agreement expires")
  void expiryEndsTheDirectory() throws InterruptedException {
    Instant notAfter = Instant.now().plusSeconds(3);
    importInto(agreement("kamiina-care-short", List.of(ina, minowa), Scopes.CARE_TEAM, notAfter), ina, minowa);
    assertThat(nodesOf(search("訪問看護").getJsonArray("professionals"))).contains("minowa");

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis()) + 200);
    assertThat(nodesOf(search("訪問看護").getJsonArray("professionals"))).containsExactly("minamiminowa");
  }

  @Test
  @DisplayName("partners that are down or do not answer in time are named, and the others' results still come")
  void silentPartnersAreNamed() throws Exception {
    try (ServerSocket blackHole = new ServerSocket()) {
      blackHole.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread holder = new Thread(() -> holdConnections(blackHole), "black-hole");
      holder.setDaemon(true);
      holder.start();
      NodeIdentity silent = OfflineIdentities.offline(dir, "komaki", "232190",
          URI.create("https://127.0.0.1:" + blackHole.getLocalPort()));
      NodeIdentity down = OfflineIdentities.stranger(dir);
      AgreementDocument withSilent = agreementOf("care-komaki", List.of(identity(ina), silent), Scopes.CARE_TEAM,
          days(30));
      AgreementDocument withDown = agreementOf("care-tsuchiura", List.of(identity(ina), down), Scopes.CARE_TEAM,
          days(30));
      importInto(withSilent, ina);
      importInto(withDown, ina);
      try {
        JsonObject answer = search("訪問看護");
        assertThat(nodesOf(answer.getJsonArray("professionals"))).containsExactly("minamiminowa");
        Map<String, String> problems = new java.util.HashMap<>();
        answer.getJsonArray("unanswered").stream().map(JsonObject.class::cast)
            .forEach(o -> problems.put(o.getString("node"), o.getString("problem")));
        assertThat(problems).containsExactlyInAnyOrderEntriesOf(Map.of("komaki", "peer.timeout",
            "tsuchiura", "peer.unreachable"));
      } finally {
        withdraw(withSilent, silent, ina);
        withdraw(withDown, down, ina);
        holder.interrupt();
      }
    }
  }

  /** Accepts connections and never answers, like a partner that hangs. */
  private static void holdConnections(ServerSocket server) {
    List<Socket> held = new ArrayList<>();
    try {
      while (!server.isClosed()) {
        held.add(server.accept());
      }
    } catch (IOException e) {
      // closed by the test
    } finally {
      held.forEach(socket -> {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      });
    }
  }
}
