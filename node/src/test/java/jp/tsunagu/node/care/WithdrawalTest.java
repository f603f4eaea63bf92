package jp.tsunagu.node.care;

import static jp.tsunagu.node.care.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.care.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.care.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.Federation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A party leaves the agreement: from that moment nothing flows either way, the remote member loses
 * the patient, the replica is frozen and, its retention period over, purged; both nodes audit it.
 */
class WithdrawalTest {

  @TempDir
  Path dir;
  CrossNodeTestbed bed;

  @AfterEach
  void stop() {
    bed.close();
  }

  private static long count(TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  private static long audited(TsunaguNode node, String action) {
    return count(node, "select count(*) from audit_log where action = ?", action);
  }

  @Test
  void a_withdrawal_stops_every_flow_and_the_remote_members_access_and_the_replica_is_purged_after_retention()
      throws Exception {
    bed = CrossNodeTestbed.startWithRetention(dir, 0, "ina", "minamiminowa");
    TsunaguNode ina = bed.node("ina");
    TsunaguNode minamiminowa = bed.node("minamiminowa");
    CareClient doctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    CareClient nurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "小池");
    doctor.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了前の記録"));
    eventually("the record reaches the replica", () -> bodies(nurse, patientId).contains("協定の終了前の記録"));

    String leave = Json.write(WithdrawalStatement.sign(bed.agreement, minamiminowa.services().keys().identity(),
        Instant.now()).toJson());
    for (TsunaguNode node : new TsunaguNode[] {minamiminowa, ina}) {
      Federation.of(node.services()).agreements().withdraw(leave).await(20, TimeUnit.SECONDS);
    }

    eventually("the remote member no longer sees the patient", () ->
        nurse.get("/api/v1/patients/" + patientId).status() == 404);
    assertThat(nurse.get("/api/v1/patients").json().getJsonArray("patients")).isEmpty();
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了後の書き込み")).status())
        .isEqualTo(404);
    eventually("the replica is purged (retention 0 days)", () ->
        count(minamiminowa, "select count(*) from care_boards where id = ?", patientId) == 0);
    assertThat(count(minamiminowa, "select count(*) from posts where board_id = ?", patientId)).isZero();

    doctor.post("/api/v1/patients/" + patientId + "/posts", note("協定の終了後の記録"));
    assertThat(bodies(doctor, patientId)).contains("協定の終了後の記録").doesNotContain("協定の終了後の書き込み");
    Thread.sleep(2 * jp.tsunagu.node.sync.SyncVerticle.SWEEP_MILLIS);
    assertThat(count(minamiminowa, "select count(*) from care_boards where id = ?", patientId)).isZero();
    assertThat(count(minamiminowa, "select count(*) from posts where body = ?", "協定の終了後の記録")).isZero();

    eventually("both nodes audit that sync with the other stopped", () ->
        audited(ina, "sync.peer.stopped") == 1 && audited(minamiminowa, "sync.peer.stopped") == 1);
    assertThat(audited(minamiminowa, "sync.replica.frozen")).isEqualTo(1);
    assertThat(audited(minamiminowa, "sync.replica.purged")).isEqualTo(1);
  }

  @Test
  void a_remote_member_removed_from_the_team_loses_the_patient_and_her_node_drops_the_replica() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    TsunaguNode minamiminowa = bed.node("minamiminowa");
    CareClient doctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    CareClient nurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
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
