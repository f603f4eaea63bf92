package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 見守りセンター at work: the open alerts oldest first with the resident's phone, address and family
 * contacts; each call recorded; 発生 → 対応中 → 解決 with the reason; escalation to the family and the
 * care manager (a notice on the team timeline and mails through a real SMTP server), by the operator
 * or by the timer when nobody acknowledged the alert; a visit's result closing it; and every step in
 * the alert's history and the audit log. Bad requests get stable codes and change nothing.
 */
class CallCentreWorkflowTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;
  static String household;
  static RuleClock clock;
  static AlertRules rules;
  static final Instant START = Instant.parse("2026-09-01T00:00:00Z");

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
    household = bed.enrol("wf").getString("id");
    clock = new RuleClock(START);
    rules = bed.feature().rulesWith(clock, RuleSettings.defaults());
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  /** A new heat alert now (one per episode: the previous one is resolved first by each test). */
  private static String heatAlert() {
    bed.write("update sensor_alerts set state = 'resolved', resolution = '前のテストの残り' where household_id = ?"
        + " and kind = 'heat'", household);
    clock.advance(Duration.ofHours(1));
    List<Alert> raised = bed.deliver(rules, household, List.of(bed.climate("room-wf", household, clock.millis(), 330,
        800)));
    assertThat(raised).hasSize(1);
    return raised.get(0).id();
  }

  private static JsonObject alert(CareClient who, String id) {
    CareClient.Reply reply = who.get("/api/v1/sensors/alerts/" + id);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static List<String> steps(String id) {
    return alert(bed.staff, id).getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("step")).toList();
  }

  @Test
  void the_call_centre_lists_open_alerts_oldest_first_with_phone_address_and_contacts_and_not_machine_alerts() {
    String first = heatAlert();
    bed.deliver(rules, household, List.of(bed.battery("fridge-wf", household, clock.millis(), 5)));
    clock.advance(Duration.ofMinutes(1));
    bed.deliver(rules, household, List.of(bed.climate("room-wf", household, clock.millis(), 50, 300)));
    JsonArray alerts = bed.watch.get("/api/v1/sensors/alerts").json().getJsonArray("alerts");
    assertThat(alerts.stream().map(a -> ((JsonObject) a).getString("kind")).toList()).containsExactly("heat", "cold");
    JsonObject top = alerts.getJsonObject(0);
    assertThat(top.getString("id")).isEqualTo(first);
    assertThat(top.getJsonObject("household").getString("phone")).isEqualTo("0265-72-0001");
    assertThat(top.getJsonObject("household").getString("address")).isEqualTo("伊那市西箕輪3000-1");
    assertThat(top.getJsonObject("household").getJsonArray("contacts").stream()
        .map(c -> ((JsonObject) c).getString("name")).toList()).containsExactly("春日 一郎", "春日 良子");
    JsonArray forStaff = bed.staff.get("/api/v1/sensors/alerts").json().getJsonArray("alerts");
    assertThat(forStaff.stream().map(a -> ((JsonObject) a).getString("kind")).toList()).contains("low_battery");
    String battery = forStaff.stream().map(JsonObject.class::cast).filter(a -> a.getString("kind").equals("low_battery"))
        .findFirst().orElseThrow().getString("id");
    assertThat(bed.watch.get("/api/v1/sensors/alerts/" + battery).status()).as("機器の異常 is not the call centre's")
        .isEqualTo(404);
    for (JsonObject a : forStaff.stream().map(JsonObject.class::cast).toList()) {
      bed.staff.post("/api/v1/sensors/alerts/" + a.getString("id") + "/resolve", new JsonObject().put("reason", "片付け"));
    }
  }

  @Test
  void the_call_centre_screen_is_told_at_once_on_its_live_stream_when_an_alert_is_raised() throws Exception {
    java.util.concurrent.CompletableFuture<String> told = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        bed.watch.stream("/api/v1/sensors/alerts/live").body().filter(line -> line.startsWith("event:"))
            .findFirst().orElse(""));
    Thread.sleep(500); // the stream is open before the alert is raised
    String id = heatAlert();
    assertThat(told.get(15, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("event: alerts");
    bed.watch.post("/api/v1/sensors/alerts/" + id + "/resolve", new JsonObject().put("reason", "確認済み"));
  }

  @Test
  void the_area_summary_counts_per_district_and_week_with_no_names_and_small_counts_as_under_five() {
    // The current hour: a week (from Monday 00:00 Japan time) starts on an hour.
    long hour = Instant.now().toEpochMilli() / 3_600_000L * 3_600_000L;
    bed.write("insert into sensor_hourly (household_id, hour_ms, door_events, climate_count, temp_sum_deci,"
        + " hum_sum_deci) values (?, ?, 12, 0, 0, 0) on conflict do nothing", household, hour);
    CareClient.Reply summary = bed.staff.get("/api/v1/sensors/area-summary");
    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.body()).doesNotContain("春日", household);
    JsonObject district = summary.json().getJsonArray("districts").getJsonObject(0);
    assertThat(district.getString("district")).isEqualTo("西箕輪");
    assertThat(district.getString("households")).isEqualTo("<5");
    JsonObject thisWeek = district.getJsonArray("weeks").getJsonObject(district.getJsonArray("weeks").size() - 1);
    assertThat(thisWeek.getString("doorEvents")).isEqualTo("12");
    assertThat(thisWeek.getString("heat")).isEqualTo("<5");
    assertThat(bed.watch.get("/api/v1/sensors/area-summary").status()).isEqualTo(403);
  }

  @Test
  void a_call_moves_the_alert_to_in_progress_and_a_reason_resolves_it_and_bad_steps_change_nothing() {
    String id = heatAlert();
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply bad = bed.watch.post("/api/v1/sensors/alerts/" + id + "/calls", new JsonObject().put("outcome",
        "maybe"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("sensors.invalid_call_outcome");
    CareClient.Reply noReason = bed.watch.post("/api/v1/sensors/alerts/" + id + "/resolve", new JsonObject());
    assertThat(noReason.code()).isEqualTo("sensors.reason_required");
    CareClient.Reply tooLong = bed.watch.post("/api/v1/sensors/alerts/" + id + "/calls", new JsonObject()
        .put("outcome", "safe").put("note", "あ".repeat(501)));
    assertThat(tooLong.code()).as("the node's text rules for the field").isEqualTo("validation.too_long");
    CareClient.Reply unknown = bed.watch.post("/api/v1/sensors/alerts/nope/calls", new JsonObject().put("outcome",
        "safe"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("sensors.alert_not_found");
    Map<String, Long> after = new java.util.HashMap<>(TestSql.rowCounts(bed.node));
    after.remove("audit_log");
    assertThat(after).as("only the refusals were audited").isEqualTo(before);

    CareClient.Reply called = bed.watch.post("/api/v1/sensors/alerts/" + id + "/calls", new JsonObject()
        .put("outcome", "safe").put("note", "エアコンをつけてもらった"));
    assertThat(called.status()).as(called.body()).isEqualTo(200);
    assertThat(called.json().getString("state")).isEqualTo("in_progress");
    CareClient.Reply resolved = bed.watch.post("/api/v1/sensors/alerts/" + id + "/resolve", new JsonObject()
        .put("reason", "本人無事・室温低下を確認"));
    assertThat(resolved.json().getString("state")).isEqualTo("resolved");
    assertThat(resolved.json().getString("resolution")).isEqualTo("本人無事・室温低下を確認");
    assertThat(steps(id)).containsExactly("raised", "call", "resolved");
    CareClient.Reply again = bed.watch.post("/api/v1/sensors/alerts/" + id + "/calls", new JsonObject()
        .put("outcome", "safe"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("sensors.alert_closed");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'sensors.alert.call'"
        + " and target = ? and outcome = 'success'", "sensors:alert:" + id)).isEqualTo(1);
  }

  @Test
  void an_alert_nobody_acknowledged_escalates_after_the_minutes_to_the_family_and_the_care_manager() {
    String id = heatAlert();
    long raised = clock.millis();
    CallCentreBed.await(rules.sweep(bed.vertx(), raised + Duration.ofMinutes(30).toMillis() - 1));
    assertThat(alert(bed.staff, id).getString("state")).isEqualTo("raised");
    CallCentreBed.await(rules.sweep(bed.vertx(), raised + Duration.ofMinutes(30).toMillis()));
    JsonObject escalated = alert(bed.staff, id);
    assertThat(escalated.getString("state")).isEqualTo("escalated");
    List<String> timeline = bed.careManager.get("/api/v1/patients/" + bed.patientId + "/posts").json()
        .getJsonArray("posts").stream().map(p -> ((JsonObject) p).getString("body")).toList();
    assertThat(timeline).anyMatch(b -> b.startsWith("【みまもりアラート】熱中症の危険") && b.contains("自動で"));
    assertThat(bed.mailsTo("ichiro@family.example.jp")).anyMatch(s -> s.contains("春日 八重"));
    assertThat(bed.mailsTo("ina-caremane@ina.example.jp")).anyMatch(s -> s.contains("みまもりセンサー"));
    assertThat(bed.mailsTo("ina-kango@ina.example.jp")).as("the nurse is not the care manager").isEmpty();
    CareClient.Reply visited = bed.watch.post("/api/v1/sensors/alerts/" + id + "/visit", new JsonObject()
        .put("result", "ケアマネジャーが訪問、本人元気"));
    assertThat(visited.json().getString("state")).isEqualTo("resolved");
    assertThat(steps(id)).containsExactly("raised", "auto_escalated", "visit");
  }

  @Test
  void an_acknowledged_alert_does_not_escalate_by_itself_and_the_operator_can_escalate_it() {
    String id = heatAlert();
    bed.watch.post("/api/v1/sensors/alerts/" + id + "/calls", new JsonObject().put("outcome", "no_answer"));
    CallCentreBed.await(rules.sweep(bed.vertx(), clock.millis() + Duration.ofHours(2).toMillis()));
    assertThat(alert(bed.staff, id).getString("state")).isEqualTo("in_progress");
    CareClient.Reply escalated = bed.watch.post("/api/v1/sensors/alerts/" + id + "/escalate", new JsonObject()
        .put("note", "3回電話したが応答なし"));
    assertThat(escalated.status()).as(escalated.body()).isEqualTo(200);
    assertThat(escalated.json().getString("state")).isEqualTo("escalated");
    CareClient.Reply twice = bed.watch.post("/api/v1/sensors/alerts/" + id + "/escalate", new JsonObject());
    assertThat(twice.code()).isEqualTo("sensors.alert_not_escalatable");
    List<String> timeline = bed.nurse.get("/api/v1/patients/" + bed.patientId + "/posts").json()
        .getJsonArray("posts").stream().map(p -> ((JsonObject) p).getString("body")).toList();
    assertThat(timeline).anyMatch(b -> b.contains("応答なし") && b.contains("3回電話したが応答なし"));
    bed.watch.post("/api/v1/sensors/alerts/" + id + "/visit", new JsonObject().put("result", "家族が訪問、無事"));
    assertThat(steps(id)).containsExactly("raised", "call", "escalated", "visit");
  }
}
