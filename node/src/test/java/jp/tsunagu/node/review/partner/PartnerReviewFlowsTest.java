package jp.tsunagu.node.review.partner;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A partner reviewer's flows beyond the materials, between real nodes of the Kamiina pact over real mutual
 * TLS: 伊那市 holds the panel, 南箕輪村's doctor sits on it (certification-review), 箕輪町 shares only
 * care-team. Her node mails her (a real SMTP server), keeps the opinions the home lets her see (her own;
 * the others' once she gave hers), refuses hostile views; the home sends a later release at its time
 * without a sweep, and gives up a delivery refused for good, telling the secretariat why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerReviewFlowsTest {

  private static final String PASSWORD = "Kamiina-shinsa-2026!";

  @TempDir
  static Path dir;
  static GreenMail mail;
  static int mailPort;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static TsunaguNode minowa;
  static Vertx vertx;
  static CareClient secretariat;
  static CareClient chair;
  static CareClient nurse;
  static CareClient partner;
  static String panel;
  static String session;
  static String first;
  static String second;

  @BeforeAll
  static void startNodes() throws Exception {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    mailPort = mail.getSmtp().getPort();
    ina = start("ina", new JsonObject().put("review", new JsonObject().put("deleteAfterDays", 0)));
    minamiminowa = start("minamiminowa", new JsonObject().put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", mailPort).put("startTls", "disabled").put("from", "tsunagu@minamiminowa.example.jp")));
    minowa = start("minowa", new JsonObject());
    vertx = Vertx.vertx();
    shinsa = agreement("kamiina-shinsa", List.of(ina, minamiminowa), Scopes.CERTIFICATION_REVIEW);
    importInto(shinsa, ina, minamiminowa);
    importInto(agreement("kamiina-care", List.of(ina, minowa, minamiminowa), Scopes.CARE_TEAM), ina, minowa,
        minamiminowa);
    secretariat = client(ina, "ina-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff", Optional.empty(), "事務局");
    String clinic = new AccountSeeder(ina.services()).createFacility("伊那審査診療所", "202096", "長野県", "clinic");
    chair = client(ina, "ina-ishi", Role.PROFESSIONAL, "doctor", Optional.of(clinic), "北原");
    nurse = client(ina, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(clinic), "宮下");
    String oshiba = new AccountSeeder(minamiminowa.services()).createFacility("大芝クリニック", "203858", "長野県",
        "clinic");
    partner = client(minamiminowa, "mm-ishi", Role.PROFESSIONAL, "doctor", Optional.of(oshiba), "大芝");
    String chairSeat = appoint(new JsonObject().put("userId", chair.userId).put("qualification", "doctor"));
    String nurseSeat = appoint(new JsonObject().put("userId", nurse.userId).put("qualification", "nurse"));
    panel = panel(4, chairSeat, nurseSeat, appoint(new JsonObject().put("nodeId", "minamiminowa")
        .put("userId", partner.userId).put("displayName", "大芝 花子").put("qualification", "doctor")));
    session = session(panel, Duration.ofHours(20));
    first = addCase(session, "R-101");
    second = addCase(session, "R-102");
  }

  @AfterAll
  static void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    for (TsunaguNode node : List.of(ina, minamiminowa, minowa)) {
      node.close();
    }
    mail.stop();
  }

  @Test
  @Order(1)
  void her_node_mails_her_the_notice_when_the_materials_reach_it_once_and_without_case_data() throws Exception {
    ok(nurse.put("/api/v1/review/my/cases/" + first + "/opinion", new JsonObject().put("agrees", true)
        .put("months", 12).put("comment", "看護の立場から一次判定どおり")));
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + session + "/release", new JsonObject()))
        .getJsonArray("partnerDeliveries").getList()).containsExactly("ok");
    assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
    List<MimeMessage> got = mailsTo("mm-ishi@example.jp");
    assertThat(got).hasSize(1);
    String video = ok(secretariat.get("/api/v1/review/sessions/" + session)).getString("videoUrl");
    assertThat(got.get(0).getSubject()).contains("審査会のお知らせ", "第4合議体");
    assertThat(text(got.get(0))).contains("大芝 花子 様", "ビデオ会議: " + video, "事前審査の締切", "#/review-partner")
        .doesNotContain("R-101", "春日", "0001234567", "夜間にトイレ");
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.notice_mailed'")).isEqualTo(1);
    // Nothing is mailed twice; her opinions are not there yet, so the day before the deadline she is reminded.
    assertThat(sendPartnerNotices()).isEqualTo(1);
    assertThat(mailsTo("mm-ishi@example.jp").get(1).getSubject()).contains("事前審査の締切が近づいています");
    assertThat(sendPartnerNotices()).isZero();
    assertThat(mailsTo("mm-ishi@example.jp")).hasSize(2);
  }

  @Test
  @Order(2)
  void after_her_opinion_she_sees_the_others_and_her_own_on_her_node_and_later_ones_arrive_signed()
      throws Exception {
    JsonObject before = caseOnHerNode(first);
    assertThat(before.getBoolean("othersVisible")).isFalse();
    assertThat(before.getJsonArray("others")).isEmpty();
    assertThat(before.getValue("mine")).isNull();

    JsonObject answer = ok(partner.put("/api/v1/review/partner/cases/" + first + "/opinion", new JsonObject()
        .put("node", "ina").put("sessionId", session).put("agrees", false).put("level", "care_4")
        .put("reason", "doctor_opinion_more").put("months", 6).put("comment", "夜間の介護の手間が大きい")));
    assertThat(answer.getBoolean("othersVisible")).isTrue();
    assertThat(answer.getJsonArray("others").getJsonObject(0).getString("comment")).isEqualTo("看護の立場から一次判定どおり");
    assertThat(answer.containsKey("view")).isFalse();

    JsonObject after = caseOnHerNode(first);
    assertThat(after.getJsonObject("mine").getString("level")).isEqualTo("care_4");
    assertThat(after.getJsonObject("mine").getString("comment")).isEqualTo("夜間の介護の手間が大きい");
    assertThat(after.getJsonArray("others")).hasSize(1);
    assertThat(after.getJsonArray("others").getJsonObject(0).getString("reviewer")).contains("宮下");

    // The chair's opinion, given later at the home, reaches her node as a signed view without a sweep.
    ok(chair.put("/api/v1/review/my/cases/" + first + "/opinion", new JsonObject().put("agrees", true)
        .put("months", 24)));
    await(() -> caseOnHerNode(first).getJsonArray("others").size() == 2);
    // On the other case she has given nothing: the nurse's opinion there stays hidden from her.
    ok(nurse.put("/api/v1/review/my/cases/" + second + "/opinion", new JsonObject().put("agrees", true)
        .put("months", 12).put("comment", "二件目の意見")));
    await(() -> TestSql.count(ina, "select count(*) from review_partner_deliveries") == 0);
    JsonObject other = caseOnHerNode(second);
    assertThat(other.getBoolean("othersVisible")).isFalse();
    assertThat(other.getJsonArray("others")).isEmpty();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_opinions where comment = '二件目の意見'"))
        .isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action ="
        + " 'review.partner.opinions_received' and actor = 'node:ina'")).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(3)
  void on_her_phone_her_earlier_opinion_and_the_others_show_under_the_case() {
    try (Browser phone = new Browser(Browser.PHONE)) {
      WebDriverWait wait = new WebDriverWait(phone.driver(), Duration.ofSeconds(20));
      phone.driver().get(minamiminowa.webUrl() + "/#/login");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      phone.driver().findElement(By.id("f-loginId")).sendKeys("mm-ishi");
      phone.driver().findElement(By.id("f-password")).sendKeys(PASSWORD);
      phone.driver().findElement(By.cssSelector("#login-form button")).click();
      wait.until(ExpectedConditions.urlContains("#/patients"));
      phone.driver().get(minamiminowa.webUrl() + "/#/review-partner");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.review-case .review-mine")));
      String page = phone.driver().findElement(By.id("main")).getText();
      assertThat(page).contains("あなたの意見：要介護4", "夜間の介護の手間が大きい", "他の委員の意見（2）", "看護の立場から一次判定どおり",
          "ご自身の意見を送った後に表示されます").doesNotContain("二件目の意見", "R-101");
      Object overflow = phone.driver().executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1");
      assertThat(overflow).isEqualTo(false);
      phone.screenshot("review-partner-opinions-phone");
    }
  }

  @Test
  @Order(4)
  void hostile_views_are_refused_with_their_codes_and_nothing_is_stored() throws Exception {
    long held = TestSql.count(minamiminowa, "select count(*) from review_partner_opinions");
    long views = TestSql.count(minamiminowa, "select count(*) from review_partner_opinion_views");
    ReviewExchange.OpinionEntry forged = new ReviewExchange.OpinionEntry("偽の委員", true, "care_1", "", 12, "偽",
        Instant.now().toString());
    List<ReviewExchange.CaseOpinions> cases = List.of(new ReviewExchange.CaseOpinions(second, null, true,
        List.of(forged)));
    // Without the scope: 箕輪町 signs its own view of 伊那市's session.
    assertThat(code(send(minowa, minamiminowa, view("minowa", "minamiminowa", partner.userId, session, cases,
        Instant.now()).sign(identity(minowa))))).isEqualTo("federation.scope_not_granted");
    // Signed by another node than the caller.
    assertThat(code(send(ina, minamiminowa, view("minowa", "minamiminowa", partner.userId, session, cases,
        Instant.now()).sign(identity(minowa))))).isEqualTo("review.partner_signature_invalid");
    // Addressed to another node.
    assertThat(code(send(ina, minamiminowa, view("ina", "minowa", partner.userId, session, cases, Instant.now())
        .sign(identity(ina))))).isEqualTo("review.partner_wrong_recipient");
    // A reviewer who is no professional of her node.
    assertThat(code(send(ina, minamiminowa, view("ina", "minamiminowa", "nobody", session, cases, Instant.now())
        .sign(identity(ina))))).isEqualTo("review.partner_reviewer_unknown");
    // A session whose copies her node does not hold for her: she is not on that panel there.
    assertThat(code(send(ina, minamiminowa, view("ina", "minamiminowa", partner.userId, "another-session", cases,
        Instant.now()).sign(identity(ina))))).isEqualTo("review.partner_not_on_panel");
    // A case of another session.
    assertThat(code(send(ina, minamiminowa, view("ina", "minamiminowa", partner.userId, session,
        List.of(new ReviewExchange.CaseOpinions("not-a-case", null, true, List.of(forged))), Instant.now())
        .sign(identity(ina))))).isEqualTo("review.partner_session_mismatch");
    // A stale view.
    assertThat(code(send(ina, minamiminowa, view("ina", "minamiminowa", partner.userId, session, cases,
        Instant.now().minus(Duration.ofHours(1))).sign(identity(ina))))).isEqualTo("review.partner_stale");
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_opinions")).isEqualTo(held);
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_opinion_views")).isEqualTo(views);
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_opinions where reviewer_name = '偽の委員'"))
        .isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'review.partner.opinions'"
        + " and outcome = 'refused'")).isEqualTo(7);
  }

  @Test
  @Order(5)
  void a_release_set_for_later_reaches_her_node_at_its_time_without_a_sweep() throws Exception {
    String later = session(panel, Duration.ofDays(2));
    addCase(later, "R-201");
    Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + later + "/release", new JsonObject()
        .put("releaseAt", at.toString()))).getJsonArray("partnerDeliveries")).isEmpty();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions where session_id = ?",
        later)).isZero();
    await(() -> TestSql.count(minamiminowa, "select count(*) from review_partner_sessions where session_id = ?",
        later) == 1);
    assertThat(Instant.now()).isAfterOrEqualTo(at);
    // Her node tells her as soon as the copies arrive.
    await(() -> TestSql.count(minamiminowa, "select count(*) from review_partner_notices where session_id = ?"
        + " and kind = 'notice'", later) == 1);
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries where session_id = ?", later))
        .isZero();
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.deleted'")).isZero();
  }

  @Test
  @Order(6)
  void a_notice_mail_that_failed_is_sent_by_the_next_run() throws Exception {
    mail.stop();
    String third = session(panel, Duration.ofDays(2));
    addCase(third, "R-301");
    ok(secretariat.post("/api/v1/review/sessions/" + third + "/release", new JsonObject()));
    await(() -> TestSql.count(minamiminowa, "select count(*) from review_partner_sessions where session_id = ?",
        third) == 1);
    assertThat(sendPartnerNotices()).isZero();
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_notices where session_id = ?",
        third)).isZero();
    mail = new GreenMail(new ServerSetup(mailPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    assertThat(sendPartnerNotices()).isEqualTo(1);
    assertThat(mailsTo("mm-ishi@example.jp")).hasSize(1);
    assertThat(sendPartnerNotices()).isZero();
  }

  @Test
  @Order(7)
  void a_delivery_refused_for_good_is_given_up_and_shown_to_the_secretariat_with_its_reason() throws Exception {
    // A reviewer appointed under a user id her node does not know: her node refuses the package for good.
    String ghost = appoint(new JsonObject().put("nodeId", "minamiminowa").put("userId", "mm-gone")
        .put("displayName", "退職 太郎").put("qualification", "doctor"));
    String lost = session(panel(5, appoint(new JsonObject().put("userId", client(ina, "ina-yakuzai",
        Role.PROFESSIONAL, "pharmacist", Optional.empty(), "原").userId).put("qualification", "pharmacist")),
        appoint(new JsonObject().put("userId", client(ina, "ina-hoken", Role.PROFESSIONAL, "public_health_nurse",
            Optional.empty(), "保科").userId).put("qualification", "public_health_nurse")), ghost), Duration.ofDays(1));
    addCase(lost, "R-401");
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + lost + "/release", new JsonObject()))
        .getJsonArray("partnerDeliveries").getList()).containsExactly("review.partner_reviewer_unknown");
    assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries where session_id = ? and"
        + " given_up_at is not null and last_code = 'review.partner_reviewer_unknown'", lost)).isEqualTo(1);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.delivery_failed'"
        + " and target = ?", "review_session:" + lost)).isEqualTo(1);
    JsonArray failures = ok(secretariat.get("/api/v1/review/sessions/" + lost)).getJsonArray("partnerFailures");
    assertThat(failures).hasSize(1);
    assertThat(failures.getJsonObject(0).getString("message")).contains("minamiminowa", "審査会資料",
        "専門職として登録されていません", "再送はしません");
    JsonObject listed = ok(secretariat.get("/api/v1/review/sessions")).getJsonArray("sessions").stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("id").equals(lost)).findFirst().orElseThrow();
    assertThat(listed.getInteger("partnerFailures")).isEqualTo(1);
    // Not sent again: neither by the sweep nor by the timer.
    long sent = TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.package_sent'"
        + " and target = ?", "review_session:" + lost);
    ina.feature(ReviewFeature.class).deleteDue(ina.vertx()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.package_sent'"
        + " and target = ?", "review_session:" + lost)).isEqualTo(sent);

    // A passing failure (her node down) keeps its retry with a growing wait, and alerts no one.
    String down = session(panel, Duration.ofDays(1));
    addCase(down, "R-501");
    minamiminowa.close();
    try {
      assertThat(ok(secretariat.post("/api/v1/review/sessions/" + down + "/release", new JsonObject()))
          .getJsonArray("partnerDeliveries").getList()).containsExactly("review.partner_unavailable");
      assertThat(TestSql.count(ina, "select count(*) from review_partner_deliveries where session_id = ? and"
          + " given_up_at is null and attempts = 1 and next_try_at > ?", down, Instant.now().toString())).isEqualTo(1);
      assertThat(ok(secretariat.get("/api/v1/review/sessions/" + down)).getJsonArray("partnerFailures")).isEmpty();
    } finally {
      minamiminowa = TsunaguNode.start(new ConfigLoader(key -> null).fromJson(minamiminowaJson,
          dir.resolve("minamiminowa")).asDemo());
    }

    try (Browser pc = new Browser(Browser.DESKTOP)) {
      WebDriverWait wait = new WebDriverWait(pc.driver(), Duration.ofSeconds(20));
      pc.driver().get(ina.webUrl() + "/#/login");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      pc.driver().findElement(By.id("f-loginId")).sendKeys("ina-shinsa");
      pc.driver().findElement(By.id("f-password")).sendKeys(PASSWORD);
      pc.driver().findElement(By.cssSelector("#login-form button")).click();
      wait.until(ExpectedConditions.urlContains("#/review"));
      assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#review-sessions"))).getText())
          .contains("連携先へ送信できず");
      pc.driver().get(ina.webUrl() + "/#/review-admin-session?id=" + lost);
      String alert = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
          ".review-partner-failures"))).getText();
      assertThat(alert).contains("連携先ノードへ届けられなかったもの", "専門職として登録されていません");
      pc.screenshot("review-partner-failure-pc");
    }
  }

  @Test
  @Order(8)
  void the_home_s_deletion_removes_the_opinions_held_for_her_with_the_copies() throws Exception {
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_opinions where session_id = ?",
        session)).isPositive();
    for (String kase : List.of(first, second)) {
      ok(chair.put("/api/v1/review/my/cases/" + kase + "/decision", new JsonObject().put("level", "care_3")
          .put("months", 12).put("remarks", "")));
    }
    ok(secretariat.post("/api/v1/review/sessions/" + session + "/confirm", new JsonObject()));
    ina.feature(ReviewFeature.class).deleteDue(ina.vertx()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    for (String table : List.of("review_partner_opinions", "review_partner_opinion_views", "review_partner_cases",
        "review_partner_sessions")) {
      assertThat(TestSql.count(minamiminowa, "select count(*) from " + table + " where session_id = ?", session))
          .as(table).isZero();
    }
    assertThat(TestSql.count(minamiminowa, "select count(*) from audit_log where action = 'review.partner.deleted'"
        + " and target like ?", "%" + session)).isEqualTo(1);
  }

  @Test
  @Order(9)
  void once_her_node_left_the_agreement_a_release_is_given_up_at_once_with_its_reason() throws Exception {
    String leave = jp.tsunagu.federation.json.Json.write(jp.tsunagu.federation.agreement.WithdrawalStatement.sign(
        shinsa, identity(minamiminowa), Instant.now()).toJson());
    for (TsunaguNode node : List.of(minamiminowa, ina)) {
      TestNodes.federation(node).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
    }
    String after = session(panel, Duration.ofDays(2));
    addCase(after, "R-601");
    assertThat(ok(secretariat.post("/api/v1/review/sessions/" + after + "/release", new JsonObject()))
        .getJsonArray("partnerDeliveries").getList()).containsExactly("federation.scope_not_granted");
    JsonArray failures = ok(secretariat.get("/api/v1/review/sessions/" + after)).getJsonArray("partnerFailures");
    assertThat(failures).hasSize(1);
    assertThat(failures.getJsonObject(0).getString("code")).isEqualTo("federation.scope_not_granted");
    assertThat(failures.getJsonObject(0).getString("message")).contains("協定が終了");
    assertThat(TestSql.count(minamiminowa, "select count(*) from review_partner_sessions where session_id = ?",
        after)).isZero();
    assertThat(TestSql.count(ina, "select count(*) from audit_log where action = 'review.partner.delivery_failed'"
        + " and target = ? and detail like '%scope_not_granted%'", "review_session:" + after)).isEqualTo(1);
  }

  static JsonObject minamiminowaJson;
  static AgreementDocument shinsa;

  private static JsonObject caseOnHerNode(String caseId) {
    JsonObject held = ok(partner.get("/api/v1/review/partner/sessions"));
    return held.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("sessionId").equals(session)).findFirst().orElseThrow().getJsonArray("cases").stream()
        .map(JsonObject.class::cast).filter(k -> k.getString("caseId").equals(caseId)).findFirst().orElseThrow();
  }

  private static ReviewExchange.OpinionsView view(String node, String to, String reviewer, String sessionId,
      List<ReviewExchange.CaseOpinions> cases, Instant at) {
    return new ReviewExchange.OpinionsView(node, to, reviewer, sessionId, cases, at);
  }

  private static int sendPartnerNotices() throws Exception {
    return minamiminowa.feature(ReviewFeature.class).sendPartnerNotices(minamiminowa.vertx(), Instant.now())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not reached within 30 s");
      }
      Thread.sleep(200);
    }
  }

  private static List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(address);
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private static String text(MimeMessage message) throws Exception {
    Object content = message.getContent();
    return content instanceof Multipart parts ? parts.getBodyPart(0).getContent().toString() : content.toString();
  }

  private static String code(FederationClient.Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isGreaterThanOrEqualTo(400);
    return ErrorResponse.parse(reply.body().toString()).code();
  }

  private static FederationClient.Reply send(TsunaguNode from, TsunaguNode to, String compact) throws Exception {
    NodeCard card = identity(to).card();
    try (FederationClient client = new FederationClient(vertx, identity(from), pin -> pin.equals(card.tlsPin()))) {
      return client.call(card, HttpMethod.POST, ReviewExchange.OPINIONS_PATH, Buffer.buffer(compact),
          FederationV1.JOSE).await(20, TimeUnit.SECONDS);
    }
  }

  private static String appoint(JsonObject body) {
    return ok(secretariat.post("/api/v1/review/appointments", body.put("termFrom", "2026-04-01")
        .put("termTo", "2028-03-31"))).getString("id");
  }

  /** A panel of three: a chair, a deputy, a member. */
  private static String panel(int number, String chairSeat, String deputySeat, String memberSeat) {
    String id = ok(secretariat.post("/api/v1/review/panels", new JsonObject().put("number", number).put("quorum", 3)))
        .getString("id");
    ok(secretariat.put("/api/v1/review/panels/" + id + "/members", new JsonObject().put("members", new JsonArray()
        .add(new JsonObject().put("appointmentId", chairSeat).put("position", "chair"))
        .add(new JsonObject().put("appointmentId", deputySeat).put("position", "deputy"))
        .add(new JsonObject().put("appointmentId", memberSeat).put("position", "member")))));
    return id;
  }

  private static String session(String panel, Duration deadlineIn) {
    Instant start = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    return ok(secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", panel)
        .put("startsAt", start.toString()).put("endsAt", start.plus(2, ChronoUnit.HOURS).toString())
        .put("opinionDeadline", Instant.now().plus(deadlineIn).truncatedTo(ChronoUnit.SECONDS).toString())))
        .getString("id");
  }

  private static String addCase(String session, String number) throws IOException {
    String id = ok(secretariat.post("/api/v1/review/sessions/" + session + "/cases", new JsonObject()
        .put("caseNumber", number).put("applicantName", "春日 八重").put("applicantAddress", "伊那市西箕輪3000-1")
        .put("insuredNumber", "0001234567").put("doctorName", "竜東 一郎").put("facilityName", "伊那中央クリニック")
        .put("firstLevel", "care_3").put("baseMinutes", 52).put("itemScores", new JsonObject().put("group1", 60)
            .put("group2", 80).put("group3", 90).put("group4", 70).put("group5", 50))
        .put("specialNotes", "夜間にトイレへ3回起きる。"))).getString("id");
    ok(secretariat.postBytes("/api/v1/review/cases/" + id + "/materials?kind=doctor_opinion", pdf("iken-sho " + number),
        "application/pdf"));
    return id;
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

  private static CareClient client(TsunaguNode node, String loginId, Role role, String profession,
      Optional<String> facility, String family) {
    String id = new AccountSeeder(node.services()).createUser(new AccountSeeder.Person(loginId, loginId
        + "@example.jp", family, "花子", "シンサ", "ハナコ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

  private static TsunaguNode start(String name, JsonObject more) {
    JsonObject json = TestNodes.json(name).mergeIn(more);
    json.getJsonObject("federation").put("port", freePort());
    if (name.equals("minamiminowa")) {
      minamiminowaJson = json.copy();
    }
    return TsunaguNode.start(new ConfigLoader(key -> null).fromJson(json, dir.resolve(name)).asDemo());
  }


  private static NodeIdentity identity(TsunaguNode node) {
    return node.services().keys().identity();
  }

  private static AgreementDocument agreement(String id, List<TsunaguNode> nodes, String scope) {
    List<NodeIdentity> parties = nodes.stream().map(PartnerReviewFlowsTest::identity).toList();
    return AgreementDrafts.signed(id, "上伊那広域連合の介護認定審査会に関する協定", parties,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), parties, List.of(scope));
  }

  private static void importInto(AgreementDocument document, TsunaguNode... nodes) throws Exception {
    for (TsunaguNode node : nodes) {
      TestNodes.federation(node).agreements().importDocument(document.toCompactJson()).await(20, TimeUnit.SECONDS);
    }
  }
}
