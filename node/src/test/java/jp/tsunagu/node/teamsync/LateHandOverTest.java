package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.assertVerifiedWithoutGaps;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.head;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.posts;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.team;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.unsignedEvents;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member node's write goes to its home node once (issue 25, item 4), also when the signer's hand-over of the
 * write reaches the sync engine only after a read of the outbox has taken it and sent it. Under load that order
 * happened (the hand-over comes by the event loop; the signatures' commit, its announcement and the outbox read
 * may all come first): the write went in a page from the outbox and again from memory, a repeat the home node
 * answered from what it stored. Here the hand-over is held until the outbox's page is answered.
 */
class LateHandOverTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  @Test
  void a_write_the_outbox_sent_before_the_signers_hand_over_arrived_is_not_sent_again_from_memory()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "箕輪");
    // a first write settled: the home node is settled for the member, so the next write may go from memory
    assertThat(nurse.post(posts(patientId), note("最初の訪問看護。")).status()).isEqualTo(201);
    eventually("the member's first write is settled and back", () -> waitingInOutbox(bed.node("minamiminowa")) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    // a second goes from memory (the home node is settled for the member): its signature is stored by its apply,
    // and no announcement of the signer's follows it, so none may be taken for it later (the next one was, and the
    // outbox was not read for the write below until the periodic pass)
    assertThat(nurse.post(posts(patientId), note("二度目の訪問看護。")).status()).isEqualTo(201);
    eventually("the member's second write is settled and back", () -> waitingInOutbox(bed.node("minamiminowa")) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    long head = head(bed.node("ina"), patientId);
    Submissions.Counts counts = team(bed.node("ina")).submissionCounts();
    long receivedBefore = counts.received();
    long repeatsBefore = counts.repeated();

    long looksBefore = team(bed.node("minamiminowa")).destinationLooks();
    CompletableFuture<Void> handOver = new CompletableFuture<>();
    team(bed.node("minamiminowa")).log().signer().delayNextHandOver(handOver);
    assertThat(nurse.post(posts(patientId), note("遅れて渡る訪問看護。")).status()).isEqualTo(201);
    // the signatures' commit announces the board: its delivery reads the write from the outbox and sends it
    eventually("the home node accepted the write from the outbox's page", () -> head(bed.node("ina"), patientId)
        == head + 1 && waitingInOutbox(bed.node("minamiminowa")) == 0);
    assertThat(counts.received()).isEqualTo(receivedBefore + 1);
    // sent because the signer announced the stored write (a look at where its board goes), not by the periodic
    // pass, which came 15 s later when the second write's hand-over had left a skip of the next announcement
    assertThat(team(bed.node("minamiminowa")).destinationLooks() - looksBefore)
        .as("looks at where the board goes after the signer's announcement").isPositive();

    handOver.complete(null); // the hand-over arrives now, after that read
    eventually("the member holds its write countersigned", () -> head(bed.node("minamiminowa"), patientId) == head + 1);
    Thread.sleep(3 * SyncVerticle.SWEEP_MILLIS); // a send from memory, and the sweeps, would have run by now
    assertThat(counts.received()).as("one submission for the write").isEqualTo(receivedBefore + 1);
    assertThat(counts.repeated()).as("no repeat").isEqualTo(repeatsBefore);
    assertVerifiedWithoutGaps(bed.node("ina"), bed.node("minamiminowa"), patientId, head + 1);
    assertThat(bodies(doctor, patientId)).contains("遅れて渡る訪問看護。").doesNotHaveDuplicates();
  }
}
