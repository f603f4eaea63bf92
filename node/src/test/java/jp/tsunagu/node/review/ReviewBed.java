package jp.tsunagu.node.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A real 伊那市 node with the review board's people: the 審査会事務局, five professionals appointed as
 * 審査委員 and seated on 第3合議体 (a doctor as 合議体長, a nurse as 副合議体長), a sixth professional who
 * sits on no panel, and one account of every other role. Deletion runs as soon as a result is confirmed
 * ({@code review.deleteAfterDays} 0), when the test asks for it.
 */
final class ReviewBed implements AutoCloseable {

  static final String PASSWORD = "Ina-review-2026!";
  static final String APPLICANT = "春日 八重";

  final TsunaguNode node;
  final CareClient secretariat;
  final CareClient staff;
  final CareClient facilityAdmin;
  final CareClient responder;
  final CareClient watch;
  final CareClient outsider;
  /** The five members in seat order: chair (doctor), deputy (nurse), then three members. */
  final List<CareClient> members = new ArrayList<>();
  final Map<String, String> appointments = new LinkedHashMap<>();
  final String panelId;

  ReviewBed(Path dir) {
    this(dir, new JsonObject());
  }

  /** The same with more of the node's configuration (a test's mail server). */
  ReviewBed(Path dir, JsonObject more) {
    JsonObject config = TestNodes.json("ina").put("review", new JsonObject().put("deleteAfterDays", 0))
        .mergeIn(more);
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String clinic = seeder.createFacility("伊那審査会テスト診療所", "202096", "長野県", "clinic");
    secretariat = client(seeder, "ina-shinsa", Role.REVIEW_SECRETARIAT, "municipal_staff", Optional.empty(), "事務局");
    staff = client(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty(), "行政");
    facilityAdmin = client(seeder, "ina-kanri", Role.FACILITY_ADMIN, "nurse", Optional.of(clinic), "管理");
    responder = client(seeder, "ina-kyukyu", Role.EMERGENCY_RESPONDER, "ems_crew", Optional.empty(), "救急");
    watch = client(seeder, "ina-mimamori", Role.WATCH_CENTRE, "municipal_staff", Optional.empty(), "見守");
    String[][] people = {{"ina-ishi", "doctor", "北原"}, {"ina-kango", "nurse", "宮下"}, {"ina-shika", "dentist", "酒井"},
        {"ina-kaigo", "care_worker", "伊東"}, {"ina-shakai", "social_worker", "向山"}};
    for (String[] p : people) {
      CareClient member = client(seeder, p[0], Role.PROFESSIONAL, p[1], Optional.of(clinic), p[2]);
      members.add(member);
      appointments.put(member.userId, created(secretariat.post("/api/v1/review/appointments", new JsonObject()
          .put("userId", member.userId).put("qualification", p[1]).put("termFrom", "2026-04-01")
          .put("termTo", "2028-03-31"))));
    }
    outsider = client(seeder, "ina-yakuzai", Role.PROFESSIONAL, "pharmacist", Optional.of(clinic), "原");
    panelId = created(secretariat.post("/api/v1/review/panels", new JsonObject().put("number", 3).put("quorum", 3)));
    JsonArray seats = new JsonArray();
    int i = 0;
    for (String appointment : appointments.values()) {
      seats.add(new JsonObject().put("appointmentId", appointment).put("position", i == 0 ? "chair"
          : i == 1 ? "deputy" : "member"));
      i++;
    }
    ok(secretariat.put("/api/v1/review/panels/" + panelId + "/members", new JsonObject().put("members", seats)));
  }

  CareClient chair() {
    return members.get(0);
  }

  /** A session of 第3合議体 in two days, with the pre-review deadline {@code deadlineIn} from now. */
  String session(java.time.Duration deadlineIn) {
    Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    return created(secretariat.post("/api/v1/review/sessions", new JsonObject().put("panelId", panelId)
        .put("startsAt", start.toString()).put("endsAt", start.plus(2, ChronoUnit.HOURS).toString())
        .put("opinionDeadline", Instant.now().plus(deadlineIn).truncatedTo(ChronoUnit.SECONDS).toString())));
  }

  /** Adds a case; returns its id. */
  String addCase(String session, String number, String firstLevel) {
    return created(secretariat.post("/api/v1/review/sessions/" + session + "/cases", caseBody(number, firstLevel)));
  }

  static JsonObject caseBody(String number, String firstLevel) {
    return new JsonObject().put("caseNumber", number).put("applicantName", APPLICANT)
        .put("applicantAddress", "伊那市西箕輪3000-1").put("insuredNumber", "0001234567").put("doctorName", "竜東 一郎")
        .put("facilityName", "伊那中央クリニック").put("firstLevel", firstLevel).put("baseMinutes", 52)
        .put("itemScores", new JsonObject().put("group1", 60).put("group2", 80).put("group3", 90).put("group4", 70)
            .put("group5", 50)).put("specialNotes", "夜間にトイレへ3回起きる。");
  }

  String material(String caseId, byte[] pdf) {
    CareClient.Reply reply = secretariat.postBytes("/api/v1/review/cases/" + caseId + "/materials?kind=doctor_opinion",
        pdf, "application/pdf");
    return created(reply);
  }

  void release(String session) {
    ok(secretariat.post("/api/v1/review/sessions/" + session + "/release", new JsonObject()));
  }

  /** A one-page PDF with a line of text (and {@code padding} bytes of an unused stream, for size). */
  static byte[] pdf(String text, int padding) {
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
      if (padding > 0) {
        byte[] filler = new byte[padding];
        new java.util.Random(padding).nextBytes(filler);
        var stream = new org.apache.pdfbox.pdmodel.common.PDStream(document);
        try (var os = stream.createOutputStream()) {
          os.write(filler);
        }
        document.getDocumentCatalog().getCOSObject().setItem("TsunaguPadding", stream.getCOSObject());
      }
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(byte[] pdf) {
    try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      return new org.apache.pdfbox.text.PDFTextStripper().getText(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every role but the secretariat, and a professional on no panel. */
  Map<String, CareClient> others() {
    return Map.of("professional (no panel)", outsider, "municipal_staff", staff, "facility_admin", facilityAdmin,
        "emergency_responder", responder, "watch_centre", watch);
  }

  static String created(CareClient.Reply reply) {
    if (reply.status() != 201 && reply.status() != 200) {
      throw new AssertionError("refused: " + reply);
    }
    return reply.json().getString("id");
  }

  static JsonObject ok(CareClient.Reply reply) {
    if (reply.status() != 200 && reply.status() != 201) {
      throw new AssertionError("refused: " + reply);
    }
    return reply.json();
  }

  private CareClient client(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility, String family) {
    String id = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", family, "太郎", "イナ",
        "タロウ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

  @Override
  public void close() {
    node.close();
  }
}
