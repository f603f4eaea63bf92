package jp.tsunagu.node.review.partner;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.AgreementDrafts;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.review.ReviewFeature;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A partner reviewer's full round between real nodes of the Kamiina pact over real mutual TLS: 伊那市
 * holds the panel (the home), 南箕輪村's doctor sits on it under {@code certification-review}, 箕輪町 shares
 * only care-team with 伊那市. The release reaches her node as copies for her; she opens them there,
 * stamped and audited, and sends her 事前審査, counted at the home like a local reviewer's; hostile
 * messages are refused with their codes and change nothing; the home's deletion removes the copies'
 * files on her node too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerRoundTest {

  private static final String PASSWORD = "Kamiina-shinsa-2026!";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static JsonObject minamiminowaJson;
  static Vertx vertx;
  static CareClient secretariat;
  static CareClient chair;
  static CareClient nurse;
  static CareClient partner;
  static String session;
  static String panel;
  static String otherSession;
  static String caseId;
  static String otherCase;

  @BeforeAll
  static void startNodes() throws Exception {
    ina = start("ina", new JsonObject().put("deleteAfterDays", 0));
    minamiminowa = start("minamiminowa", null);
    minowa = start("minowa", null);
    vertx = Vertx.vertx();
    importInto(agreement("kamiina-shinsa", List.of(ina, minamiminowa), Scopes.CERTIFICATION_REVIEW), ina,
        minamiminowa);
    importInto(agreement("kamiina-care", List.of(ina, minowa), Scopes.CARE_TEAM), ina, minowa);
    secretariat = client(ina, "ina-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff", Optional.empty(), "事務局");
    String clinic = new AccountSeeder(ina.services()).createFacility("伊那審査診療所", "202096", "長野県", "clinic");
    chair = client(ina, "ina-ishi", Role.PROFESSIONAL, "doctor", Optional.of(clinic), "北原");
    nurse = client(ina, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(clinic), "宮下");
    String oshiba = new AccountSeeder(minamiminowa.services()).createFacility("大芝クリニック", "203858", "長野県",
        "clinic");
    partner = client(minamiminowa, "mm-ishi", Role.PROFESSIONAL, "doctor", Optional.of(oshiba), "大芝");
    JsonArray seats = new JsonArray();
    seats.add(seat(appoint(new JsonObject().put("userId", chair.userId).put("qualification", "doctor")), "chair"));
    seats.add(seat(appoint(new JsonObject().put("userId", nurse.userId).put("qualification", "nurse")), "deputy"));
    seats.add(seat(appoint(new JsonObject().put("nodeId", "minamiminowa").put("userId", partner.userId)
        .put("displayName", "大芝 花子").put("qualification", "doctor")), "member"));
    panel = ok(secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 4).put("quorum", 3)))
        .getString("id");
    ok(secretariat.put("/api/v1/review/panels/" + panel + "/members", new JsonObject().put("members", seats)));
    session = session(panel, Duration.ofDays(1));
    caseId = ok(secretariat.post("/api/v1/review/sessions/" + session + "/cases", caseBody("R-101"))).getString("id");
    ok(secretariat.postBytes("/api/v1/review/cases/" + caseId + "/materials?kind=doctor_opinion",
        pdf("shujii iken-sho R-101"), "application/pdf"));
    otherSession = session(panel, Duration.ofDays(1));
    otherCase = ok(secretariat.post("/api/v1/review/sessions/" + otherSession + "/cases", caseBody("R-201")))
        .getString("id");
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void the_release_reaches_her_node_as_copies_for_her_which_she_opens_stamped_there() throws Exception {
    JsonObject released = ok(secretariat.post("/api/v1/review/sessions/" + session + "/release", new JsonObject()));
    assertThat(released.getJsonArray("partnerDeliveries").getList()).containsExactly("ok");
    JsonObject held = ok(partner.get("/api/v1/review/partner/sessions"));
    assertThat(held.getJsonArray("sessions")).hasSize(1);
    JsonObject s = held.getJsonArray("sessions").getJsonObject(0);
    assertThat(s.getString("node")).isEqualTo("ina");
    JsonObject kase = s.getJsonArray("cases").getJsonObject(0);
    assertThat(kase.getString("label")).contains("第4合議体").contains("事例01");
    assertThat(held.encode()).doesNotContain("春日", "0001234567", "竜東", "R-101");
    String copy = kase.getJsonArray("materials").getJsonObject(0).getString("id");
    HttpResponse<byte[]> opened = partner.download("/api/v1/review/partner/materials/" + copy);
    assertThat(opened.statusCode()).isEqualTo(200);
    assertThat(text(opened.body())).contains("shujii iken-sho R-101").contains("閲覧");
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.material.opened' and actor = '" + partner.userId + "'")).isEqualTo(1);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.package_received' and actor = 'node:ina'")).isEqualTo(1);
    // Nobody else on her node reaches her copies.
    CareClient colleague = client(minamiminowa, "mm-kango", Role.PROFESSIONAL, "nurse", Optional.empty(), "南");
    assertThat(colleague.get("/api/v1/review/partner/materials/" + copy).status()).isEqualTo(404);
    assertThat(ok(colleague.get("/api/v1/review/partner/sessions")).getJsonArray("sessions")).isEmpty();
  }

  @Test
  @Order(2)
  void her_opinion_from_her_node_counts_at_the_home_like_a_local_reviewer_s() {
    JsonObject recorded = ok(partner.put("/api/v1/review/partner/cases/" + caseId + "/opinion", new JsonObject()
        .put("node", "ina").put("sessionId", session).put("agrees", false).put("level", "care_4")
        .put("reason", "doctor_opinion_more").put("months", 6).put("comment", "夜間の介護の手間が大きい")));
    assertThat(recorded.getString("level")).isEqualTo("care_4");
    JsonObject aggregation = ok(chair.get("/api/v1/review/my/sessions/" + session + "/aggregation"));
    JsonObject first = aggregation.getJsonArray("cases").getJsonObject(0);
    assertThat(first.getJsonObject("levels").getInteger("要介護4")).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.opinion_submitted'"
        + " and actor = 'node:minamiminowa'")).isEqualTo(1);
    // A case not held for her on her node: 404 there, nothing sent.
    assertThat(partner.put("/api/v1/review/partner/cases/" + otherCase + "/opinion", new JsonObject()
        .put("node", "ina").put("sessionId", otherSession).put("agrees", true).put("months", 12)).status())
        .isEqualTo(404);
  }

  @Test
  @Order(3)
  void hostile_partners_are_refused_with_their_codes_and_nothing_changes() throws Exception {
    long opinions = TestSql.count(ina, "select count(*) from review_opinions");
    String opinions0 = TestSql.count(ina, "select count(*) from review_opinions where agrees = 1") + "";
    // Without the scope: 箕輪町 signs and sends its own opinion.
    assertThat(code(send(minowa, ina, ReviewExchange.OPINION_PATH, opinion("minowa", partner.userId, session, caseId)
        .sign(identity(minowa))))).isEqualTo("federation.scope_not_granted");
    // A reviewer who is not on the panel.
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, opinion("minamiminowa", "someone-else",
        session, caseId).sign(identity(minamiminowa))))).isEqualTo("review.partner_not_on_panel");
    // The case of one session named as another's.
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, opinion("minamiminowa", partner.userId,
        otherSession, caseId).sign(identity(minamiminowa))))).isEqualTo("review.partner_session_mismatch");
    // Signed by another node than the caller (箕輪町's key, relayed by 南箕輪村).
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, opinion("minowa", partner.userId, session,
        caseId).sign(identity(minowa))))).isEqualTo("review.partner_signature_invalid");
    // A signature that does not match the payload.
    String genuine = opinion("minamiminowa", partner.userId, session, caseId).sign(identity(minamiminowa));
    String[] parts = genuine.split("\\.");
    String tampered = parts[0] + "." + opinion("minamiminowa", partner.userId, session, caseId)
        .sign(identity(minamiminowa)).split("\\.")[1].replace('A', 'B') + "." + parts[2];
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, tampered)))
        .isIn("review.partner_signature_invalid", "review.partner_malformed");
    // A stale message.
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, new ReviewExchange.Opinion("minamiminowa",
        "ina", partner.userId, session, caseId, true, "", "", 12, "", Instant.now().minus(Duration.ofHours(1)))
        .sign(identity(minamiminowa))))).isEqualTo("review.partner_stale");
    // An impossible level.
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, new ReviewExchange.Opinion("minamiminowa",
        "ina", partner.userId, session, caseId, false, "care_9", "special_notes_more", 12, "", Instant.now())
        .sign(identity(minamiminowa))))).isEqualTo("review.invalid_level");
    // A package to her node that the home did not sign.
    long copies = TestSql.count(minamiminowa, "select count(*) from review_partner_materials");
    ReviewExchange.MaterialsPackage forged = new ReviewExchange.MaterialsPackage("minamiminowa", "minamiminowa",
        partner.userId, "forged", "偽の審査会", Instant.now(), Instant.now().plusSeconds(3600), List.of(), Instant.now());
    assertThat(code(send(ina, minamiminowa, ReviewExchange.PACKAGE_PATH, forged.sign(identity(minamiminowa)))))
        .isEqualTo("review.partner_signature_invalid");
    assertThat(TestSql.count(ina, "select count(*) from review_opinions")).isEqualTo(opinions);
    assertThat(TestSql.count(ina, "select count(*) from review_opinions where agrees = 1") + "").isEqualTo(opinions0);
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_materials")).isEqualTo(copies);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.opinion'"
        + " and outcome = 'refused'")).isGreaterThanOrEqualTo(7);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'review.partner.package'"
        + " and outcome = 'refused' and actor = 'node:ina'")).isEqualTo(1);
  }

  @Test
  @Order(4)
  void a_past_deadline_is_refused_for_a_partner_as_for_a_local_reviewer() throws Exception {
    String late = session(panel, Duration.ofSeconds(2));
    String lateCase = ok(secretariat.post("/api/v1/review/sessions/" + late + "/cases", caseBody("R-301")))
        .getString("id");
    Thread.sleep(3000);
    long opinions = TestSql.count(ina, "select count(*) from review_opinions");
    assertThat(code(send(minamiminowa, ina, ReviewExchange.OPINION_PATH, opinion("minamiminowa", partner.userId,
        late, lateCase).sign(identity(minamiminowa))))).isEqualTo("review.deadline_passed");
    assertThat(TestSql.count(ina, "select count(*) from review_opinions")).isEqualTo(opinions);
  }

  @Test
  @Order(5)
  void on_her_phone_she_reads_the_cases_opens_a_material_and_sends_her_changed_level() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(20));
      phone.driver().get(minamiminowa.webUrl() + "/#/login");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      phone.driver().findElement(By.id("f-loginId")).sendKeys("mm-ishi");
      phone.driver().findElement(By.id("f-password")).sendKeys(PASSWORD);
      phone.driver().findElement(By.cssSelector("#login-form button")).click();
      wait.until(ExpectedConditions.urlContains("#/patients"));
      // Her menu holds the screen (folded away on a phone); it opens at its address.
      assertThat(phone.driver().findElements(By.cssSelector("a[data-view=review-partner][href='#/review-partner']")))
          .hasSize(1);
      phone.driver().get(minamiminowa.webUrl() + "/#/review-partner");
      WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.review-case")));
      String page = phone.driver().findElement(By.id("main")).getText();
      assertThat(page).contains("連携市町村の介護認定審査会", "第4合議体", "事例01", "要介護3", "締切")
          .doesNotContain("春日", "R-101", "竜東");
      // The panel's name defaults to its number's text: the session's heading names it once.
      assertThat(page).doesNotContain("第4合議体 第4合議体");
      card.findElement(By.cssSelector(".review-materials a")).click();
      card.findElement(By.cssSelector("input[name=agrees][value=no]")).click();
      new Select(card.findElement(By.name("level"))).selectByValue("care_4");
      new Select(card.findElement(By.name("reason"))).selectByValue("special_notes_more");
      WebElement months = card.findElement(By.name("months"));
      months.clear();
      months.sendKeys("6");
      card.findElement(By.name("comment")).sendKeys("夜間の介助が多い。");
      card.findElement(By.cssSelector("form.review-opinion button[type=submit]")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".review-sent")));
      assertThat(card.findElement(By.cssSelector(".review-sent")).getText()).contains("送信しました", "要介護4");
      Object overflow = phone.driver().executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1"
          + " || [...document.querySelectorAll('#main, #main *')].some(e => e.scrollWidth > e.clientWidth + 1"
          + " && getComputedStyle(e).overflowX !== 'visible' && e.tagName !== 'TEXTAREA');");
      assertThat(overflow).isEqualTo(false);
      phone.screenshot("review-partner-phone");
    }
    assertThat(TestSql.count(ina, "select count(*) from review_opinions where case_id = ? and level = 'care_4'"
        + " and months = 6", caseId)).isEqualTo(1);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.material.opened' and actor = ?", partner.userId)).isEqualTo(2);
  }

  @Test
  @Order(6)
  void the_home_s_deletion_removes_the_copies_and_their_files_on_her_node() throws Exception {
    Path homeStore = ina.services().config().dataDir().resolve("review");
    Path partnerStore = minamiminowa.services().config().dataDir().resolve("review-partner");
    assertThat(filesUnder(homeStore)).isEqualTo(1);
    assertThat(filesUnder(partnerStore)).isEqualTo(1);
    ok(chair.put("/api/v1/review/my/cases/" + caseId + "/decision", new JsonObject().put("level", "care_4")
        .put("months", 6).put("remarks", "")));
    ok(secretariat.post("/api/v1/review/sessions/" + session + "/confirm", new JsonObject()));
    ina.feature(ReviewFeature.class).deleteDue(ina.vertx()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(filesUnder(homeStore)).isZero();
    assertThat(filesUnder(partnerStore)).isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions")).isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_materials")).isZero();
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.deleted'")).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.deletion_sent'"
        + " and outcome = 'success'")).isEqualTo(1);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'review.partner.deleted'"
        + " and actor = 'node:ina' and detail like '%\"files\":1%'")).isEqualTo(1);
    assertThat(ok(partner.get("/api/v1/review/partner/sessions")).getJsonArray("sessions")).isEmpty();
  }

  @Test
  @Order(7)
  void a_deletion_order_to_a_stopped_partner_is_sent_again_until_she_confirms() throws Exception {
    Path partnerStore = minamiminowa.services().config().dataDir().resolve("review-partner");
    String third = session(panel, Duration.ofDays(1));
    String kase = ok(secretariat.post("/api/v1/review/sessions/" + third + "/cases", caseBody("R-301")))
        .getString("id");
    ok(secretariat.postBytes("/api/v1/review/cases/" + kase + "/materials?kind=doctor_opinion",
        pdf("shujii iken-sho R-301"), "application/pdf"));
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + third + "/release", new JsonObject()))
        .getJsonArray("partnerDeliveries").getList()).containsExactly("ok");
    assertThat(filesUnder(partnerStore)).isEqualTo(1);
    ok(chair.put("/api/v1/review/my/cases/" + kase + "/decision", new JsonObject().put("level", "care_2")
        .put("months", 12).put("remarks", "")));
    ok(secretariat.post("/api/v1/review/sessions/" + third + "/confirm", new JsonObject()));
    minamiminowa.close();
    deleteDue();
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries where session_id = ? and kind ="
        + " 'deletion' and attempts = 1 and last_code = 'review.partner_unavailable' and next_try_at > ?", third,
        Instant.now().toString())).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.delivery_pending'"
        + " and target = ?", "review_session:" + third)).isEqualTo(1);
    // Her node is back; the home's next sweep sends the order again once its wait is over.
    minamiminowa = TsunaguNode.start(new ConfigLoader(key -> null).fromJson(minamiminowaJson,
        dir.resolve("minamiminowa")).asDemo());
    assertThat(filesUnder(partnerStore)).isEqualTo(1);
    deleteDue();
    assertThat(filesUnder(partnerStore)).as("not yet due: the wait grows").isEqualTo(1);
    makeDue("update review_partner_deliveries set next_try_at = '2000-01-01T00:00:00Z'");
    deleteDue();
    assertThat(filesUnder(partnerStore)).isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions")).isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_materials")).isZero();
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries")).isZero();
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.delivery_confirmed'"
        + " and target = ? and detail like '%\"attempts\":2%'", "review_session:" + third)).isEqualTo(1);
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'review.partner.deleted'"
        + " and actor = 'node:ina' and target like ?", "%" + third + "%")).isEqualTo(1);
  }

  @Test
  @Order(8)
  void a_release_set_for_later_reaches_her_node_when_it_takes_effect() throws Exception {
    String later = session(panel, Duration.ofDays(1));
    String kase = ok(secretariat.post("/api/v1/review/sessions/" + later + "/cases", caseBody("R-401")))
        .getString("id");
    ok(secretariat.postBytes("/api/v1/review/cases/" + kase + "/materials?kind=doctor_opinion",
        pdf("shujii iken-sho R-401"), "application/pdf"));
    Instant at = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + later + "/release", new JsonObject()
        .put("releaseAt", at.toString()))).getJsonArray("partnerDeliveries")).isEmpty();
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries where session_id = ? and kind ="
        + " 'package' and next_try_at = ?", later, at.toString())).isEqualTo(1);
    deleteDue();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions")).isZero();
    // The release time comes: the home's sweep sends the package then.
    makeDue("update review_sessions set release_at = '2000-01-01T00:00:00Z' where id = '" + later + "'");
    makeDue("update review_partner_deliveries set next_try_at = '2000-01-01T00:00:00Z'");
    deleteDue();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions where session_id = ?",
        later)).isEqualTo(1);
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_materials")).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries")).isZero();
  }

  private static void deleteDue() throws Exception {
    ina.feature(ReviewFeature.class).deleteDue(ina.vertx()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static void makeDue(String sql) throws Exception {
    ina.services().database().write(c -> {
      try (var s = c.createStatement()) {
        return s.executeUpdate(sql);
      }
    }).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static ReviewExchange.Opinion opinion(String node, String reviewer, String sessionId, String caseId) {
    return new ReviewExchange.Opinion(node, "ina", reviewer, sessionId, caseId, true, "", "", 12, "", Instant.now());
  }

  private static String code(FederationClient.Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isGreaterThanOrEqualTo(400);
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  private static FederationClient.Reply send(TsunaguNode from, TsunaguNode to, String path, String compact)
      throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(from), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, path, Buffer.buffer(compact), FederationV1.JOSE)
          .await(20, TimeUnit.SECONDS);
    }
  }

  private static String appoint(JsonObject body) {
    return ok(secretariat.post("/api/v1/review/appointments", body.put("termFrom", "2026-04-01")
        .put("termTo", "2028-03-31"))).getString("id");
  }

  private static JsonObject seat(String appointment, String position) {
    return new JsonObject().put("appointmentId", appointment).put("position", position);
  }

  private static String session(String panel, Duration deadlineIn) {
    Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    return ok(secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", panel)
        .put("startsAt", start.toString()).put("endsAt", start.plus(2, ChronoUnit.HOURS).toString())
        .put("opinionDeadline", Instant.now().plus(deadlineIn).truncatedTo(ChronoUnit.SECONDS).toString())))
        .getString("id");
  }

  private static JsonObject caseBody(String number) {
    return new JsonObject().put("caseNumber", number).put("applicantName", "春日 八重")
        .put("applicantAddress", "伊那市西箕輪3000-1").put("insuredNumber", "0001234567").put("doctorName", "竜東 一郎")
        .put("facilityName", "伊那中央クリニック").put("firstLevel", "care_3").put("baseMinutes", 52)
        .put("itemScores", new JsonObject().put("group1", 60).put("group2", 80).put("group3", 90).put("group4", 70)
            .put("group5", 50)).put("specialNotes", "夜間にトイレへ3回起きる。");
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

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      return new org.apache.pdfbox.text.PDFTextStripper().getText(document);
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

  private static TsunaguNode start(String name, JsonObject review) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    if (review != null) {
      json.put("review", review);
    }
    if (name.equals("minamiminowa")) {
      minamiminowaJson = json.copy();
    }
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(PartnerRoundTest::identity).toList();
    return AgreementDrafts.signed(id, "上伊那広域連合の介護認定審査会に関する協定", parties,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
