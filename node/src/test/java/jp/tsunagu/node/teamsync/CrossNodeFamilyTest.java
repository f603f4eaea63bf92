package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.family.FamilyLogins;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The family notebook of a patient whose team spans two nodes: ina (伊那市) is the home node, its team
 * takes in minamiminowa's visiting nurse. The family's entry reaches the nurse's timeline on her own
 * node, marked as from the family; the family account stays at ina (the partner cannot invite one);
 * the access report names the nurse with her node, and minamiminowa as a node holding a replica; a
 * photo added to an entry after the entry left follows it to the nurse's copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeFamilyTest {

  private static final String PASSWORD = "takematsu-family-2026";

  @TempDir
  static Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  TsunaguNode ina;
  CareClient inaDoctor;
  CareClient mmNurse;
  String shared;

  @BeforeAll
  void teams() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    ina = bed.node("ina");
    inaDoctor = bed.inaDoctor();
    mmNurse = bed.mmNurse();
    shared = CrossNodeTestbed.sharedPatient(inaDoctor, mmNurse, "mm-nurse@minamiminowa", "竹松");
  }

  private CareClient family() {
    CareClient.Reply invited = inaDoctor.post("/api/v1/patients/" + shared + "/family/invitations", new JsonObject()
        .put("email", "kazuko@example.jp").put("name", "竹松 和子").put("relation", "子").put("consentBy", "本人")
        .put("consentAt", "2026-12-01"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    CareClient phone = new CareClient(ina, "family").anonymous();
    JsonObject activated = phone.post("/api/v1/family/auth/activation", new JsonObject()
        .put("code", invited.json().getString("activationCode")).put("password", PASSWORD)).json();
    CareClient.Reply login = phone.post("/api/v1/family/auth/login", new JsonObject()
        .put("loginId", activated.getString("loginId")).put("password", PASSWORD)
        .put("code", FamilyLogins.code(activated.getString("totpSecret"), 0)));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    phone.useCsrf(login.json().getString("csrfToken"));
    return phone;
  }

  @Test
  void the_familys_entry_reaches_the_partner_nurse_and_the_report_names_her_node_and_the_replica() {
    CareClient phone = family();
    assertThat(phone.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "気になること")
        .put("body", "夕方から少し熱っぽいです")).status()).isEqualTo(201);
    eventually("the family's entry reaches the nurse's node", () -> CrossNodeTestbed.bodies(mmNurse, shared).stream()
        .anyMatch(b -> b.startsWith("【ご家族から（子・竹松 和子 さん）】気になること") && b.contains("夕方から少し熱っぽいです")));
    // The nurse answers on the timeline at her own node; the answer is accepted at the home node.
    assertThat(mmNurse.post("/api/v1/patients/" + shared + "/posts",
        CrossNodeTestbed.note("明日の訪問で体温を確認します")).status()).isEqualTo(201);
    eventually("the nurse's answer reaches the home node", () -> CrossNodeTestbed.bodies(inaDoctor, shared).stream()
        .anyMatch(b -> b.contains("明日の訪問で体温を確認します")));
    JsonObject report = phone.get("/api/v1/family/access-report?month="
        + YearMonth.now(ZoneId.of("Asia/Tokyo"))).json();
    JsonObject nurse = report.getJsonArray("viewers").stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("node").equals("minamiminowa")).findFirst().orElseThrow();
    assertThat(nurse.getBoolean("partner")).isTrue();
    assertThat(nurse.getString("description")).contains("南箕輪村");
    assertThat(report.getJsonArray("replicaNodes").getList()).containsExactly("minamiminowa");
  }

  @Test
  void a_photo_added_to_an_entry_after_it_reached_the_partner_follows_it_to_the_nurses_copy() throws Exception {
    CareClient phone = family();
    CareClient.Reply entry = phone.post("/api/v1/family/notebook/entries", new JsonObject().put("kind", "食事")
        .put("body", "夕食は半分ほど食べました"));
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    eventually("the entry reaches the nurse's node", () -> CrossNodeTestbed.bodies(mmNurse, shared).stream()
        .anyMatch(b -> b.contains("夕食は半分ほど食べました")));
    byte[] photo = png();
    CareClient.Reply added = phone.postBytes("/api/v1/family/notebook/entries/" + entry.json().getString("id")
        + "/photos", photo, "image/png");
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    String photoId = added.json().getString("id");
    eventually("the photo reaches the nurse's copy of the notice", () ->
        mmNurse.get("/api/v1/patients/" + shared + "/posts").body().contains(photoId));
    CareClient.Reply file = mmNurse.get("/api/v1/attachments/" + photoId);
    assertThat(file.status()).as(file.body()).isEqualTo(200);
    assertThat(CrossNodeTestbed.count(bed.node("minamiminowa"), "select count(*) from attachments where id = ?",
        photoId)).isEqualTo(1);
    assertThat(CrossNodeTestbed.count(bed.node("minamiminowa"), "select count(*) from attachments a"
        + " join posts p on p.id = a.post_id where a.id = ? and p.body like '%夕食は半分ほど食べました%'", photoId))
        .isEqualTo(1);
  }

  private static byte[] png() throws java.io.IOException {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(32, 24,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 32; x++) {
      for (int y = 0; y < 24; y++) {
        image.setRGB(x, y, 0x3366aa + x * 4 + y);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void the_partner_cannot_invite_a_family_account_to_its_replica_and_nothing_is_made() {
    CareClient.Reply refused = mmNurse.post("/api/v1/patients/" + shared + "/family/invitations", new JsonObject()
        .put("email", "other@example.jp").put("name", "竹松 次郎").put("relation", "子").put("consentBy", "本人")
        .put("consentAt", "2026-12-01"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("family.home_node_only");
    assertThat(CrossNodeTestbed.count(bed.node("minamiminowa"), "select count(*) from family_accounts where email = ?",
        "other@example.jp")).isZero();
  }
}
