package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periodic sweep asks once which partners are owed anything (a pending write, an invitation, events of a
 * board homed here) instead of reading three times per partner; a partner owed nothing is left alone until
 * a change or its pull, and a partner owed a write still gets it from the sweep alone.
 */
class SweepOwedPartnersTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  private static Set<String> owed(TsunaguNode node, List<String> partners) {
    return node.services().database().submitRead(c -> TeamLogSql.partnersOwed(c, partners)).join();
  }

  @Test
  void the_partners_owed_are_the_home_of_a_pending_write_and_the_nodes_of_members_not_a_partner_without_either() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "松島");
    // The home shows the nurse as a member once it applied her acceptance; her node settles that write
    // only when the home's answer comes back, and until then it rightly owes the home.
    eventually("the nurse's node has the answer to her acceptance",
        () -> waitingInOutbox(bed.node("minamiminowa")) == 0);

    assertThat(owed(bed.node("ina"), List.of("minamiminowa", "minowa"))).containsExactly("minamiminowa");
    assertThat(owed(bed.node("minamiminowa"), List.of("ina", "minowa"))).isEmpty();
    assertThat(owed(bed.node("minowa"), List.of("ina", "minamiminowa"))).isEmpty();

    bed.stopNode("ina");
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("ホームが停止中の記録")).status())
        .isEqualTo(201);
    eventually("the write waits in the outbox for its home node", () ->
        owed(bed.node("minamiminowa"), List.of("ina", "minowa")).equals(Set.of("ina")));
    // a partner not asked about is never answered, even with a pending write
    assertThat(owed(bed.node("minamiminowa"), List.of("minowa"))).isEmpty();
  }

  @Test
  void a_write_left_in_the_outbox_reaches_its_home_node_through_the_sweep_once_it_is_back() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "松島");
    bed.stopNode("ina");
    nurse.post("/api/v1/patients/" + patientId + "/posts", note("ホームが戻ったら届く記録"));

    bed.startNode("ina");
    CareClient again = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("the home node has the write made while it was away", () ->
        CrossNodeTestbed.bodies(again, patientId).contains("ホームが戻ったら届く記録"));
    eventually("nothing is owed any more", () -> owed(bed.node("minamiminowa"), List.of("ina")).isEmpty());
  }
}
