package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook shows the upcoming meetings of the patient's board that invite the account's own mail
 * address as a family contact, read-only: never another board's, one inviting only another address,
 * or a cancelled one; and nothing of the other participants, the agenda or the minutes.
 */
class FamilyMeetingsTest {

  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  @TempDir
  Path dir;

  /** A meeting form on {@code boardId} that invites the given family addresses, {@code days} ahead. */
  static JsonObject meeting(String boardId, String title, int days, boolean online, String... familyMails) {
    LocalDateTime start = LocalDateTime.now(JAPAN).plusDays(days).withHour(14).withMinute(0).withSecond(0).withNano(0);
    JsonArray family = new JsonArray();
    for (String mail : familyMails) {
      family.add(new JsonObject().put("name", "伊藤 花子").put("email", mail));
    }
    return new JsonObject().put("boardId", boardId).put("kind", "service_meeting").put("title", title)
        .put("date", start.toLocalDate().toString()).put("time", "14:00").put("durationMinutes", 60)
        .put("online", online).put("videoProvider", online ? "jitsi" : "none")
        .put("place", online ? "" : "伊藤さん宅の居間").put("agenda", "退院後の訪問回数（内部の議題）")
        .put("participants", new JsonArray()).put("familyContacts", family);
  }

  static String scheduled(CareClient member, JsonObject form) {
    CareClient.Reply made = member.post("/api/v1/meetings", form);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().getString("id");
  }

  @Test
  void the_notebook_shows_only_upcoming_meetings_of_its_patient_that_invite_its_own_address() {
    try (FamilyTestbed bed = new FamilyTestbed(dir)) {
      FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "hanako@example.jp");
      CareClient phone = bed.loggedIn(family, 0);
      assertThat(phone.get("/api/v1/family/notebook").json().getJsonArray("meetings")).isEmpty();

      String atHome = scheduled(bed.doctor, meeting(bed.patient, "退院前の打合せ", 3, false, "Hanako@Example.jp"));
      String online = scheduled(bed.nurse, meeting(bed.patient, "オンライン担当者会議", 1, true, "hanako@example.jp",
          "jiro@example.jp"));
      scheduled(bed.doctor, meeting(bed.patient, "次男だけの会議", 2, false, "jiro@example.jp"));
      scheduled(bed.doctor, meeting(bed.patient, "家族なしの会議", 2, false));
      scheduled(bed.otherDoctor, meeting(bed.otherPatient, "別の患者の会議", 2, false, "hanako@example.jp"));
      String cancelled = scheduled(bed.doctor, meeting(bed.patient, "取りやめた会議", 4, false, "hanako@example.jp"));
      assertThat(bed.doctor.post("/api/v1/meetings/" + cancelled + "/cancel", new JsonObject()).status())
          .isIn(200, 204);

      CareClient.Reply notebook = phone.get("/api/v1/family/notebook");
      assertThat(notebook.status()).as(notebook.body()).isEqualTo(200);
      JsonArray meetings = notebook.json().getJsonArray("meetings");
      assertThat(meetings.stream().map(m -> ((JsonObject) m).getString("id")).toList())
          .isEqualTo(List.of(online, atHome));
      JsonObject first = meetings.getJsonObject(0);
      assertThat(first.getBoolean("online")).isTrue();
      assertThat(first.getString("videoUrl")).startsWith("https://");
      assertThat(first.getString("kindLabel")).isNotBlank();
      assertThat(first.getString("time")).isEqualTo("14:00");
      JsonObject second = meetings.getJsonObject(1);
      assertThat(second.getString("place")).isEqualTo("伊藤さん宅の居間");
      assertThat(second.getString("videoUrl")).isEmpty();
      assertThat(second.getString("when")).contains("14:00〜15:00");
      // Read-only, and nothing of the team's side of the meeting.
      assertThat(notebook.body()).doesNotContain("jiro@example.jp", "内部の議題", "別の患者の会議", "取りやめた会議",
          "participants", "agenda");
      assertThat(phone.get("/api/v1/meetings/" + online).status()).isEqualTo(404);
    }
  }

  @Test
  void an_account_of_another_address_sees_none_of_them() {
    try (FamilyTestbed bed = new FamilyTestbed(dir)) {
      FamilyTestbed.Family other = bed.invited(bed.doctor, bed.patient, "someone-else@example.jp");
      scheduled(bed.doctor, meeting(bed.patient, "花子さんとの会議", 1, false, "hanako@example.jp"));
      CareClient phone = bed.loggedIn(other, 0);
      assertThat(phone.get("/api/v1/family/notebook").json().getJsonArray("meetings")).isEmpty();
    }
  }
}
