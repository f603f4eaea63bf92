package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.replication.TeamReplication;
import org.junit.jupiter.api.AfterEach;
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
  CrossNodeTestbed bed;

  @AfterEach
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

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

  private CareClient doctor;
  private CareClient nurse;

  /** Two nodes, a patient of the first whose team takes in a nurse of the second, its log signed and held by both. */
  private String sharedPatient(String family) {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    nurse = bed.professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション",
        "home_nursing");
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

  private static void assertVerifiedWithoutGaps(TsunaguNode home, TsunaguNode partner, String boardId, long head) {
    List<String> atHome = envelopes(home, boardId);
    assertThat(envelopes(partner, boardId)).isEqualTo(atHome);
    assertThat(atHome).hasSize((int) head);
    var trust = partner.feature(TeamSyncFeature.class).sync().trustStore();
    for (int i = 0; i < atHome.size(); i++) {
      SequencedEvent event = EventEnvelope.verifyCountersigned(atHome.get(i), trust);
      assertThat(event.sequence()).isEqualTo(i + 1);
    }
  }

  private static List<String> envelopes(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> {
      List<String> envelopes = new ArrayList<>();
      try (var s = c.prepareStatement("select envelope from team_events where board_id = ? order by seq")) {
        s.setString(1, boardId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            envelopes.add(rs.getString(1));
          }
        }
      }
      return envelopes;
    }).join();
  }

  private static TeamSync team(TsunaguNode node) {
    return node.feature(TeamSyncFeature.class).team();
  }

  private static long head(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> TeamLogSql.latestSeq(c, boardId)).join();
  }

  private static long unsignedEvents(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from team_events_unsigned where ? is not null", "x");
  }

  private static long unsignedWrites(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from sync_outbox_unsigned where ? is not null", "x");
  }

  private static long waitingInOutbox(TsunaguNode node) {
    return node.services().database().submitRead(OutboxSql::outboxWaiting).join();
  }

  private static String posts(String patientId) {
    return "/api/v1/patients/" + patientId + "/posts";
  }
}
