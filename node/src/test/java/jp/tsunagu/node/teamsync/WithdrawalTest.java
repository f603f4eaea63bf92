package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.count;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.Federation;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.attachments.AttachmentTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.attachments.AttachmentFiles;

/**
 * A party leaves the agreement: from that moment nothing flows either way, the remote member loses
 * the patient, the replica is frozen and, its retention period over, purged; both nodes audit it.
 */
class WithdrawalTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  private static long audited(TsunaguNode node, String action) {
    return count(node, "select count(*) from audit_log where action = ?", action);
  }

  TsunaguNode ina;
  TsunaguNode minamiminowa;
  CareClient doctor;
  CareClient nurse;
  String patientId;

  /** A 伊那市 patient with a 南箕輪村 nurse under a Kamiina agreement whose data is kept {@code days} after it ends. */
  private void teamUnderAgreementKept(long days, String family) {
    bed = CrossNodeTestbed.startWithRetention(dir, days, "ina", "minamiminowa");
    ina = bed.node("ina");
    minamiminowa = bed.node("minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", family);
  }

  /** 南箕輪村 withdraws from the agreement; both nodes learn of it. */
  private void minamiminowaLeaves() throws Exception {
    String leave = Json.write(WithdrawalStatement.sign(bed.agreement, minamiminowa.services().keys().identity(),
        Instant.now()).toJson());
    for (TsunaguNode node : new TsunaguNode[] {minamiminowa, ina}) {
      TestNodes.federation(node).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_withdrawal_stops_every_flow_and_the_remote_members_access_and_the_replica_is_purged_after_retention()
      throws Exception {
    teamUnderAgreementKept(0, "小池");
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了前の記録"));
    byte[] wound = AttachmentTest.image(200, 150, "jpg");
    byte[] alsoLocal = AttachmentTest.image(210, 150, "jpg");
    for (byte[] photo : List.of(wound, alsoLocal)) {
      String uploaded = doctor.upload(photo, "photo.jpg", "image/jpeg").json().getString("id");
      doctor.post("/api/v1/patients/" + patientId + "/posts", note("写真").put("attachments", new JsonArray().add(uploaded)));
    }
    String localPatient = nurse.post("/api/v1/patients", CrossNodeTestbed.patient("倉田", "203858")).json()
        .getString("id");
    String sameFile = nurse.upload(alsoLocal, "same.jpg", "image/jpeg").json().getString("id");
    nurse.post("/api/v1/patients/" + localPatient + "/posts", note("同じ写真").put("attachments",
        new JsonArray().add(sameFile)));
    eventually("the record and photos reach the replica", () -> bodies(nurse, patientId).contains("協定の終了前の記録")
        && Files.exists(file(minamiminowa, wound)));

    minamiminowaLeaves();

    eventually("the remote member no longer sees the patient", () ->
        nurse.get("/api/v1/patients/" + patientId).status() == 404);
    assertThat(nurse.get("/api/v1/patients").json().getJsonArray("patients").stream().map(JsonObject.class::cast)
        .map(p -> p.getString("id"))).containsExactly(localPatient);
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了後の書き込み")).status())
        .isEqualTo(404);
    eventually("the replica is purged (retention 0 days)", () ->
        count(minamiminowa, "select count(*) from care_boards where id = ?", patientId) == 0);
    assertThat(count(minamiminowa, "select count(*) from posts where board_id = ?", patientId)).isZero();
    eventually("the purged replica's own photo leaves the disk", () -> !Files.exists(file(minamiminowa, wound)));
    assertThat(file(minamiminowa, alsoLocal)).as("a file a local patient's post also names stays").exists();
    assertThat(nurse.download("/api/v1/attachments/" + sameFile).body()).isEqualTo(alsoLocal);

    doctor.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了後の記録"));
    assertThat(bodies(doctor, patientId)).contains("協定の終了後の記録").doesNotContain("協定の終了後の書き込み");
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    assertThat(count(minamiminowa, "select count(*) from care_boards where id = ?", patientId)).isZero();
    assertThat(count(minamiminowa, "select count(*) from posts where body = ?", "協定の終了後の記録")).isZero();

    eventually("both nodes audit that sync with the other stopped", () ->
        audited(ina, "sync.peer.stopped") == 1 && audited(minamiminowa, "sync.peer.stopped") == 1);
    assertThat(audited(minamiminowa, "sync.replica.frozen")).isEqualTo(1);
    assertThat(audited(minamiminowa, "sync.replica.purged")).isEqualTo(1);
  }

  private static Path file(TsunaguNode node, byte[] content) {
    return new AttachmentFiles(node.services().config().dataDir()).file(AttachmentFiles.sha256(content));
  }

  @Test
  void a_frozen_replica_that_a_renewed_agreement_covers_again_resumes_and_catches_up() throws Exception {
    teamUnderAgreementKept(30, "有賀");
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("旧協定での記録"));
    eventually("the record reaches the replica", () -> bodies(nurse, patientId).contains("旧協定での記録"));

    minamiminowaLeaves();
    eventually("the replica is frozen", () -> nurse.get("/api/v1/patients/" + patientId).status() == 404);
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("協定のない間の記録"));

    var renewed = jp.tsunagu.node.federation.AgreementDrafts.signed("kamiina-2026",
        "上伊那地域在宅医療・介護連携に関する広域連携協定（再締結）", List.of(ina.services().keys().identity(),
            minamiminowa.services().keys().identity()), Instant.now().minusSeconds(60),
        Instant.now().plus(java.time.Duration.ofDays(365)), List.of(jp.tsunagu.federation.agreement.Scopes.CARE_TEAM),
        30);
    for (TsunaguNode node : new TsunaguNode[] {ina, minamiminowa}) {
      TestNodes.federation(node).agreements().importDocument(renewed.toCompactJson()).await(20, TimeUnit.SECONDS);
    }

    eventually("the remote member sees the patient again", () ->
        nurse.get("/api/v1/patients/" + patientId).status() == 200);
    eventually("what the home node wrote meanwhile reaches the replica", () ->
        bodies(nurse, patientId).contains("協定のない間の記録"));
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("再締結後の訪問")).status()).isEqualTo(201);
    eventually("her new post reaches the home node", () -> bodies(doctor, patientId).contains("再締結後の訪問"));
    assertThat(bodies(nurse, patientId)).doesNotHaveDuplicates();
    assertThat(audited(minamiminowa, "sync.replica.resumed")).isEqualTo(1);
    assertThat(count(minamiminowa, "select count(*) from care_boards where id = ?", patientId)).isEqualTo(1);
  }

  @Test
  void a_remote_member_removed_from_the_team_loses_the_patient_and_her_node_drops_the_replica() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    TsunaguNode minamiminowa = bed.node("minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "唐木");
    assertThat(doctor.post("/api/v1/patients/" + patientId + "/team/members/mm-nurse@minamiminowa/remove",
        new io.vertx.core.json.JsonObject()).status()).isEqualTo(204);

    eventually("her node hears of the removal and drops its copy", () ->
        count(minamiminowa, "select count(*) from care_boards where id = ?", patientId) == 0);
    assertThat(nurse.get("/api/v1/patients/" + patientId).status()).isEqualTo(404);
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("退出後の記録"));
    eventually("the home node owes her node nothing more", () -> count(bed.node("ina"),
        "select count(*) from sync_acks where peer = 'minamiminowa' and board_id = ?", patientId) == 1);
    assertThat(count(minamiminowa, "select count(*) from posts where body = ?", "退出後の記録")).isZero();
  }
}
