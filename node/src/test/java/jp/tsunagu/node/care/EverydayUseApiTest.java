package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.federation.identity.FederatedId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.teams.FederatedUsers;

/**
 * The server's rules behind everyday use (issue 16): who a 特別便 may go to, people listed in a stable
 * order with facility and municipality, invitations that say where the patient and the inviter belong,
 * and the 行政・救急アカウント list holding this node's own accounts only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EverydayUseApiTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurseIna;
  CareClient nurseMinamiminowa;
  CareClient careManager;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    String mmStation = bed.seeder.createFacility("南箕輪訪問看護ステーション", "203858", "長野県", "home_nursing");
    doctor = bed.professional("dr-everyday", "北原", "健一", "キタハラ", "ケンイチ", "doctor", bed.clinic);
    nurseIna = bed.professional("ns-ina", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", bed.nursingStation);
    nurseMinamiminowa = bed.professional("ns-mm", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", mmStation);
    careManager = bed.professional("cm-everyday", "藤澤", "聡子", "フジサワ", "サトコ", "care_manager", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"))
        .json().getString("id");
    for (CareClient member : List.of(nurseMinamiminowa, careManager, nurseIna)) {
      doctor.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", member.userId).put("teamRole", "訪問看護"));
      member.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    }
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private CareClient.Reply direct(CareClient author, String body, String... recipients) {
    return author.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", body).put("recipients", new JsonArray(List.of((Object[]) recipients))));
  }

  @Test
  void a_direct_post_to_oneself_alone_is_refused_with_a_stable_code_and_nothing_is_posted() {
    CareClient.Reply refused = direct(doctor, "自分だけへの特別便", doctor.userId);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("code")).isEqualTo("care.recipient_self_only");
    CareClient.Reply twice = direct(doctor, "自分だけへの特別便（重複）", doctor.userId, doctor.userId);
    assertThat(twice.json().getString("code")).isEqualTo("care.recipient_self_only");
    assertThat(doctor.get("/api/v1/patients/" + patient + "/posts").body()).doesNotContain("自分だけへの特別便");
  }

  @Test
  void the_author_named_among_the_recipients_is_kept_once_and_the_chosen_member_alone_besides_her_reads_it() {
    String id = direct(doctor, "南箕輪の宮下さんへ", doctor.userId, nurseMinamiminowa.userId, nurseMinamiminowa.userId)
        .json().getString("id");
    assertThat(CareApiTest.ids(nurseMinamiminowa.get("/api/v1/patients/" + patient + "/posts").json())).contains(id);
    assertThat(CareApiTest.ids(nurseIna.get("/api/v1/patients/" + patient + "/posts").json())).doesNotContain(id);
    assertThat(CareApiTest.ids(doctor.get("/api/v1/patients/" + patient + "/posts").json())).contains(id);
  }

  @Test
  void a_direct_post_to_someone_outside_the_team_is_still_refused() {
    CareClient outsider = bed.professional("ph-outside", "唐沢", "誠", "カラサワ", "マコト", "pharmacist", bed.clinic);
    assertThat(direct(doctor, "宛先違い", outsider.userId).json().getString("code"))
        .isEqualTo("care.recipient_not_member");
  }

  @Test
  void the_team_is_listed_in_kana_order_then_by_id_with_facility_and_municipality_for_everyone() {
    JsonArray members = doctor.get("/api/v1/patients/" + patient + "/team").json().getJsonArray("members");
    List<String> order = members.stream().map(m -> ((JsonObject) m).getString("userId")).toList();
    List<String> miyashita = List.of(nurseIna.userId, nurseMinamiminowa.userId).stream().sorted().toList();
    assertThat(order).containsExactly(doctor.userId, careManager.userId, miyashita.get(0), miyashita.get(1));
    JsonObject ina = member(members, nurseIna.userId);
    JsonObject mm = member(members, nurseMinamiminowa.userId);
    assertThat(ina.getString("facility")).isEqualTo("いな訪問看護ステーション");
    assertThat(ina.getString("municipality")).isEqualTo("伊那市");
    assertThat(mm.getString("facility")).isEqualTo("南箕輪訪問看護ステーション");
    assertThat(mm.getString("municipality")).isEqualTo("南箕輪村");
    assertThat(mm.getBoolean("partner")).isFalse();
    assertThat(doctor.get("/api/v1/patients/" + patient + "/team").json().getJsonArray("members"))
        .as("the same order every time").isEqualTo(members);
  }

  @Test
  void an_invitation_names_the_patients_municipality_and_the_inviters_facility_and_municipality() {
    String other = doctor.post("/api/v1/patients", CareApiTest.patient("竹松", "ハル", "タケマツ", "ハル", "1930-02-03"))
        .json().getString("id");
    doctor.post("/api/v1/patients/" + other + "/team/invitations",
        new JsonObject().put("userId", nurseMinamiminowa.userId).put("teamRole", "訪問看護"));
    JsonObject invitation = nurseMinamiminowa.get("/api/v1/invitations").json().getJsonArray("invitations").stream()
        .map(JsonObject.class::cast).filter(i -> i.getString("boardId").equals(other)).findFirst().orElseThrow();
    assertThat(invitation.getString("patientMunicipality")).isEqualTo("伊那市");
    assertThat(invitation.getString("inviterFacility")).isEqualTo("伊那中央クリニック");
    assertThat(invitation.getString("inviterMunicipality")).isEqualTo("伊那市");
    assertThat(invitation.getBoolean("inviterPartner")).isFalse();
  }

  @Test
  void the_professional_search_lists_facility_and_municipality_in_kana_order() {
    JsonArray found = doctor.get("/api/v1/professionals?q=" + java.net.URLEncoder.encode("宮下",
        java.nio.charset.StandardCharsets.UTF_8)).json().getJsonArray("professionals");
    assertThat(found.stream().map(p -> ((JsonObject) p).getString("municipality"))).containsExactlyInAnyOrder(
        "伊那市", "南箕輪村");
    assertThat(found.stream().map(p -> ((JsonObject) p).getString("id")).toList())
        .isEqualTo(List.of(nurseIna.userId, nurseMinamiminowa.userId).stream().sorted().toList());
  }

  @Test
  void the_municipal_accounts_list_leaves_out_partners_professionals_kept_here_as_shadow_rows() throws Exception {
    bed.node.services().database().submitWrite(c -> {
      new FederatedUsers("ina").upsertShadow(c, FederatedId.tryParse("mm-kango@minamiminowa").orElseThrow(),
          new JsonObject().put("familyName", "田畑").put("givenName", "さくら").put("profession", "nurse")
              .put("facility", "南箕輪訪問看護ステーション"));
      return null;
    }).get();
    CareClient staff = bed.municipalStaff("gyosei-everyday", "伊藤", "花子");
    String accounts = staff.get("/api/v1/municipal/accounts").body();
    assertThat(accounts).contains("gyosei-everyday").doesNotContain("mm-kango@minamiminowa").doesNotContain("田畑");
  }

  private static JsonObject member(JsonArray members, String userId) {
    return members.stream().map(JsonObject.class::cast).filter(m -> m.getString("userId").equals(userId))
        .findFirst().orElseThrow();
  }
}
