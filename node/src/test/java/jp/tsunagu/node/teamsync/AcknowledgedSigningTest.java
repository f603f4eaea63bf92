package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.assertVerifiedWithoutGaps;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.head;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.posts;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.team;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.unsignedEvents;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.unsignedWrites;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.replication.TeamReplication;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered node's leader signs, and so lets partners have, only the team events and outbox writes whose
 * transaction its followers acknowledged (issue 24): a leader that dies before that has the batch discarded
 * when it rejoins, and the next leader gives the seq to another event. Two real nodes with a real agreement;
 * one's database made a clustered leader's whose followers the test holds ({@link HeldFollowers}), as
 * replication holds a write's answer until followers applied its batch.
 */
class AcknowledgedSigningTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  @Test
  void a_leaders_event_is_signed_and_pushed_to_partners_only_once_its_write_is_acknowledged() throws Exception {
    String patientId = sharedPatient("梅田");
    long signedHead = head(ina(), patientId);
    EventSigner signer = team(ina()).log().signer();
    long toldBefore = signer.toldSigned();
    HeldFollowers followers = HeldFollowers.of(ina());

    followers.hold();
    CompletableFuture<CareClient.Reply> posted = postAsync(doctor, patientId, "承認前の投稿。");
    eventually("the event is sequenced and committed on the leader", () -> head(ina(), patientId) == signedHead + 1);
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS); // pushes, pulls and sweeps run meanwhile
    assertThat(posted).as("the write is not answered before its acknowledgement").isNotDone();
    assertThat(followers.waiting()).isPositive();
    assertThat(unsignedEvents(ina())).as("not signed").isEqualTo(1);
    assertThat(signer.toldSigned()).as("nothing told to the push").isEqualTo(toldBefore);
    assertThat(head(mm(), patientId)).as("the partner got nothing").isEqualTo(signedHead);

    followers.release();
    assertThat(posted.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    eventually("the partner receives it once acknowledged", () -> head(mm(), patientId) == signedHead + 1);
    assertThat(signer.toldSigned()).isGreaterThan(toldBefore);
    assertVerifiedWithoutGaps(ina(), mm(), patientId, signedHead + 1);
    assertThat(bodies(nurse, patientId)).contains("承認前の投稿。");
  }

  @Test
  void a_leaders_write_to_a_board_homed_on_a_partner_is_submitted_only_once_acknowledged() throws Exception {
    String patientId = sharedPatient("竹内");
    long signedHead = head(ina(), patientId);
    HeldFollowers followers = HeldFollowers.of(mm());

    followers.hold();
    CompletableFuture<CareClient.Reply> posted = postAsync(nurse, patientId, "承認前の訪問看護。");
    eventually("the write is in the outbox, committed", () -> waitingInOutbox(mm()) == 1);
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    // any later change of the board (a read receipt, a sweep's retry) sends what the outbox holds signed
    mm().vertx().eventBus().publish(TeamReplication.BOARD_CHANGED, patientId);
    Thread.sleep(SyncVerticle.SWEEP_MILLIS);
    assertThat(posted).as("the write is not answered before its acknowledgement").isNotDone();
    assertThat(unsignedWrites(mm())).as("not signed").isEqualTo(1);
    assertThat(head(ina(), patientId)).as("the home node got nothing").isEqualTo(signedHead);

    followers.release();
    assertThat(posted.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    eventually("the home node sequences it once acknowledged", () -> head(ina(), patientId) == signedHead + 1
        && waitingInOutbox(mm()) == 0);
    eventually("and the member holds it countersigned", () -> head(mm(), patientId) == signedHead + 1);
    assertVerifiedWithoutGaps(ina(), mm(), patientId, signedHead + 1);
  }

  @Test
  void a_transaction_not_replicated_stays_unsigned_until_a_later_one_is_acknowledged() throws Exception {
    String patientId = sharedPatient("松田");
    long signedHead = head(ina(), patientId);
    HeldFollowers followers = HeldFollowers.of(ina());

    followers.hold();
    CompletableFuture<CareClient.Reply> lost = postAsync(doctor, patientId, "複製されなかった投稿。");
    eventually("the event is sequenced and committed on the leader", () -> head(ina(), patientId) == signedHead + 1);
    followers.fail();
    assertThat(lost.get(30, TimeUnit.SECONDS).status()).as("answered as not replicated").isNotEqualTo(201);
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    assertThat(unsignedEvents(ina())).as("not signed").isEqualTo(1);
    assertThat(head(mm(), patientId)).as("the partner got nothing").isEqualTo(signedHead);

    // Followers apply batches in order: the one that applied a later batch holds this one too.
    followers.release();
    assertThat(doctor.post(posts(patientId), note("次の投稿。")).status()).isEqualTo(201);
    eventually("the partner receives both, in order", () -> head(mm(), patientId) == signedHead + 2);
    assertVerifiedWithoutGaps(ina(), mm(), patientId, signedHead + 2);
  }

  @Test
  void a_transaction_rolled_back_between_unacknowledged_rows_signs_none_of_them() throws Exception {
    String patientId = sharedPatient("杉山");
    long signedHead = head(ina(), patientId);
    EventSigner signer = team(ina()).log().signer();
    long toldBefore = signer.toldSigned();
    HeldFollowers followers = HeldFollowers.of(ina());

    followers.hold();
    CompletableFuture<CareClient.Reply> first = postAsync(doctor, patientId, "巻き戻しの前の投稿。");
    eventually("the first is committed on the leader", () -> head(ina(), patientId) == signedHead + 1);
    // A transaction rolled back on the writer: its writer values are read again, but it is no change of
    // leader, so the rows waiting are not taken for the cluster's history (only forgetWriterStates does that).
    CompletableFuture<Object> rolledBack = ina().services().database().submitWrite(c -> {
      throw new java.sql.SQLException("rolled back on purpose");
    });
    assertThat(rolledBack).failsWithin(30, TimeUnit.SECONDS);
    CompletableFuture<CareClient.Reply> second = postAsync(doctor, patientId, "巻き戻しの後の投稿。");
    eventually("the second is committed on the leader", () -> head(ina(), patientId) == signedHead + 2);
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    assertThat(unsignedEvents(ina())).as("neither signed").isEqualTo(2);
    assertThat(signer.toldSigned()).as("nothing told to the push").isEqualTo(toldBefore);
    assertThat(head(mm(), patientId)).as("the partner got nothing").isEqualTo(signedHead);

    followers.release();
    assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    eventually("the partner receives both, in order", () -> head(mm(), patientId) == signedHead + 2);
    assertVerifiedWithoutGaps(ina(), mm(), patientId, signedHead + 2);
  }

  private CareClient doctor;
  private CareClient nurse;

  /** Two nodes, a patient of the first whose team takes in a nurse of the second, its log signed and held by both. */
  private String sharedPatient(String family) {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", family);
    eventually("the partner holds the signed log", () -> head(mm(), patientId) == head(ina(), patientId)
        && unsignedEvents(ina()) == 0);
    return patientId;
  }

  private static CompletableFuture<CareClient.Reply> postAsync(CareClient client, String patientId, String body) {
    return CompletableFuture.supplyAsync(() -> client.post(posts(patientId), note(body)));
  }

  private TsunaguNode ina() {
    return bed.node("ina");
  }

  private TsunaguNode mm() {
    return bed.node("minamiminowa");
  }
}
