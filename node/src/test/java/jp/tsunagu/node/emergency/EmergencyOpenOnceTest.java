package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.storage.WorkCounts;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open writes its records once and shows its view only after they are durable: the access, the
 * team's notice, and the audit rows of opening and viewing, each exactly once per open (the view is
 * read after the write, on a reader); a retry of the open with its Idempotency-Key is answered from what
 * the open's own transaction kept (the access, never the view); and the lookups are answered by index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyOpenOnceTest {

  private static final String NOTICES = "select count(*) from posts where board_id = ?"
      + " and body like '救急隊が緊急閲覧しました%'";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  String hoshino;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-once", "北原", "健一", "doctor", bed.clinic);
    hoshino = EmergencyBed.patient(doctor, EmergencyBed.person("星野", "ハル", "ホシノ", "ハル", "1935-02-20",
        "長野県伊那市手良沢岡1200-3", "0265-78-1234"));
    assertThat(doctor.put("/api/v1/patients/" + hoshino + "/acp", EmergencyBed.plan()).status()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void each_open_writes_its_access_the_teams_notice_and_each_audit_row_exactly_once() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-once", "丸山", "大輔");
    String target = "patient:" + hoshino;
    for (int open = 1; open <= 3; open++) {
      long opened = bed.audited("emergency.access.opened", target);
      long viewed = bed.audited("emergency.access.viewed", target);
      long notices = TestSql.count(bed.node, NOTICES, hoshino);
      long accesses = TestSql.count(bed.node, "select count(*) from emergency_accesses where patient_id = ?", hoshino);

      CareClient.Reply reply = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino));
      assertThat(reply.status()).as(reply.body()).isEqualTo(201);

      assertThat(bed.audited("emergency.access.opened", target)).as("open %d", open).isEqualTo(opened + 1);
      assertThat(bed.audited("emergency.access.viewed", target)).as("open %d", open).isEqualTo(viewed + 1);
      assertThat(TestSql.count(bed.node, NOTICES, hoshino)).as("open %d", open).isEqualTo(notices + 1);
      assertThat(TestSql.count(bed.node, "select count(*) from emergency_accesses where patient_id = ?", hoshino))
          .as("open %d", open).isEqualTo(accesses + 1);
      // The opened and viewed rows name the access the answer names, and the opened row the notice.
      String access = reply.json().getString("id");
      assertThat(bed.auditDetails("emergency.access.opened", target)).filteredOn(d -> d.contains(access))
          .singleElement().satisfies(d -> assertThat(new JsonObject(d).getString("post")).isNotBlank());
      assertThat(bed.auditDetails("emergency.access.viewed", target)).filteredOn(d -> d.contains(access)).hasSize(1);
    }
  }

  @Test
  void a_crews_request_reads_its_session_and_account_in_one_statement() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-session", "小松", "亮");
    long fewest = Long.MAX_VALUE;
    List<WorkCounts> seen = new ArrayList<>();
    // The fewest of a few: the node's own periodic work may read beside one of them.
    for (int i = 0; i < 5; i++) {
      WorkCounts before = bed.node.services().database().workCounts();
      assertThat(crew.get("/api/v1/auth/me").status()).isEqualTo(200);
      WorkCounts used = bed.node.services().database().workCounts().minus(before);
      seen.add(used);
      fewest = Math.min(fewest, used.readStatements() + used.writeStatements());
    }

    // A 救急・消防 account has no facility: the session with its account is the request's one statement (a
    // session made with a device certificate reads it in the same statement; AccessBadInputTest's
    // certificate sessions go through it).
    assertThat(fewest).as("%s", seen).isEqualTo(1);
  }

  @Test
  void the_view_an_open_answers_is_the_view_a_later_read_of_the_access_shows() {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-same", "宮坂", "翔");
    CareClient.Reply opened = crew.post("/api/v1/emergency/accesses", EmergencyBed.access(hoshino));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    JsonObject view = opened.json().getJsonObject("view");
    assertThat(view.getJsonObject("acp").getString("resuscitation")).isEqualTo("dnar");
    CareClient.Reply read = crew.get("/api/v1/emergency/accesses/" + opened.json().getString("id"));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(view);
  }

  @Test
  void a_retry_with_the_opens_key_is_shown_the_access_kept_with_it_and_reads_the_view_afresh() throws Exception {
    CareClient crew = EmergencyBed.responder(bed, "kyukyu-keyed", "藤沢", "修");
    byte[] body = EmergencyBed.access(hoshino).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String key = "b3a1c0de-0000-4000-8000-0000000000a7";
    var first = crew.postWith("/api/v1/emergency/accesses", body, "application/json", Map.of("Idempotency-Key", key));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    JsonObject opened = new JsonObject(first.body());
    assertThat(opened.getJsonObject("view").getJsonObject("patient").getString("name")).isEqualTo("星野 ハル");
    // The answer was kept in the open's own transaction, without the view (no patient data kept for a day).
    assertThat(TestSql.count(bed.node, "select count(*) from idempotency_keys where request_key = ?"
        + " and answer_kept = 1 and answer_body not like '%\"view\"%'", key)).isEqualTo(1);
    long viewed = bed.audited("emergency.access.viewed", "patient:" + hoshino);

    var again = crew.postWith("/api/v1/emergency/accesses", body, "application/json", Map.of("Idempotency-Key", key));
    assertThat(again.statusCode()).isEqualTo(201);
    JsonObject replayed = new JsonObject(again.body());
    assertThat(replayed.getString("id")).isEqualTo(opened.getString("id"));
    assertThat(replayed.getString("expiresAt")).isEqualTo(opened.getString("expiresAt"));
    assertThat(replayed.containsKey("view")).isFalse();
    assertThat(bed.audited("emergency.access.viewed", "patient:" + hoshino)).isEqualTo(viewed);
    // The page then reads the view through the access, which checks its expiry and audits the read.
    CareClient.Reply read = crew.get("/api/v1/emergency/accesses/" + replayed.getString("id"));
    assertThat(read.json()).isEqualTo(opened.getJsonObject("view"));
    assertThat(bed.audited("emergency.access.viewed", "patient:" + hoshino)).isEqualTo(viewed + 1);
  }

  @Test
  void a_search_by_name_or_phone_and_the_views_consent_are_looked_up_by_index() throws Exception {
    // The statements as care and the disaster register run them (EmergencyRecordSql, RegisterConsents).
    List<String> plans = new ArrayList<>();
    for (String sql : List.of(
        "select p.id from patients p join care_boards b on b.id = p.id where b.home_node is null"
            + " and p.birth_date = ? and (replace(replace(p.family_name || p.given_name, ' ', ''), '　', '') = ?"
            + " or p.family_name = ? or replace(replace(p.family_kana || p.given_kana, ' ', ''), '　', '') = ?"
            + " or p.family_kana = ?) order by p.family_kana, p.given_kana, p.id limit ?",
        "select p.id from patients p join care_boards b on b.id = p.id where b.home_node is null"
            + " and replace(replace(replace(replace(p.phone, '-', ''), ' ', ''), '　', ''), 'ー', '') = ?"
            + " order by p.family_kana, p.given_kana, p.id limit ?",
        "select p.consent, i.version from disaster_register_matches m"
            + " join disaster_register_people p on p.person_key = m.person_key"
            + " join disaster_register_imports i on i.id = p.import_id and i.status = 'confirmed'"
            + " where m.patient_id = ? and m.status = 'confirmed'")) {
      plans.add(bed.node.services().database().submitRead(c -> {
        StringBuilder plan = new StringBuilder();
        try (var s = c.prepareStatement("explain query plan " + sql); var rs = s.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(4)).append('\n');
          }
        }
        return plan.toString();
      }).get());
    }
    assertThat(plans.get(0)).contains("USING INDEX patients_birth_date").doesNotContain("SCAN p");
    assertThat(plans.get(1)).contains("USING INDEX patients_phone_digits").doesNotContain("SCAN p");
    assertThat(plans.get(2)).contains("USING INDEX disaster_register_matches_patient")
        .doesNotContain("disaster_register_people_district");
  }
}
