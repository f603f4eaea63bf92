package jp.tsunagu.node.family;

import static jp.tsunagu.node.family.FamilyMeetingsTest.meeting;
import static jp.tsunagu.node.family.FamilyMeetingsTest.scheduled;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * 出欠 from the notebook: the family account answers 出席 or 欠席 to a meeting that invites its own
 * address, and the team sees the answer among the participants; any other meeting, or another
 * answer, is refused with a stable code and changes nothing but the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyMeetingAnswerTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  FamilyTestbed.Family family;
  CareClient phone;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    family = bed.invited(bed.doctor, bed.patient, "hanako@example.jp");
    phone = bed.loggedIn(family, 0);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private CareClient.Reply answer(CareClient who, String meetingId, String response) {
    return who.post("/api/v1/family/notebook/meetings/" + meetingId + "/response",
        new JsonObject().put("response", response));
  }

  private String notebookResponse(String meetingId) {
    return phone.get("/api/v1/family/notebook").json().getJsonArray("meetings").stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("id").equals(meetingId)).findFirst().orElseThrow().getString("response");
  }

  private JsonObject familyParticipant(String meetingId) {
    return bed.doctor.get("/api/v1/meetings/" + meetingId).json().getJsonArray("participants").stream()
        .map(JsonObject.class::cast).filter(p -> p.getBoolean("family")).findFirst().orElseThrow();
  }

  @Test
  void the_family_answers_attend_then_decline_and_the_team_sees_each_answer() {
    String meetingId = scheduled(bed.doctor, meeting(bed.patient, "退院前カンファレンス", 3, false, "Hanako@Example.jp"));
    assertThat(notebookResponse(meetingId)).isEqualTo("pending");

    CareClient.Reply attend = answer(phone, meetingId, "attend");
    assertThat(attend.status()).as(attend.body()).isEqualTo(200);
    assertThat(attend.json().getString("response")).isEqualTo("attend");
    assertThat(familyParticipant(meetingId).getString("response")).isEqualTo("attend");

    assertThat(answer(phone, meetingId, "decline").json().getString("response")).isEqualTo("decline");
    assertThat(familyParticipant(meetingId).getString("response")).isEqualTo("decline");
    assertThat(notebookResponse(meetingId)).isEqualTo("decline");
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.meeting.answered'"
        + " and actor = ? and target = ?", "family:" + family.accountId(), "patient:" + bed.patient)).isEqualTo(2);
  }

  @Test
  void another_answer_or_any_meeting_not_inviting_the_accounts_own_address_on_its_patient_is_refused() {
    String mine = scheduled(bed.doctor, meeting(bed.patient, "担当者会議", 2, false, "hanako@example.jp"));
    String othersOnly = scheduled(bed.doctor, meeting(bed.patient, "次男だけの会議", 2, false, "jiro@example.jp"));
    String otherPatient = scheduled(bed.otherDoctor, meeting(bed.otherPatient, "別の患者の会議", 2, false,
        "hanako@example.jp"));
    String cancelled = scheduled(bed.doctor, meeting(bed.patient, "取りやめた会議", 4, false, "hanako@example.jp"));
    assertThat(bed.doctor.post("/api/v1/meetings/" + cancelled + "/cancel", new JsonObject()).status()).isIn(200, 204);
    // The same address invited for the other patient's family is another account: it answers none of these.
    CareClient otherFamily = bed.loggedIn(bed.invited(bed.otherDoctor, bed.otherPatient, "hanako@example.jp"), 0);
    String before = TestSql.count(bed.bed.node, "select count(*) from meeting_participants where response <> 'pending'")
        + "/" + TestSql.rowCounts(bed.bed.node).get("meeting_participants");

    for (String response : new String[] {"tentative", "pending", "出席", ""}) {
      CareClient.Reply reply = answer(phone, mine, response);
      assertThat(reply.status()).as(response + ": " + reply.body()).isEqualTo(400);
      assertThat(reply.code()).isEqualTo("family.meeting_answer_unknown");
    }
    for (String meetingId : new String[] {othersOnly, otherPatient, cancelled, "no-such-meeting"}) {
      CareClient.Reply reply = answer(phone, meetingId, "attend");
      assertThat(reply.status()).as(meetingId + ": " + reply.body()).isEqualTo(404);
      assertThat(reply.code()).isEqualTo("family.not_found");
    }
    assertThat(answer(otherFamily, mine, "attend").code()).isEqualTo("family.not_found");
    assertThat(answer(bed.doctor, mine, "attend").code()).isEqualTo("family.not_found");
    assertThat(TestSql.count(bed.bed.node, "select count(*) from meeting_participants where response <> 'pending'")
        + "/" + TestSql.rowCounts(bed.bed.node).get("meeting_participants")).isEqualTo(before);
    assertThat(familyParticipant(mine).getString("response")).isEqualTo("pending");
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.meeting.answer'"
        + " and outcome <> 'success' and actor = ?", "family:" + family.accountId())).isEqualTo(8);
  }
}
