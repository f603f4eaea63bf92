package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareClient;

/**
 * A team across two real nodes while one of them is down: the other keeps reading and writing, a
 * remote member's writes wait as 送信待ち, and once both are up every write is on both sides
 * exactly once, in the home node's order.
 */
class DegradedModesTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  private static List<JsonObject> posts(CareClient client, String patientId) {
    return client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static String order(CareClient client, String patientId) {
    StringBuilder order = new StringBuilder();
    posts(client, patientId).forEach(p -> order.append(p.getLong("seq")).append(' ').append(p.getString("body"))
        .append('\n'));
    return order.toString();
  }

  @Test
  void writes_on_both_sides_of_a_partition_converge_with_nothing_lost_and_nothing_duplicated() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");

    bed.stopNode("ina");
    for (String body : List.of("夜間の訪問。疼痛コントロール良好。", "家族へ連絡済み。")) {
      CareClient.Reply written = nurse.post("/api/v1/patients/" + patientId + "/posts", note(body));
      assertThat(written.status()).isEqualTo(201);
      assertThat(written.json().getString("syncState")).isEqualTo("pending");
    }
    assertThat(posts(nurse, patientId)).filteredOn(p -> "pending".equals(p.getString("syncState"))).hasSize(2);
    JsonObject home = peer(bed.node("minamiminowa"), "ina");
    assertThat(home.getBoolean("reachable")).isFalse();
    assertThat(home.getLong("backlog")).as("the two writes waiting in the outbox").isEqualTo(2);

    bed.startNode("ina");
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("the nurse's writes reach the home node once it is back", () ->
        bodies(doctorAgain, patientId).containsAll(List.of("夜間の訪問。疼痛コントロール良好。", "家族へ連絡済み。")));
    eventually("her own node shows them sequenced", () -> posts(nurse, patientId).stream()
        .noneMatch(p -> p.getString("syncState") != null));

    eventually("nothing waits for the home node any more", () ->
        peer(bed.node("minamiminowa"), "ina").getLong("backlog") == 0);
    assertThat(peer(bed.node("minamiminowa"), "ina").getBoolean("reachable")).isTrue();

    bed.stopNode("minamiminowa");
    doctorAgain.post("/api/v1/patients/" + patientId + "/posts", note("訪問診療。麻薬の増量なし。"));
    doctorAgain.post("/api/v1/patients/" + patientId + "/posts", note("ご家族と人生会議。"));
    assertThat(peer(bed.node("ina"), "minamiminowa").getLong("backlog"))
        .as("the home node's events the replica has not acknowledged").isGreaterThanOrEqualTo(2);
    bed.startNode("minamiminowa");
    CareClient nurseAgain = bed.login("minamiminowa", nurse.userId, "mm-nurse");
    eventually("the home node's writes reach the replica once it is back", () ->
        bodies(nurseAgain, patientId).containsAll(List.of("訪問診療。麻薬の増量なし。", "ご家族と人生会議。")));

    assertThat(order(nurseAgain, patientId)).isEqualTo(order(doctorAgain, patientId));
    List<String> all = bodies(doctorAgain, patientId);
    assertThat(all).doesNotHaveDuplicates().hasSize(4);
  }
}
