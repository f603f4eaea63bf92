package jp.tsunagu.node.vaccination;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.UnaryOperator;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vaccination records through the API on a real node: a member of the patient's team records a dose
 * with its 予診, observation and photos (a timeline notice with the photos attached), corrects it
 * (versions kept) and adds a reaction; everyone else gets 404; every bad input gets its code and
 * changes nothing; the statuses, the plans and the report to 行政 follow.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaccinationApiTest {

  static final byte[] PNG = java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

  @TempDir
  static Path dir;
  static VaccinationNode ina;
  static String patient;
  static String doseId;

  @BeforeAll
  static void start() {
    ina = new VaccinationNode(dir);
    patient = ina.patient("春日", "1931-05-12", "長野県伊那市西箕輪3000-1");
  }

  @AfterAll
  static void stop() {
    ina.close();
  }

  @Test
  @Order(1)
  void a_member_records_a_dose_with_photos_and_the_team_sees_it_on_the_timeline_and_in_the_history() {
    String ticket = ina.nurse.upload("接種券.png", PNG);
    String screening = ina.nurse.upload("予診票.png", PNG);
    HttpResponse<String> recorded = ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccinations",
        VaccinationNode.dose("influenza", 1).put("ticketPhotos", new JsonArray().add(ticket))
            .put("screeningPhotos", new JsonArray().add(screening)));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
    JsonObject dose = new JsonObject(recorded.body());
    doseId = dose.getString("id");
    assertThat(dose.getString("vaccineName")).isEqualTo("インフルエンザ");
    assertThat(dose.getString("placeLabel")).isEqualTo("訪問");

    JsonObject post = new JsonObject(ina.nurse.get("/api/v1/patients/" + patient + "/posts").body())
        .getJsonArray("posts").getJsonObject(0);
    assertThat(post.getString("body")).contains("【予防接種】インフルエンザ 1回目（訪問）").contains("ロット FK1234")
        .contains("経過観察 15分");
    assertThat(post.getJsonArray("attachments")).hasSize(2);
    assertThat(ina.nurse.getBytes("/api/v1/attachments/" + ticket).statusCode()).isEqualTo(200);

    JsonObject history = new JsonObject(ina.nurse.get("/api/v1/patients/" + patient + "/vaccinations").body());
    assertThat(history.getJsonArray("doses")).hasSize(1);
    JsonObject flu = status(history.getJsonArray("statuses"), "influenza");
    assertThat(flu.getString("label")).isEqualTo("接種済み 1回");
    assertThat(status(history.getJsonArray("statuses"), "covid19").getString("label")).isEqualTo("未接種");
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where action = 'vaccination.dose.recorded'"
        + " and outcome = 'success'")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void someone_outside_the_team_gets_404_for_every_vaccination_route_and_the_refusal_is_audited() {
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    long refusals = TestSql.count(ina.node, "select count(*) from audit_log where outcome = 'refused'"
        + " and action like 'vaccination.%'");
    assertThat(ina.outsider.get("/api/v1/patients/" + patient + "/vaccinations").statusCode()).isEqualTo(404);
    HttpResponse<String> record = ina.outsider.postJson("/api/v1/patients/" + patient + "/vaccinations",
        VaccinationNode.dose("covid19", 1));
    assertThat(record.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(record.body()).getString("code")).isEqualTo("care.not_found");
    assertThat(ina.outsider.putJson("/api/v1/vaccinations/" + doseId, VaccinationNode.dose("influenza", 1))
        .statusCode()).isEqualTo(404);
    assertThat(ina.outsider.postJson("/api/v1/vaccinations/" + doseId + "/reactions", new JsonObject()
        .put("kind", "none")).statusCode()).isEqualTo(404);
    assertThat(ina.outsider.postJson("/api/v1/patients/" + patient + "/vaccination-plans", new JsonObject()
        .put("vaccine", "zoster")).statusCode()).isEqualTo(404);
    JsonObject statuses = new JsonObject(ina.outsider.get("/api/v1/vaccination/statuses?patients=" + patient).body());
    assertThat(statuses.getJsonObject("patients").fieldNames()).isEmpty();
    assertThat(ina.staff.get("/api/v1/patients/" + patient + "/vaccinations").statusCode()).isEqualTo(403);
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where outcome = 'refused'"
        + " and action like 'vaccination.%'")).isEqualTo(refusals + 5);
  }

  @Test
  @Order(3)
  void every_bad_dose_gets_its_own_code_and_changes_nothing() {
    Instant now = Instant.now();
    Map<String, UnaryOperator<JsonObject>> bad = new java.util.LinkedHashMap<>();
    bad.put("vaccination.date_in_future", d -> d.put("givenAt", now.plus(Duration.ofDays(2)).toString()));
    bad.put("vaccination.date_before_birth", d -> d.put("givenAt", "1931-05-10T10:00:00+09:00")
        .put("observation", d.getJsonObject("observation").copy().put("startedAt", "1931-05-10T10:00:00+09:00")
            .put("endedAt", "1931-05-10T10:15:00+09:00")));
    bad.put("vaccination.dose_out_of_order", d -> d.put("doseNumber", 3));
    bad.put("vaccination.unknown_vaccine", d -> d.put("vaccine", "smallpox"));
    bad.put("vaccination.bad_lot_number", d -> d.put("lotNumber", "ロット#1"));
    bad.put("vaccination.observation_ended_before_start", d -> d.put("observation", d.getJsonObject("observation")
        .copy().put("endedAt", Instant.parse(d.getString("givenAt")).minus(Duration.ofMinutes(1)).toString())));
    bad.put("vaccination.bad_observation_minutes", d -> d.put("observation", d.getJsonObject("observation").copy()
        .put("minutes", 10)));
    bad.put("vaccination.screening_blocks", d -> d.put("screening", d.getJsonObject("screening").copy()
        .put("temperature", 37.8)));
    bad.put("vaccination.bad_place", d -> d.put("place", "car"));
    bad.put("vaccination.bad_ticket_number", d -> d.put("ticketNumber", "ABC"));
    Map<String, Long> before = TestSql.rowCounts(ina.node);
    bad.forEach((code, change) -> {
      HttpResponse<String> refused = ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccinations",
          change.apply(VaccinationNode.dose("influenza", 2)));
      assertThat(refused.statusCode()).as(code + ": " + refused.body()).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getString("code")).as(refused.body()).isEqualTo(code);
    });
    // A second dose given before the first one is out of order too.
    HttpResponse<String> earlier = ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccinations",
        VaccinationNode.dose("influenza", 2).put("givenAt", now.minus(Duration.ofDays(3)).toString())
            .put("observation", new JsonObject().put("minutes", 30)));
    assertThat(new JsonObject(earlier.body()).getString("code")).isEqualTo("vaccination.dose_out_of_order");
    assertThat(TestSql.rowCounts(ina.node)).isEqualTo(before);
  }

  @Test
  @Order(4)
  void a_correction_keeps_every_version_and_a_reaction_is_added_later() {
    HttpResponse<String> corrected = ina.nurse.putJson("/api/v1/vaccinations/" + doseId,
        VaccinationNode.dose("influenza", 1).put("lotNumber", "FK1235"));
    assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
    assertThat(new JsonObject(corrected.body()).getInteger("version")).isEqualTo(2);
    HttpResponse<String> renumbered = ina.nurse.putJson("/api/v1/vaccinations/" + doseId,
        VaccinationNode.dose("influenza", 2));
    assertThat(new JsonObject(renumbered.body()).getString("code")).isEqualTo("vaccination.dose_out_of_order");

    HttpResponse<String> reaction = ina.nurse.postJson("/api/v1/vaccinations/" + doseId + "/reactions",
        new JsonObject().put("kind", "接種部位の腫れ").put("onsetAt", Instant.now().toString()).put("outcome", "回復"));
    assertThat(reaction.statusCode()).as(reaction.body()).isEqualTo(201);
    HttpResponse<String> incomplete = ina.nurse.postJson("/api/v1/vaccinations/" + doseId + "/reactions",
        new JsonObject().put("kind", "発熱"));
    assertThat(new JsonObject(incomplete.body()).getString("code")).isEqualTo("vaccination.reaction_incomplete");

    JsonObject dose = new JsonObject(ina.nurse.get("/api/v1/patients/" + patient + "/vaccinations").body())
        .getJsonArray("doses").getJsonObject(0);
    assertThat(dose.getString("lotNumber")).isEqualTo("FK1235");
    assertThat(dose.getJsonArray("versions")).hasSize(2);
    assertThat(dose.getJsonArray("versions").getJsonObject(0).getJsonObject("data").getString("lotNumber"))
        .isEqualTo("FK1234");
    assertThat(dose.getJsonArray("reactions").getJsonObject(0).getString("outcome")).isEqualTo("回復");
  }

  @Test
  @Order(5)
  void a_home_vaccination_goes_from_wished_to_planned_to_given_and_another_is_declined_with_its_reason() {
    String wish = new JsonObject(ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccination-plans",
        new JsonObject().put("vaccine", "covid19")).body()).getString("id");
    assertThat(ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccination-plans",
        new JsonObject().put("vaccine", "covid19")).statusCode()).isEqualTo(409);
    HttpResponse<String> past = ina.nurse.postJson("/api/v1/vaccination-plans/" + wish + "/schedule",
        new JsonObject().put("plannedFor", "2020-01-01"));
    assertThat(new JsonObject(past.body()).getString("code")).isEqualTo("vaccination.plan_in_past");
    HttpResponse<String> outsider = ina.nurse.postJson("/api/v1/vaccination-plans/" + wish + "/schedule",
        new JsonObject().put("plannedFor", LocalDate.now().plusDays(7).toString()).put("assignee", ina.outsider.userId));
    assertThat(new JsonObject(outsider.body()).getString("code")).isEqualTo("vaccination.assignee_not_member");
    HttpResponse<String> planned = ina.nurse.postJson("/api/v1/vaccination-plans/" + wish + "/schedule",
        new JsonObject().put("plannedFor", LocalDate.now().plusDays(7).toString()));
    assertThat(planned.statusCode()).as(planned.body()).isEqualTo(200);

    JsonObject mine = new JsonObject(ina.nurse.get("/api/v1/vaccination/plans?scope=mine").body());
    assertThat(mine.getJsonArray("plans")).hasSize(1);
    assertThat(mine.getJsonArray("plans").getJsonObject(0).getString("patientName")).isEqualTo("春日 トメ");
    JsonObject facility = new JsonObject(ina.nurse.get("/api/v1/vaccination/plans?scope=facility").body());
    assertThat(facility.getString("facility")).isEqualTo("伊那中央訪問看護ステーション");
    assertThat(facility.getJsonArray("plans")).hasSize(1);
    assertThat(new JsonObject(ina.outsider.get("/api/v1/vaccination/plans?scope=mine").body())
        .getJsonArray("plans")).isEmpty();
    assertThat(status(statuses(), "covid19").getString("label")).isEqualTo("予定");

    assertThat(ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccinations",
        VaccinationNode.dose("covid19", 1)).statusCode()).isEqualTo(201);
    assertThat(status(statuses(), "covid19").getString("label")).isEqualTo("接種済み 1回");
    assertThat(new JsonObject(ina.nurse.get("/api/v1/vaccination/plans?scope=mine").body()).getJsonArray("plans"))
        .isEmpty();

    String zoster = new JsonObject(ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccination-plans",
        new JsonObject().put("vaccine", "zoster")).body()).getString("id");
    assertThat(new JsonObject(ina.nurse.postJson("/api/v1/vaccination-plans/" + zoster + "/decline",
        new JsonObject().put("reason", "")).body()).getString("code")).isEqualTo("validation.required");
    assertThat(ina.nurse.postJson("/api/v1/vaccination-plans/" + zoster + "/decline",
        new JsonObject().put("reason", "発熱が続くため")).statusCode()).isEqualTo(200);
    assertThat(status(statuses(), "zoster").getString("label")).isEqualTo("見送り");
    assertThat(ina.nurse.postJson("/api/v1/vaccination-plans/" + zoster + "/schedule",
        new JsonObject().put("plannedFor", LocalDate.now().plusDays(7).toString())).statusCode()).isEqualTo(409);

    // 行政 marks who needs home vaccination among this node's patients; the team then plans it.
    HttpResponse<String> marked = ina.staff.postJson("/api/v1/patients/" + patient + "/vaccination-plans",
        new JsonObject().put("vaccine", "pneumococcal"));
    assertThat(marked.statusCode()).as(marked.body()).isEqualTo(201);
    assertThat(status(statuses(), "pneumococcal").getString("label")).isEqualTo("未接種");
    assertThat(ina.staff.postJson("/api/v1/patients/nobody/vaccination-plans", new JsonObject()
        .put("vaccine", "pneumococcal")).statusCode()).isEqualTo(404);
    JsonObject registered = new JsonObject(ina.staff.get("/api/v1/vaccination/registered-patients").body())
        .getJsonArray("patients").getJsonObject(0);
    assertThat(registered.getString("name")).isEqualTo("春日 トメ");
    assertThat(registered.getJsonArray("plans").stream().map(p -> ((JsonObject) p).getString("vaccine")))
        .containsExactly("pneumococcal");
    assertThat(ina.nurse.get("/api/v1/vaccination/registered-patients").statusCode()).isEqualTo(403);
  }

  @Test
  @Order(6)
  void staff_read_the_counts_and_export_the_national_record_items_in_utf8_and_shift_jis_each_export_audited() {
    String today = LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).toString();
    String from = LocalDate.now().minusDays(30).toString();
    JsonObject report = new JsonObject(ina.staff.get("/api/v1/vaccination/report?from=" + from + "&to=" + today).body());
    JsonObject counts = report.getJsonObject("counts");
    assertThat(counts.getInteger("total")).isEqualTo(2);
    assertThat(counts.getJsonArray("byDistrict").getJsonObject(0).getString("key")).isEqualTo("西箕輪");
    assertThat(counts.getJsonArray("byAgeBand").getJsonObject(0).getString("key")).isEqualTo("85歳以上");
    assertThat(counts.getJsonArray("byPlace").getJsonObject(0).getString("key")).isEqualTo("訪問");
    JsonObject onlyFlu = new JsonObject(ina.staff.get("/api/v1/vaccination/report?from=" + from + "&to=" + today
        + "&vaccine=influenza").body()).getJsonObject("counts");
    assertThat(onlyFlu.getInteger("total")).isEqualTo(1);

    long exports = TestSql.count(ina.node, "select count(*) from audit_log where action = 'vaccination.report.exported'");
    HttpResponse<byte[]> utf8 = ina.staff.getBytes("/api/v1/vaccination/report.csv?from=" + from + "&to=" + today);
    String text = new String(utf8.body(), StandardCharsets.UTF_8);
    assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("接種券番号,接種日,ワクチン種類,メーカー,ロット番号,接種回数");
    // The dose was given an hour before it was recorded: its date is Japan's date then (yesterday's
    // in the first hour of a Japanese day).
    String givenOn = LocalDate.ofInstant(Instant.now().minus(Duration.ofHours(1)), java.time.ZoneId.of("Asia/Tokyo"))
        .toString().replace('-', '/');
    assertThat(text).contains("2020961234," + givenOn + ",インフルエンザ,第一三共,FK1235,1");
    HttpResponse<byte[]> sjis = ina.staff.getBytes("/api/v1/vaccination/report.csv?from=" + from + "&to=" + today
        + "&encoding=shift_jis");
    assertThat(sjis.headers().firstValue("Content-Type").orElse("")).contains("Shift_JIS");
    assertThat(new String(sjis.body(), Charset.forName("windows-31j"))).isEqualTo(text);
    assertThat(TestSql.count(ina.node, "select count(*) from audit_log where action = 'vaccination.report.exported'"))
        .isEqualTo(exports + 2);

    assertThat(ina.nurse.get("/api/v1/vaccination/report?from=" + from + "&to=" + today).statusCode()).isEqualTo(403);
    assertThat(ina.nurse.getBytes("/api/v1/vaccination/report.csv?from=" + from + "&to=" + today).statusCode())
        .isEqualTo(403);
    HttpResponse<String> badPeriod = ina.staff.get("/api/v1/vaccination/report?from=" + today + "&to=" + from);
    assertThat(new JsonObject(badPeriod.body()).getString("code")).isEqualTo("vaccination.bad_period");

    // The usage report (レポート) counts the month's doses too, without naming anyone.
    String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Tokyo")).toString();
    HttpResponse<String> usage = ina.staff.get("/api/v1/reports/usage?from=" + month + "&to=" + month);
    assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
    JsonObject figures = new JsonObject(usage.body()).getJsonArray("areas").stream().map(JsonObject.class::cast)
        .filter(area -> "202096".equals(area.getString("code"))).findFirst().orElseThrow()
        .getJsonArray("months").getJsonObject(0).getJsonObject("figures");
    assertThat(figures.getLong("vaccination.doses")).isGreaterThanOrEqualTo(1);
    assertThat(figures.getLong("vaccination.home_doses")).isGreaterThanOrEqualTo(1);
    assertThat(figures.getLong("vaccination.doses_by_vaccine:インフルエンザ")).isGreaterThanOrEqualTo(1);
    assertThat(usage.body()).doesNotContain("春日");
  }

  @Test
  @Order(7)
  void staff_add_a_vaccine_to_the_node_list_and_a_professional_may_not() {
    HttpResponse<String> added = ina.staff.postJson("/api/v1/vaccination/vaccines", new JsonObject().put("name", "RSウイルス"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(ina.staff.postJson("/api/v1/vaccination/vaccines", new JsonObject().put("name", "RSウイルス"))
        .statusCode()).isEqualTo(409);
    assertThat(ina.nurse.postJson("/api/v1/vaccination/vaccines", new JsonObject().put("name", "BCG")).statusCode())
        .isEqualTo(403);
    JsonArray vaccines = new JsonObject(ina.nurse.get("/api/v1/vaccination/vaccines").body()).getJsonArray("vaccines");
    assertThat(vaccines.stream().map(v -> ((JsonObject) v).getString("name")))
        .containsExactly("COVID-19", "インフルエンザ", "肺炎球菌", "帯状疱疹", "RSウイルス");
    String code = new JsonObject(added.body()).getString("code");
    assertThat(ina.nurse.postJson("/api/v1/patients/" + patient + "/vaccinations", VaccinationNode.dose(code, 1))
        .statusCode()).isEqualTo(201);
  }

  private static JsonArray statuses() {
    return new JsonObject(ina.nurse.get("/api/v1/vaccination/statuses?patients=" + patient).body())
        .getJsonObject("patients").getJsonArray(patient);
  }

  private static JsonObject status(JsonArray statuses, String vaccine) {
    return statuses.stream().map(JsonObject.class::cast).filter(s -> s.getString("vaccine").equals(vaccine))
        .findFirst().orElseThrow();
  }
}
