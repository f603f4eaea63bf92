package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.timeline.TimelineRoutes;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class CareApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient outsider;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-kitahara", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-miyasaka", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-fujisawa", "藤澤", "聡子", "care_manager", bed.nursingStation);
    outsider = bed.professional("dr-other", "小松", "誠", "doctor", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  public static JsonObject patient(String family, String given, String familyKana, String givenKana, String birth) {
    return new JsonObject().put("familyName", family).put("givenName", given).put("familyKana", familyKana)
        .put("givenKana", givenKana).put("birthDate", birth).put("sex", "female")
        .put("address", "長野県伊那市荒井3500-1").put("municipalityCode", "202096").put("phone", "0265-78-0000")
        .put("familyDoctor", "北原 健一（伊那中央クリニック）").put("careLevel", "要介護2")
        .put("emergencyContacts", "長男 090-0000-0000").put("acpNotes", "自宅で最期まで過ごしたい").put("remarks", "")
        .put("teamRole", "主治医");
  }

  /** A patient of the doctor with the nurse as an accepted member. */
  String teamWithNurse(String family, String kana, String birth) {
    CareClient.Reply created = doctor.post("/api/v1/patients", patient(family, "ハナ", kana, "ハナ", birth));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(doctor.post("/api/v1/patients/" + id + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護")).status()).isEqualTo(201);
    assertThat(nurse.post("/api/v1/invitations/" + id + "/accept", new JsonObject()).status()).isEqualTo(204);
    return id;
  }

  @Test
  void a_registered_patient_is_listed_for_the_registrant_and_found_by_kana() {
    String id = doctor.post("/api/v1/patients", patient("春日", "ハナ", "カスガ", "ハナ", "1938-04-05"))
        .json().getString("id");
    JsonArray found = doctor.get("/api/v1/patients?q=" + java.net.URLEncoder.encode("カスガ",
        java.nio.charset.StandardCharsets.UTF_8)).json().getJsonArray("patients");
    assertThat(found.stream().map(p -> ((JsonObject) p).getString("id"))).contains(id);
    assertThat(outsider.get("/api/v1/patients").json().getJsonArray("patients").stream()
        .map(p -> ((JsonObject) p).getString("id"))).doesNotContain(id);
    JsonObject shown = doctor.get("/api/v1/patients/" + id).json();
    assertThat(shown.getString("careLevel")).isEqualTo("要介護2");
    assertThat(shown.getString("myTeamRole")).isEqualTo("主治医");
  }

  @Test
  void a_second_registration_of_the_same_person_is_refused() {
    doctor.post("/api/v1/patients", patient("重複", "ハナ", "チョウフク", "ハナ", "1940-01-01"));
    CareClient.Reply again = doctor.post("/api/v1/patients", patient("重複", "ハナ", "チョウフク", "ハナ", "1940-01-01"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("care.patient_duplicate");
  }

  @Test
  void bad_patient_details_are_refused_with_a_stable_code() {
    assertThat(doctor.post("/api/v1/patients", patient("誤り", "ハナ", "ゴリ", "ハナ", "1940-02-30")).code())
        .isEqualTo("validation.bad_date");
    assertThat(doctor.post("/api/v1/patients", patient("誤り", "ハナ", "ゴリ", "ハナ", "1940-02-01")
        .put("municipalityCode", "999999")).code()).isEqualTo("care.municipality_unknown");
    assertThat(doctor.post("/api/v1/patients", patient("誤り", "ハナ", "ごり", "ハナ", "1940-02-01")).code())
        .isEqualTo("validation.malformed");
    assertThat(doctor.post("/api/v1/patients", patient("誤り", "ハナ", "ゴリ", "ハナ", "1940-02-01")
        .put("remarks", "あ".repeat(2001))).code()).isEqualTo("validation.too_long");
    assertThat(doctor.get("/api/v1/patients?q=" + java.net.URLEncoder.encode("誤り",
        java.nio.charset.StandardCharsets.UTF_8)).json().getJsonArray("patients")).isEmpty();
  }

  @Test
  void an_invited_member_sees_the_patient_only_after_accepting_and_loses_it_when_removed() {
    String id = doctor.post("/api/v1/patients", patient("招待", "ハナ", "ショウタイ", "ハナ", "1941-03-03"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + id + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー"));
    assertThat(careManager.get("/api/v1/patients/" + id).status()).isEqualTo(404);
    assertThat(careManager.get("/api/v1/invitations").json().getJsonArray("invitations").stream()
        .map(i -> ((JsonObject) i).getString("boardId"))).contains(id);
    assertThat(careManager.post("/api/v1/invitations/" + id + "/accept", new JsonObject()).status()).isEqualTo(204);
    assertThat(careManager.get("/api/v1/patients/" + id).status()).isEqualTo(200);
    JsonArray team = careManager.get("/api/v1/patients/" + id + "/team").json().getJsonArray("members");
    assertThat(team.stream().map(m -> ((JsonObject) m).getString("teamRole"))).contains("主治医", "ケアマネジャー");
    assertThat(doctor.post("/api/v1/patients/" + id + "/team/members/" + careManager.userId + "/remove",
        new JsonObject()).status()).isEqualTo(204);
    assertThat(careManager.get("/api/v1/patients/" + id).status()).isEqualTo(404);
  }

  @Test
  void a_member_who_leaves_no_longer_sees_the_timeline() {
    String id = teamWithNurse("退出", "タイシュツ", "1942-01-01");
    assertThat(nurse.get("/api/v1/patients/" + id + "/posts").status()).isEqualTo(200);
    assertThat(nurse.post("/api/v1/patients/" + id + "/team/leave", new JsonObject()).status()).isEqualTo(204);
    assertThat(nurse.get("/api/v1/patients/" + id + "/posts").status()).isEqualTo(404);
  }

  @Test
  void posts_carry_author_profession_and_facility_and_comments_and_read_receipts_count() {
    String id = teamWithNurse("既読", "キドク", "1935-05-05");
    JsonObject post = doctor.post("/api/v1/patients/" + id + "/posts",
        new JsonObject().put("category", "申し送り").put("body", "本日より利尿剤を増量。体重の変化に注意してください。")).json();
    assertThat(post.getString("authorName")).isEqualTo("北原 健一");
    assertThat(post.getString("authorProfession")).isEqualTo("医師");
    assertThat(post.getString("authorFacility")).isEqualTo("伊那中央クリニック");
    assertThat(unread(nurse, id)).isEqualTo(1);
    assertThat(nurse.post("/api/v1/patients/" + id + "/reads",
        new JsonObject().put("postIds", new JsonArray().add(post.getString("id")))).status()).isEqualTo(200);
    assertThat(unread(nurse, id)).isZero();
    JsonArray readers = doctor.get("/api/v1/posts/" + post.getString("id") + "/reads").json().getJsonArray("readers");
    assertThat(readers.getJsonObject(0).getString("name")).isEqualTo("宮坂 由美");
    nurse.post("/api/v1/posts/" + post.getString("id") + "/comments", new JsonObject().put("body", "承知しました。"));
    JsonObject first = doctor.get("/api/v1/patients/" + id + "/posts").json().getJsonArray("posts").getJsonObject(0);
    assertThat(first.getInteger("readCount")).isEqualTo(1);
    assertThat(first.getJsonArray("comments").getJsonObject(0).getString("body")).isEqualTo("承知しました。");
  }

  private static int unread(CareClient client, String patientId) {
    return client.get("/api/v1/patients").json().getJsonArray("patients").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("id").equals(patientId)).findFirst().orElseThrow().getInteger("unread");
  }

  @Test
  void a_direct_post_is_seen_only_by_its_recipients() {
    String id = teamWithNurse("特別", "トクベツ", "1936-06-06");
    doctor.post("/api/v1/patients/" + id + "/team/invitations",
        new JsonObject().put("userId", careManager.userId).put("teamRole", "ケアマネジャー"));
    careManager.post("/api/v1/invitations/" + id + "/accept", new JsonObject());
    String direct = doctor.post("/api/v1/patients/" + id + "/posts", new JsonObject().put("category", "相談")
        .put("body", "ご家族の件、看護師さんだけにお伝えします。").put("recipients", new JsonArray().add(nurse.userId)))
        .json().getString("id");
    assertThat(ids(nurse.get("/api/v1/patients/" + id + "/posts").json())).contains(direct);
    assertThat(ids(careManager.get("/api/v1/patients/" + id + "/posts").json())).doesNotContain(direct);
    assertThat(careManager.get("/api/v1/posts/" + direct).status()).isEqualTo(404);
    assertThat(careManager.post("/api/v1/posts/" + direct + "/comments", new JsonObject().put("body", "?")).status())
        .isEqualTo(404);
    assertThat(unread(careManager, id)).isZero();
  }

  static List<String> ids(JsonObject page) {
    return page.getJsonArray("posts").stream().map(p -> ((JsonObject) p).getString("id")).toList();
  }

  @Test
  void editing_keeps_versions_and_deleting_shows_deleted_without_text_while_others_cannot_edit() {
    String id = teamWithNurse("編集", "ヘンシュウ", "1937-07-07");
    String post = nurse.post("/api/v1/patients/" + id + "/posts",
        new JsonObject().put("category", "連絡").put("body", "訪問時 血圧 150/90")).json().getString("id");
    CareClient.Reply notMine = doctor.put("/api/v1/posts/" + post,
        new JsonObject().put("category", "連絡").put("body", "書き換え"));
    assertThat(notMine.status()).isEqualTo(403);
    assertThat(notMine.code()).isEqualTo("care.not_author");
    assertThat(doctor.delete("/api/v1/posts/" + post).code()).isEqualTo("care.not_author");
    JsonObject edited = nurse.put("/api/v1/posts/" + post,
        new JsonObject().put("category", "連絡").put("body", "訪問時 血圧 140/90")).json();
    assertThat(edited.getInteger("version")).isEqualTo(2);
    assertThat(edited.getString("editedAt")).isNotNull();
    assertThat(nurse.put("/api/v1/posts/" + post, new JsonObject().put("category", "連絡")
        .put("body", "あ".repeat(TimelineRoutes.BODY_MAX + 1))).code()).isEqualTo("validation.too_long");
    assertThat(nurse.delete("/api/v1/posts/" + post).status()).isEqualTo(204);
    JsonObject shown = doctor.get("/api/v1/posts/" + post).json();
    assertThat(shown.getBoolean("deleted")).isTrue();
    assertThat(shown.containsKey("body")).isFalse();
    long versions = bed.node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select count(*) from post_versions where post_id = ?")) {
        s.setString(1, post);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
    assertThat(versions).isEqualTo(2);
    String audited = bed.node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select detail from audit_log where action = 'care.post.deleted' and target = ?")) {
        s.setString(1, "post:" + post);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
    assertThat(audited).contains("140/90");
  }

  @Test
  void every_read_and_write_of_patient_data_is_audited() {
    String id = teamWithNurse("監査", "カンサ", "1939-09-09");
    nurse.get("/api/v1/patients/" + id + "/posts");
    outsider.get("/api/v1/patients/" + id + "/posts");
    List<String> rows = bed.node.services().database().submitRead(c -> {
      List<String> found = new java.util.ArrayList<>();
      try (var s = c.prepareStatement("select actor || ' ' || action || ' ' || outcome from audit_log where target = ?")) {
        s.setString(1, "patient:" + id);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
      return found;
    }).join();
    assertThat(rows).contains(doctor.userId + " care.patient.created success",
        nurse.userId + " care.timeline.read success", outsider.userId + " care.timeline.read refused");
  }

  @Test
  void an_archived_patient_stays_readable_but_takes_no_new_posts() {
    String id = teamWithNurse("保管", "ホカン", "1934-04-04");
    assertThat(doctor.post("/api/v1/patients/" + id + "/archive", new JsonObject()).json().getString("status"))
        .isEqualTo("archived");
    assertThat(nurse.get("/api/v1/patients/" + id).status()).isEqualTo(200);
    assertThat(nurse.post("/api/v1/patients/" + id + "/posts",
        new JsonObject().put("category", "連絡").put("body", "x")).code()).isEqualTo("care.archived");
    assertThat(doctor.get("/api/v1/patients?archived=true").json().getJsonArray("patients").stream()
        .map(p -> ((JsonObject) p).getString("id"))).contains(id);
  }

  @Test
  void vitals_are_stored_structured_and_posted_to_the_timeline() {
    String id = teamWithNurse("血圧", "ケツアツ", "1933-03-03");
    JsonObject post = nurse.post("/api/v1/patients/" + id + "/vitals", new JsonObject()
        .put("measuredAt", "2025-01-10T01:00:00Z").put("systolic", 132).put("diastolic", 78).put("pulse", 72)
        .put("temperature", 36.5).put("spo2", 97).put("weight", 48.2)).json();
    assertThat(post.getString("kind")).isEqualTo("vitals");
    assertThat(post.getString("body")).contains("血圧 132/78 mmHg");
    assertThat(nurse.post("/api/v1/patients/" + id + "/vitals", new JsonObject()
        .put("measuredAt", "2025-01-10T01:00:00Z").put("temperature", 49)).code()).isEqualTo("care.vitals_out_of_range");
    JsonArray series = doctor.get("/api/v1/patients/" + id + "/vitals").json().getJsonArray("vitals");
    assertThat(series).hasSize(1);
    assertThat(series.getJsonObject(0).getInteger("spo2")).isEqualTo(97);
  }

  @Test
  void a_group_has_its_own_members_and_the_same_posting_features() {
    JsonObject group = nurse.post("/api/v1/groups", new JsonObject().put("name", "上伊那 感染対策連絡会")
        .put("description", "施設間の感染症情報の共有")).json();
    String id = group.getString("id");
    nurse.post("/api/v1/groups/" + id + "/team/invitations",
        new JsonObject().put("userId", doctor.userId).put("teamRole", "メンバー"));
    doctor.post("/api/v1/invitations/" + id + "/accept", new JsonObject());
    String post = doctor.post("/api/v1/groups/" + id + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "市内でインフルエンザの報告が増えています。")).json().getString("id");
    assertThat(ids(nurse.get("/api/v1/groups/" + id + "/posts").json())).contains(post);
    assertThat(outsider.get("/api/v1/groups/" + id + "/posts").status()).isEqualTo(404);
    assertThat(doctor.get("/api/v1/patients/" + id + "/posts").status()).isEqualTo(404);
    assertThat(nurse.get("/api/v1/groups").json().getJsonArray("groups").getJsonObject(0).getInteger("unread"))
        .isEqualTo(1);
    assertThat(doctor.get("/api/v1/groups").json().getJsonArray("groups").getJsonObject(0).getInteger("unread"))
        .as("one's own posts are not unread").isZero();
    // 既読 works as on a patient's timeline: marking read clears the count and names the reader.
    assertThat(nurse.post("/api/v1/groups/" + id + "/reads", new JsonObject().put("postIds", new JsonArray().add(post)))
        .json().getJsonArray("marked")).containsExactly(post);
    assertThat(nurse.get("/api/v1/groups").json().getJsonArray("groups").getJsonObject(0).getInteger("unread"))
        .isZero();
    assertThat(doctor.get("/api/v1/posts/" + post + "/reads").json().getJsonArray("readers").getJsonObject(0)
        .getString("userId")).isEqualTo(nurse.userId);
    JsonObject seen = doctor.get("/api/v1/groups/" + id + "/posts").json().getJsonArray("posts").getJsonObject(0);
    assertThat(seen.getInteger("readCount")).isEqualTo(1);
  }
}
