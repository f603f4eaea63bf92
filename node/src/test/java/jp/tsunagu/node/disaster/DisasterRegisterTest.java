package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 要援護者台帳 through the API of a real node, in the order staff use it: a file is checked and
 * kept as a pending import that changes nothing, confirmed as a version, compared with the next file,
 * matched with patients; every bad file is refused with a per-row report and changes nothing but the
 * audit log; 災害モード widens what professionals see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisasterRegisterTest {

  static final String KASUGA = "春日 トメ,かすが とめ,1931/5/12,女,伊那市西箕輪3000-1,西箕輪,0265-00-0001,"
      + "要介護3・独居,近所の伊藤さん,090-0000-1111,有,有,西箕輪公民館";
  static final String KITAZAWA = "北沢 正夫,きたざわ まさお,1939-11-03,男,伊那市美篶1200-2,美篶,0265-00-0002,"
      + "在宅酸素・要介護1,,,無,無,";
  static final String KOIKE = "小池 清,こいけ きよし,1946-08-15,男,伊那市東春近55,東春近,,高齢者のみ世帯,,,有,,";

  @TempDir
  static Path dir;
  DisasterNode ina;

  @BeforeAll
  void start() throws Exception {
    ina = new DisasterNode(dir);
  }

  @AfterAll
  void stop() throws Exception {
    ina.close();
  }

  @Test
  @Order(1)
  void an_uploaded_file_changes_nothing_until_staff_confirm_it() throws Exception {
    int searchesBefore = ina.searches.get();
    HttpResponse<String> uploaded = ina.staff.postCsv("/api/v1/disaster/register/imports",
        DisasterNode.csv(KASUGA, KITAZAWA));
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    JsonObject preview = new JsonObject(uploaded.body());
    assertThat(preview.getString("status")).isEqualTo("pending");
    assertThat(preview.getJsonArray("added")).hasSize(2);
    // The upload never waits on the address search: both start at their 地区's centre (西箕輪's address is
    // known to the search), and the search is asked in the background afterwards.
    assertThat(preview.getLong("approximate")).isEqualTo(2);
    assertThat(summary(ina.staff).getValue("version")).isNull();

    HttpResponse<String> confirmed = ina.staff.postJson("/api/v1/disaster/register/imports/"
        + preview.getString("id") + "/confirm", new JsonObject());
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    assertThat(new JsonObject(confirmed.body()).getInteger("version")).isEqualTo(1);

    ina.awaitPlaced();
    assertThat(ina.searches.get() - searchesBefore).isEqualTo(2);
    JsonObject people = new JsonObject(ina.staff.get("/api/v1/disaster/people").body());
    JsonObject kitazawa = person(people, "北沢 正夫");
    assertThat(kitazawa.getBoolean("approximate")).isTrue();
    assertThat(kitazawa.getBoolean("medicalDevice")).isTrue();
    assertThat(person(people, "春日 トメ").getBoolean("approximate")).isFalse();
    assertThat(person(people, "春日 トメ").getDouble("latitude")).isEqualTo(35.8666);
    // 医療機器 first in the list
    assertThat(people.getJsonArray("people").getJsonObject(0).getString("name")).isEqualTo("北沢 正夫");
    JsonObject misuzu = district(summary(ina.staff), "美篶");
    assertThat(misuzu.getInteger("total")).isEqualTo(1);
    assertThat(misuzu.getInteger("approximate")).isEqualTo(1); // 美篶's address is not known to the search
    assertThat(misuzu.getInteger("medicalDevice")).isEqualTo(1);
    assertThat(misuzu.getJsonObject("reasons").getInteger("oxygen")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void a_reimport_shows_who_is_added_removed_and_changed_and_unconfirmed_changes_nothing() throws Exception {
    String moved = KASUGA.replace("0265-00-0001", "0265-99-9999");
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    int searchesBefore = ina.searches.get();
    HttpResponse<String> uploaded = ina.staff.postCsv("/api/v1/disaster/register/imports",
        DisasterNode.csv(moved, KOIKE));
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    JsonObject preview = new JsonObject(uploaded.body());
    // 春日's address was found before: placed at once from the node's own table; only 小池 waits for the search
    assertThat(preview.getLong("approximate")).isEqualTo(1);
    ina.awaitPlaced();
    assertThat(ina.searches.get() - searchesBefore).isEqualTo(1);
    assertThat(names(preview.getJsonArray("added"))).containsExactly("小池 清");
    assertThat(names(preview.getJsonArray("removed"))).containsExactly("北沢 正夫");
    assertThat(names(preview.getJsonArray("changed"))).containsExactly("春日 トメ");
    assertThat(preview.getJsonArray("changed").getJsonObject(0).getJsonArray("fields").getList()).containsExactly("電話");

    // never confirmed: the register is still version 1, with 北沢 and without 小池
    JsonObject summary = summary(ina.staff);
    assertThat(summary.getInteger("version")).isEqualTo(1);
    assertThat(district(summary, "美篶").getInteger("total")).isEqualTo(1);
    assertThat(district(summary, "東春近").getInteger("total")).isZero();
    assertThat(TestSql.rowCounts(ina.node).get("disaster_declarations")).isEqualTo(before.get("disaster_declarations"));
    JsonArray history = new JsonObject(ina.staff.get("/api/v1/disaster/register/imports").body())
        .getJsonArray("imports");
    assertThat(history.getJsonObject(0).getString("status")).isEqualTo("pending");
    assertThat(history.getJsonObject(1).getString("status")).isEqualTo("confirmed");
  }

  @Test
  @Order(3)
  void bad_rows_are_refused_each_with_its_line_and_code_and_nothing_changes_but_the_audit_log() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    long audited = TestSql.count(ina.node, "select count(*) from audit_log where action = 'disaster.register.uploaded'"
        + " and outcome = 'refused'");
    HttpResponse<String> refused = ina.staff.postCsv("/api/v1/disaster/register/imports", DisasterNode.csv(
        KASUGA.replace("1931/5/12", "1931/2/30"),
        KITAZAWA.replace(",美篶,", ",霞が関,"),
        KOIKE,
        KOIKE.replace("小池 清", "小池 きよし"),
        KASUGA.replace("かすが とめ", "かすが はな").replace(",有,有,", ",,有,")));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    JsonObject report = new JsonObject(refused.body());
    assertThat(report.getString("code")).isEqualTo("disaster.register_rejected");
    assertThat(report.getJsonArray("rows").stream().map(r -> ((JsonObject) r).getInteger("row") + " "
        + ((JsonObject) r).getString("code")).toList()).containsExactly(
        "2 disaster.register_bad_date", "3 disaster.register_unknown_district",
        "5 disaster.register_duplicate_person", "6 disaster.register_consent_missing");
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where action = 'disaster.register.uploaded'"
        + " and outcome = 'refused'")).isEqualTo(audited + 1);
  }

  @Test
  @Order(4)
  void a_file_in_neither_utf8_nor_shift_jis_is_refused_and_a_shift_jis_file_is_read() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    HttpResponse<String> utf16 = ina.staff.postCsv("/api/v1/disaster/register/imports",
        (DisasterNode.HEADER + KOIKE + "\n").getBytes(StandardCharsets.UTF_16LE));
    assertThat(utf16.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(utf16.body()).getString("code")).isEqualTo("disaster.register_encoding");
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);

    HttpResponse<String> sjis = ina.staff.postCsv("/api/v1/disaster/register/imports",
        (DisasterNode.HEADER + KOIKE + "\n").getBytes(Charset.forName("windows-31j")));
    assertThat(sjis.statusCode()).as(sjis.body()).isEqualTo(201);
    assertThat(names(new JsonObject(sjis.body()).getJsonArray("added"))).containsExactly("小池 清");
  }

  @Test
  @Order(5)
  void a_person_with_a_patients_kana_and_birth_date_is_proposed_as_a_match_and_staff_decide() {
    HttpResponse<String> patient = ina.nurse.postJson("/api/v1/patients", new JsonObject().put("familyName", "春日")
        .put("givenName", "トメ").put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", "1931-05-12")
        .put("sex", "female").put("address", "長野県伊那市西箕輪3000-1").put("municipalityCode", "202096")
        .put("phone", "0265-94-0000").put("familyDoctor", "北原 健一").put("careLevel", "要介護3")
        .put("emergencyContacts", "長女").put("acpNotes", "").put("remarks", "").put("teamRole", "訪問看護"));
    assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
    ina.importAndConfirm(DisasterNode.csv(KASUGA, KITAZAWA, KOIKE));

    JsonArray matches = new JsonObject(ina.staff.get("/api/v1/disaster/register/matches").body())
        .getJsonArray("matches");
    assertThat(matches).hasSize(1);
    JsonObject match = matches.getJsonObject(0);
    assertThat(match.getString("status")).isEqualTo("proposed");
    assertThat(match.getBoolean("addressMatches")).isTrue();
    assertThat(match.getJsonObject("patient").getString("name")).isEqualTo("春日 トメ");
    // A proposed match says nothing about the patient yet.
    HttpResponse<String> before = ina.responder.postJson("/api/v1/emergency/accesses", new JsonObject()
        .put("patientId", new JsonObject(patient.body()).getString("id")).put("reason", "転倒で救急要請")
        .put("dispatchNumber", "R8-00041"));
    assertThat(before.statusCode()).as(before.body()).isEqualTo(201);
    assertThat(new JsonObject(before.body()).getJsonObject("view").getJsonObject("consent").getBoolean("known"))
        .isFalse();

    HttpResponse<String> decided = ina.staff.postJson("/api/v1/disaster/register/matches/" + match.getString("id")
        + "/confirm", new JsonObject());
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    HttpResponse<String> again = ina.staff.postJson("/api/v1/disaster/register/matches/" + match.getString("id")
        + "/reject", new JsonObject());
    assertThat(again.statusCode()).isEqualTo(404);
    // An ambulance crew's emergency view now shows the register's 情報提供への同意 for the matched patient.
    String patientId = new JsonObject(patient.body()).getString("id");
    HttpResponse<String> access = ina.responder.postJson("/api/v1/emergency/accesses", new JsonObject()
        .put("patientId", patientId).put("reason", "呼吸苦で救急要請").put("dispatchNumber", "R8-00042"));
    assertThat(access.statusCode()).as(access.body()).isEqualTo(201);
    JsonObject consent = new JsonObject(access.body()).getJsonObject("view").getJsonObject("consent");
    assertThat(consent.getBoolean("known")).isTrue();
    assertThat(consent.getBoolean("consented")).isTrue();
    assertThat(consent.getString("label")).startsWith("同意あり（要援護者台帳 第").endsWith("版）");
  }

  @Test
  @Order(6)
  void professionals_see_consenting_people_only_until_a_disaster_is_declared_for_their_area() {
    assertThat(names(new JsonObject(ina.nurse.get("/api/v1/disaster/people").body()).getJsonArray("people")))
        .containsExactlyInAnyOrder("春日 トメ", "小池 清");
    assertThat(district(summary(ina.nurse), "美篶").getInteger("total")).isZero();
    assertThat(summary(ina.nurse).getBoolean("consentingOnly")).isTrue();

    HttpResponse<String> declared = ina.staff.postJson("/api/v1/disaster/declarations", new JsonObject()
        .put("kind", "地震").put("districts", new JsonArray().add("美篶")).put("startedAt", "2026-01-15T06:30"));
    assertThat(declared.statusCode()).as(declared.body()).isEqualTo(201);
    JsonObject status = new JsonObject(new DisasterClient(ina.node).get("/api/v1/disaster/status").body());
    assertThat(status.getBoolean("declared")).isTrue();
    assertThat(status.getJsonObject("declaration").getString("kind")).isEqualTo("地震");
    assertThat(ina.staff.postJson("/api/v1/disaster/declarations", new JsonObject().put("kind", "地震"))
        .statusCode()).isEqualTo(409);

    assertThat(names(new JsonObject(ina.nurse.get("/api/v1/disaster/people").body()).getJsonArray("people")))
        .containsExactlyInAnyOrder("北沢 正夫", "春日 トメ", "小池 清");
    assertThat(district(summary(ina.nurse), "美篶").getInteger("total")).isEqualTo(1);
    HttpResponse<byte[]> pdf = ina.nurse.getBytes("/api/v1/disaster/districts/" + java.net.URLEncoder.encode("美篶",
        StandardCharsets.UTF_8) + "/pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

    HttpResponse<String> ended = ina.staff.postJson("/api/v1/disaster/declarations/current/end", new JsonObject());
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
    assertThat(new JsonObject(ina.nurse.get("/api/v1/disaster/status").body()).getBoolean("declared")).isFalse();
    assertThat(names(new JsonObject(ina.nurse.get("/api/v1/disaster/people").body()).getJsonArray("people")))
        .containsExactlyInAnyOrder("春日 トメ", "小池 清");
    // The counts are kept per register version and declaration: ending it takes the 地区 back to consent only.
    assertThat(district(summary(ina.nurse), "美篶").getInteger("total")).isZero();
    assertThat(district(summary(ina.staff), "美篶").getInteger("total")).isEqualTo(1);
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where action in ('disaster.declared',"
        + " 'disaster.ended') and outcome = 'success'")).isEqualTo(2);
  }

  @Test
  @Order(7)
  void a_declaration_with_an_unknown_kind_or_area_is_refused_and_changes_nothing() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    for (JsonObject body : List.of(new JsonObject().put("kind", "隕石"),
        new JsonObject().put("kind", "地震").put("districts", new JsonArray().add("霞が関")),
        new JsonObject().put("kind", "地震").put("startedAt", "きのう"))) {
      HttpResponse<String> refused = ina.staff.postJson("/api/v1/disaster/declarations", body);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    }
    assertThat(ina.staff.postJson("/api/v1/disaster/declarations/current/end", new JsonObject()).statusCode())
        .isEqualTo(409);
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
  }

  private JsonObject summary(DisasterClient client) {
    HttpResponse<String> response = client.get("/api/v1/disaster/summary");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static JsonObject district(JsonObject summary, String name) {
    return summary.getJsonArray("districts").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("district").equals(name)).findFirst().orElseThrow();
  }

  private static JsonObject person(JsonObject people, String name) {
    return people.getJsonArray("people").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("name").equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(JsonArray people) {
    return people.stream().map(p -> ((JsonObject) p).getString("name")).toList();
  }
}
