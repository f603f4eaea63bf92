package jp.tsunagu.node.care.teams;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * Who may remove whom from a team (issue 15, item 10), on a real node over real TLS: the registering
 * professional, the 主治医 and the ケアマネジャー (a group's creator and 管理者) manage membership;
 * anyone takes back an invitation she sent while it is open; the registrant is removed by nobody;
 * everyone may leave; only a manager invites with a managing role. A member without the permission
 * gets 403 {@code care.not_allowed}, a non-member the 404 of everything, and neither changes a row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeamPermissionsTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient registrant;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient pharmacist;
  CareClient helper;
  CareClient outsider;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    registrant = bed.professional("ns-tourokusha", "登録", "看子", "nurse", bed.nursingStation);
    doctor = bed.professional("dr-perm", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-perm", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-perm", "藤澤", "聡子", "care_manager", bed.nursingStation);
    pharmacist = bed.professional("ph-perm", "竹内", "薫", "pharmacist", bed.clinic);
    helper = bed.professional("hp-perm", "田中", "光", "care_worker", bed.nursingStation);
    outsider = bed.professional("dr-outsider", "小松", "誠", "doctor", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  /** A patient registered by the visiting nurse, with a 主治医, a nurse, a ケアマネジャー and a 薬剤師 who accepted. */
  private String team(String family) {
    CareClient.Reply created = registrant.post("/api/v1/patients",
        CareApiTest.patient(family, "ハナ", "テスト", "ハナ", "1936-06-06").put("teamRole", "訪問看護"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    join(id, doctor, "主治医");
    join(id, nurse, "訪問看護");
    join(id, careManager, "ケアマネジャー");
    join(id, pharmacist, "薬剤師");
    return id;
  }

  private void join(String patient, CareClient who, String role) {
    assertThat(registrant.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", who.userId).put("teamRole", role)).status()).isEqualTo(201);
    assertThat(who.post("/api/v1/invitations/" + patient + "/accept", new JsonObject()).status()).isEqualTo(204);
  }

  private static CareClient.Reply remove(CareClient by, String patient, CareClient whom) {
    return by.post("/api/v1/patients/" + patient + "/team/members/" + whom.userId + "/remove", new JsonObject());
  }

  private static void refusedWithoutDisclosure(CareClient.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo(code);
    assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
  }

  @Test
  void members_without_the_permission_get_403_and_non_members_404_from_every_removal_and_nothing_changes()
      throws Exception {
    String patient = team("権限");
    List<CareClient> members = List.of(registrant, doctor, nurse, careManager, pharmacist);
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    for (CareClient by : List.of(nurse, pharmacist)) {
      for (CareClient whom : members) {
        if (whom != by) {
          refusedWithoutDisclosure(remove(by, patient, whom), 403, "care.not_allowed");
        }
      }
    }
    for (CareClient whom : members) {
      refusedWithoutDisclosure(remove(outsider, patient, whom), 404, "care.not_found");
    }
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(bed.auditDetails("care.team.removed", "patient:" + patient)).hasSize(8 + 5)
        .allMatch(detail -> detail.contains("not_allowed") || detail.contains("not_a_member"));
    for (CareClient member : members) {
      assertThat(member.get("/api/v1/patients/" + patient).status()).isEqualTo(200);
    }
  }

  @Test
  void nobody_removes_the_professional_who_registered_the_patient_but_she_may_leave() {
    String patient = team("登録者");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    refusedWithoutDisclosure(remove(doctor, patient, registrant), 403, "care.not_allowed");
    refusedWithoutDisclosure(remove(careManager, patient, registrant), 403, "care.not_allowed");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(registrant.get("/api/v1/patients/" + patient).status()).isEqualTo(200);
    assertThat(registrant.post("/api/v1/patients/" + patient + "/team/leave", new JsonObject()).status())
        .isEqualTo(204);
    assertThat(registrant.get("/api/v1/patients/" + patient).status()).isEqualTo(404);
  }

  @Test
  void the_registrant_the_doctor_and_the_care_manager_remove_other_members() {
    String patient = team("管理");
    assertThat(remove(careManager, patient, pharmacist).status()).isEqualTo(204);
    assertThat(pharmacist.get("/api/v1/patients/" + patient).status()).isEqualTo(404);
    assertThat(remove(doctor, patient, nurse).status()).isEqualTo(204);
    assertThat(remove(registrant, patient, careManager).status()).isEqualTo(204);
    assertThat(remove(registrant, patient, doctor).status()).isEqualTo(204);
    assertThat(registrant.post("/api/v1/patients/" + patient + "/team/members/" + registrant.userId + "/remove",
        new JsonObject()).code()).as("oneself leaves instead").isEqualTo("care.remove_self");
  }

  @Test
  void a_member_takes_back_her_own_open_invitation_but_not_someone_elses_and_not_once_accepted() {
    String patient = team("招待取消");
    assertThat(nurse.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", helper.userId).put("teamRole", "訪問介護")).status()).isEqualTo(201);
    refusedWithoutDisclosure(remove(pharmacist, patient, helper), 403, "care.not_allowed");
    assertThat(remove(nurse, patient, helper).status()).isEqualTo(204);
    assertThat(helper.get("/api/v1/invitations").body()).doesNotContain(patient);

    assertThat(nurse.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", helper.userId).put("teamRole", "訪問介護")).status()).isEqualTo(201);
    assertThat(helper.post("/api/v1/invitations/" + patient + "/accept", new JsonObject()).status()).isEqualTo(204);
    refusedWithoutDisclosure(remove(nurse, patient, helper), 403, "care.not_allowed");
  }

  @Test
  void only_a_manager_invites_with_a_managing_role_so_the_permission_is_not_handed_out_by_others() {
    String patient = team("役割");
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    for (String role : List.of("主治医", "ケアマネジャー")) {
      refusedWithoutDisclosure(nurse.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", helper.userId).put("teamRole", role)), 403, "care.not_allowed");
    }
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(inviteRoles(nurse, patient)).doesNotContain("主治医", "ケアマネジャー").contains("訪問介護");
    assertThat(inviteRoles(careManager, patient)).contains("主治医", "ケアマネジャー");
    assertThat(careManager.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", helper.userId).put("teamRole", "主治医")).status()).isEqualTo(201);
  }

  private static List<Object> inviteRoles(CareClient viewer, String patient) {
    return viewer.get("/api/v1/patients/" + patient + "/team").json().getJsonArray("inviteRoles").getList();
  }

  @Test
  void the_team_tab_marks_whom_the_viewer_may_remove() {
    String patient = team("表示");
    assertThat(removable(careManager, patient)).containsExactlyInAnyOrder(doctor.userId, nurse.userId,
        pharmacist.userId);
    assertThat(removable(registrant, patient)).containsExactlyInAnyOrder(doctor.userId, nurse.userId,
        careManager.userId, pharmacist.userId);
    assertThat(removable(pharmacist, patient)).isEmpty();
  }

  private static List<String> removable(CareClient viewer, String patient) {
    JsonArray members = viewer.get("/api/v1/patients/" + patient + "/team").json().getJsonArray("members");
    return members.stream().map(JsonObject.class::cast).filter(m -> m.getBoolean("removable"))
        .map(m -> m.getString("userId")).toList();
  }

  @Test
  void in_a_group_the_creator_and_its_administrators_remove_members_and_others_may_not() {
    String group = doctor.post("/api/v1/groups", new JsonObject().put("name", "退院支援連絡会").put("description", ""))
        .json().getString("id");
    for (var invite : Map.of(nurse, "管理者", pharmacist, "メンバー", helper, "メンバー").entrySet()) {
      assertThat(doctor.post("/api/v1/groups/" + group + "/team/invitations",
          new JsonObject().put("userId", invite.getKey().userId).put("teamRole", invite.getValue())).status())
          .isEqualTo(201);
      assertThat(invite.getKey().post("/api/v1/invitations/" + group + "/accept", new JsonObject()).status())
          .isEqualTo(204);
    }
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    CareClient.Reply refused = pharmacist.post("/api/v1/groups/" + group + "/team/members/" + helper.userId + "/remove",
        new JsonObject());
    refusedWithoutDisclosure(refused, 403, "care.not_allowed");
    assertThat(TestSql.rowCounts(bed.node)).isEqualTo(before);
    assertThat(nurse.post("/api/v1/groups/" + group + "/team/members/" + helper.userId + "/remove",
        new JsonObject()).status()).isEqualTo(204);
    assertThat(doctor.post("/api/v1/groups/" + group + "/team/members/" + pharmacist.userId + "/remove",
        new JsonObject()).status()).isEqualTo(204);
  }
}
