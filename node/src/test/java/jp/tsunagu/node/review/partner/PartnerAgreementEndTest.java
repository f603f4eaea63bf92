package jp.tsunagu.node.review.partner;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner reviewer's node after an agreement with a home ends: 南箕輪村's doctor sits on panels of two
 * homes, 伊那市 and 箕輪町, each under its own {@code certification-review} agreement. Once 南箕輪村
 * withdraws from 伊那市's, her node drops every review row and file it holds from 伊那市 (the home's
 * deletion order would now be refused there), audited with the counts; 箕輪町's copies stay whole. Then
 * 箕輪町's agreement runs out while her node is down: her node drops its copies as it starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerAgreementEndTest {

  private static final String PASSWORD = "Kamiina-shinsa-2026!";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minowa;
  static TsunaguNode minamiminowa;
  static AgreementDocument inaAgreement;
  static JsonObject minamiminowaJson;
  /** When 箕輪町's agreement ends: after the first test, while her node is down in the second. */
  static Instant minowaEnds;
  static CareClient partner;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina");
    minowa = start("minowa");
    minamiminowa = start("minamiminowa");
    inaAgreement = agreement("kamiina-shinsa", List.of(ina, minamiminowa), Instant.now().plus(Duration.ofDays(30)));
    importInto(inaAgreement, ina, minamiminowa);
    minowaEnds = Instant.now().plus(Duration.ofSeconds(75));
    importInto(agreement("minowa-shinsa", List.of(minowa, minamiminowa), minowaEnds), minowa, minamiminowa);
    String oshiba = new AccountSeeder(minamiminowa.services()).createFacility("大芝クリニック", "203858", "長野県",
        "clinic");
    partner = client(minamiminowa, "mm-ishi", Role.PROFESSIONAL, "doctor", Optional.of(oshiba), "大芝");
  }

  @AfterAll
  static void stopNodes() {
    for (TsunaguNode node : List.of(ina, minowa, minamiminowa)) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void an_ended_agreement_drops_every_review_copy_of_that_home_on_her_node_and_nothing_of_the_other() throws Exception {
    String inaCase = releasedCase(ina, "ina", "R-101", 2);
    String minowaCase = releasedCase(minowa, "mw", "M-201", 1);
    JsonObject held = ok(partner.get("/api/v1/review/partner/sessions"));
    assertThat(held.getJsonArray("sessions")).hasSize(2);
    String inaSession = session(held, "ina");
    // Her opinion on 伊那市's case: opinions and the view she was answered with are held for her too.
    ok(partner.put("/api/v1/review/partner/cases/" + inaCase + "/opinion", new JsonObject().put("node", "ina")
        .put("sessionId", inaSession).put("agrees", true).put("months", 12).put("comment", "一次判定どおり")));
    assertThat(held("ina")).isPositive();
    long fromMinowa = held("minowa");
    assertThat(fromMinowa).isPositive();
    Path store = minamiminowa.services().config().dataDir().resolve("review-partner");
    assertThat(filesUnder(store)).isEqualTo(3);

    // 南箕輪村 withdraws from 伊那市's review agreement; both nodes learn of it.
    String leave = Json.write(WithdrawalStatement.sign(inaAgreement, minamiminowa.services().keys().identity(),
        Instant.now()).toJson());
    for (TsunaguNode node : List.of(minamiminowa, ina)) {
      TestNodes.federation(node).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
    }

    // Audited once the files are gone (the rows go first, in one transaction).
    eventually("伊那市's review copies are dropped on her node", () -> TestSql.count(minamiminowa, "select count(*)"
        + " from audit_log where action = 'review.partner.home_dropped' and target = 'review_partner_home:ina'") == 1);
    assertThat(held("ina")).isZero();
    assertThat(filesUnder(store)).as("伊那市's two materials gone, 箕輪町's kept").isEqualTo(1);
    assertThat(held("minowa")).isEqualTo(fromMinowa);
    JsonObject after = ok(partner.get("/api/v1/review/partner/sessions"));
    assertThat(after.getJsonArray("sessions")).hasSize(1);
    assertThat(after.getJsonArray("sessions").getJsonObject(0).getString("node")).isEqualTo("minowa");
    // Her opinion on 伊那市's case cannot be sent from copies no longer held: 404 on her node.
    assertThat(partner.put("/api/v1/review/partner/cases/" + inaCase + "/opinion", new JsonObject()
        .put("node", "ina").put("sessionId", inaSession).put("agrees", true).put("months", 12)).status())
        .isEqualTo(404);
    JsonObject audited = new JsonObject(minamiminowa.services().database().submitRead(c -> {
      try (var q = c.prepareStatement("select detail from audit_log where action = 'review.partner.home_dropped'"
          + " and target = 'review_partner_home:ina'"); var r = q.executeQuery()) {
        return r.next() ? r.getString(1) : "{}";
      }
    }).join());
    assertThat(audited.getInteger("sittings")).isEqualTo(1);
    assertThat(audited.getInteger("cases")).isEqualTo(1);
    assertThat(audited.getInteger("materials")).isEqualTo(2);
    assertThat(audited.getInteger("opinions")).isPositive();
    assertThat(audited.getInteger("files")).isEqualTo(2);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.home_dropped' and target = 'review_partner_home:minowa'")).isZero();
    // 箕輪町's case is still hers to read.
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_cases where case_id = ?", minowaCase))
        .isEqualTo(1);
  }

  @Test
  @Order(2)
  void copies_of_a_home_whose_agreement_ended_while_her_node_was_down_are_dropped_as_it_starts() throws Exception {
    assertThat(held("minowa")).as("箕輪町's agreement still runs").isPositive();
    minamiminowa.close();
    long wait = Duration.between(Instant.now(), minowaEnds).toMillis();
    if (wait > 0) {
      Thread.sleep(wait + 1_000);
    }
    minamiminowa = TsunaguNode.start(new ConfigLoader(key -> null).fromJson(minamiminowaJson,
        dir.resolve("minamiminowa")).asDemo());
    eventually("箕輪町's review copies are dropped as her node starts", () -> TestSql.count(minamiminowa,
        "select count(*) from audit_log where action = 'review.partner.home_dropped'"
            + " and target = 'review_partner_home:minowa'") == 1);
    assertThat(held("minowa")).isZero();
    assertThat(filesUnder(minamiminowa.services().config().dataDir().resolve("review-partner"))).isZero();
  }

  /** Everything held on her node from a home, over every review table. */
  private static long held(String home) {
    long n = 0;
    for (String table : List.of("review_partner_sessions", "review_partner_cases", "review_partner_materials",
        "review_partner_opinions", "review_partner_opinion_views", "review_partner_notices")) {
      n += TestSql.count(minamiminowa, "select count(*) from " + table + " where home_node = ?", home);
    }
    return n;
  }

  private static String session(JsonObject held, String home) {
    return held.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("node").equals(home)).findFirst().orElseThrow().getString("sessionId");
  }

  /** A home's panel of two of its own and her, a session with one case and {@code materials} PDFs, released. */
  private static String releasedCase(TsunaguNode home, String prefix, String number, int materials) throws IOException {
    CareClient secretariat = client(home, prefix + "-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff",
        Optional.empty(), "事務局");
    String clinic = new AccountSeeder(home.services()).createFacility(prefix + "審査診療所", "202096", "長野県",
        "clinic");
    CareClient chair = client(home, prefix + "-ishi", Role.PROFESSIONAL, "doctor", Optional.of(clinic), "北原");
    CareClient nurse = client(home, prefix + "-kango", Role.PROFESSIONAL, "nurse", Optional.of(clinic), "宮下");
    JsonArray seats = new JsonArray();
    seats.add(seat(secretariat, new JsonObject().put("userId", chair.userId).put("qualification", "doctor"), "chair"));
    seats.add(seat(secretariat, new JsonObject().put("userId", nurse.userId).put("qualification", "nurse"),
        "deputy"));
    seats.add(seat(secretariat, new JsonObject().put("nodeId", "minamiminowa").put("userId", partner.userId)
        .put("displayName", "大芝 花子").put("qualification", "doctor"), "member"));
    String panel = ok(secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 2).put("quorum", 3)))
        .getString("id");
    ok(secretariat.put("/api/v1/review/panels/" + panel + "/members", new JsonObject().put("members", seats)));
    Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    String session = ok(secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", panel)
        .put("startsAt", start.toString()).put("endsAt", start.plus(2, ChronoUnit.HOURS).toString())
        .put("opinionDeadline", Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString())))
        .getString("id");
    String caseId = ok(secretariat.post("/api/v1/review/sessions/" + session + "/cases", new JsonObject()
        .put("caseNumber", number).put("applicantName", "春日 八重").put("applicantAddress", "伊那市西箕輪3000-1")
        .put("insuredNumber", "0001234567").put("doctorName", "竜東 一郎").put("facilityName", "伊那中央クリニック")
        .put("firstLevel", "care_3").put("baseMinutes", 52).put("itemScores", new JsonObject().put("group1", 60)
            .put("group2", 80).put("group3", 90).put("group4", 70).put("group5", 50))
        .put("specialNotes", "夜間にトイレへ3回起きる。"))).getString("id");
    for (int i = 1; i <= materials; i++) {
      ok(secretariat.postBytes("/api/v1/review/cases/" + caseId + "/materials?kind=" + (i == 1 ? "doctor_opinion"
          : "reference"), pdf(number + " material " + i), "application/pdf"));
    }
    JsonObject released = ok(secretariat.post("/api/v1/review/sessions/" + session + "/release", new JsonObject()));
    assertThat(released.getJsonArray("partnerDeliveries").getList()).containsExactly("ok");
    return caseId;
  }

  private static JsonObject seat(CareClient secretariat, JsonObject appointment, String position) {
    String id = ok(secretariat.post("/api/v1/review/appointments", appointment.put("termFrom", "2026-04-01")
        .put("termTo", "2028-03-31"))).getString("id");
    return new JsonObject().put("appointmentId", id).put("position", position);
  }

  private static void eventually(String what, BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(200);
    }
  }

  private static JsonObject ok(CareClient.Reply reply) {
    if (reply.status() != 200 && reply.status() != 201) {
      throw new AssertionError("refused: " + reply);
    }
    return reply.json();
  }

  private static byte[] pdf(String text) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      try (PDPageContentStream s = new PDPageContentStream(document, page)) {
        s.beginText();
        s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        s.newLineAtOffset(72, 700);
        s.showText(text);
        s.endText();
      }
      document.save(out);
      return out.toByteArray();
    }
  }

  private static long filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static CareClient client(TsunaguNode node, String loginId, Role role, String profession,
      Optional<String> facility, String family) {
    String id = new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId, loginId
        + "@example.jp", family, "花子", "シンサ", "ハナコ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

  private static TsunaguNode start(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    if (name.equals("minamiminowa")) {
      minamiminowaJson = json.copy(); // restarted on the same port: the agreements name its endpoint
    }
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, Instant notAfter) {
    List<NodeIdentity> parties = nodes.stream().map(PartnerAgreementEndTest::identity).toList();
    return AgreementDrafts.signed(id, "介護認定審査会に関する協定", parties, Instant.now().minus(Duration.ofDays(1)),
        notAfter, parties, List.of(Scopes.CERTIFICATION_REVIEW));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
