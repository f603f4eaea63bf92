package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.assertVerifiedWithoutGaps;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.envelopes;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.head;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.outboxEnvelopes;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.posts;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.team;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.unsignedEvents;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.unsignedWrites;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events are sequenced in the database writer's transaction and signed after it (issue 25, item 2). Between
 * the two, the events are durable and unsigned: partners are served the log only up to the first unsigned
 * seq, a partner's submission is not answered, and a node stopped there signs them at its next start, so
 * every partner ends with every event signed, verified and in order, without a gap. The signer is held to
 * stop a node exactly between the two transactions; what it leaves on disk is what a crash there leaves.
 */
class SyncSigningOrderTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;
  /** Of the home node ina, and of its partner minamiminowa, in the team of {@link #patientId}. */
  CareClient doctor;
  CareClient nurse;
  String patientId;
  /** The seq up to which both nodes hold the board's log signed, once {@link #startWithSignedBoard} returned. */
  long signedHead;

  /**
   * Starts ina and minamiminowa with a patient of ina's whose team takes in minamiminowa's nurse, the doctor
   * posting {@code notes} to it, and waits until the partner holds the board's log, every event signed.
   */
  private void startWithSignedBoard(String family, String... notes) {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    doctor = bed.inaDoctor();
    nurse = bed.mmNurse();
    patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", family);
    for (String body : notes) {
      assertThat(doctor.post(posts(patientId), note(body)).status()).isEqualTo(201);
    }
    // While the board's first sharing is under way its new posts are logged by the sharing, not by their
    // writes: a post made then is not an unsigned event at once, and a test counting them raced the sharing.
    eventually("the partner holds the signed log", () -> CrossNodeTestbed.count(bed.node("ina"),
        "select count(*) from board_sharing where board_id = ?", patientId) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    signedHead = head(bed.node("ina"), patientId);
  }

  @Test
  void partners_see_no_unsigned_event_and_no_gap_and_a_submission_is_answered_only_once_countersigned()
      throws Exception {
    startWithSignedBoard("梅沢", "署名前の最後の投稿。");

    EventSigner signer = team(bed.node("ina")).log().signer();
    signer.hold();
    for (int i = 1; i <= 3; i++) {
      assertThat(doctor.post(posts(patientId), note("署名待ちの投稿 " + i)).status()).isEqualTo(201);
    }
    assertThat(nurse.post(posts(patientId), note("署名待ちの間の訪問看護。")).status()).isEqualTo(201);
    eventually("the partner's write is sequenced on the home node", () -> unsignedEvents(bed.node("ina")) == 4);
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS); // pushes, pulls and sweeps run meanwhile

    assertThat(head(bed.node("ina"), patientId)).isEqualTo(signedHead + 4);
    List<String> served = team(bed.node("ina")).feed("minamiminowa", patientId, 0, 1_000)
        .toCompletionStage().toCompletableFuture().get();
    assertThat(served).as("the feed stops before the first unsigned seq").hasSize((int) signedHead)
        .allMatch(envelope -> !envelope.isEmpty());
    assertThat(head(bed.node("minamiminowa"), patientId)).as("the partner got nothing unsigned").isEqualTo(signedHead);
    assertThat(waitingInOutbox(bed.node("minamiminowa"))).as("the submission is not answered yet").isEqualTo(1);

    signer.release();
    eventually("the partner holds every event", () -> head(bed.node("minamiminowa"), patientId) == signedHead + 4);
    eventually("the submission is answered", () -> waitingInOutbox(bed.node("minamiminowa")) == 0);
    assertVerifiedWithoutGaps(bed.node("ina"), bed.node("minamiminowa"), patientId, signedHead + 4);
    assertThat(bodies(nurse, patientId)).contains("署名待ちの投稿 1", "署名待ちの投稿 3", "署名待ちの間の訪問看護。")
        .doesNotHaveDuplicates();
  }

  @Test
  void holding_the_signer_while_its_page_never_ends_fails_at_once_saying_what_it_waited_for() throws Exception {
    startWithSignedBoard("竹内");

    EventSigner signer = team(bed.node("ina")).log().signer();
    EventSigner.PausedPage page = signer.pauseNextPage();
    assertThat(doctor.post(posts(patientId), note("署名の途中で止まる投稿。")).status()).isEqualTo(201);
    page.reached().get(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> signer.hold(Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not end within 200 ms");

    page.go().complete(null);
    signer.hold(); // the page ended: the hold holds
    signer.release();
    eventually("the partner holds the post", () -> head(bed.node("minamiminowa"), patientId) == signedHead + 1);
    assertVerifiedWithoutGaps(bed.node("ina"), bed.node("minamiminowa"), patientId, signedHead + 1);
  }

  @Test
  void a_node_stopped_between_sequencing_and_signing_signs_at_its_next_start_and_partners_get_it_all_in_order()
      throws Exception {
    startWithSignedBoard("松原");

    team(bed.node("ina")).log().signer().hold();
    for (int i = 1; i <= 5; i++) {
      assertThat(doctor.post(posts(patientId), note("停止前の投稿 " + i)).status()).isEqualTo(201);
    }
    assertThat(unsignedEvents(bed.node("ina"))).isEqualTo(5);
    bed.stopNode("ina");

    TsunaguNode ina = bed.startNode("ina");
    eventually("the restarted home signs what was left unsigned", () -> unsignedEvents(ina) == 0);
    eventually("the partner holds every event", () -> head(bed.node("minamiminowa"), patientId) == signedHead + 5);
    assertVerifiedWithoutGaps(ina, bed.node("minamiminowa"), patientId, signedHead + 5);
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    assertThat(doctorAgain.post(posts(patientId), note("再起動後の投稿。")).status()).isEqualTo(201);
    eventually("the next event follows without a gap", () -> head(bed.node("minamiminowa"), patientId)
        == signedHead + 6);
    assertVerifiedWithoutGaps(ina, bed.node("minamiminowa"), patientId, signedHead + 6);
    assertThat(bodies(nurse, patientId)).contains("停止前の投稿 1", "停止前の投稿 5")
        .contains("再起動後の投稿。").doesNotHaveDuplicates();
  }

  @Test
  void partners_get_events_as_soon_as_they_are_signed_and_a_node_stopped_before_storing_the_signatures_signs_the_same_bytes()
      throws Exception {
    startWithSignedBoard("小松");

    EventSigner signer = team(bed.node("ina")).log().signer();
    signer.hold();
    for (int i = 1; i <= 3; i++) {
      assertThat(doctor.post(posts(patientId), note("保存前に届く投稿 " + i)).status()).isEqualTo(201);
    }
    assertThat(nurse.post(posts(patientId), note("保存前に届く訪問看護。")).status()).isEqualTo(201);
    eventually("the partner's write is sequenced on the home node", () -> unsignedEvents(bed.node("ina")) == 4);
    // the four are signed in one page and pushed; their signatures are never stored, as if the node stopped there
    signer.dropNextStore();
    signer.release();
    eventually("the partner holds the events signed but not stored at home", () ->
        head(bed.node("minamiminowa"), patientId) == signedHead + 4);
    assertThat(unsignedEvents(bed.node("ina"))).as("no signature stored at home").isEqualTo(4);
    List<String> held = envelopes(bed.node("minamiminowa"), patientId);
    bed.stopNode("ina");

    TsunaguNode ina = bed.startNode("ina");
    eventually("the restarted home signs what was left unsigned", () -> unsignedEvents(ina) == 0);
    assertThat(envelopes(ina, patientId)).as("signed again to the bytes the partner holds").isEqualTo(held);
    assertVerifiedWithoutGaps(ina, bed.node("minamiminowa"), patientId, signedHead + 4);
    eventually("the partner's write is settled", () -> waitingInOutbox(bed.node("minamiminowa")) == 0);
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    assertThat(doctorAgain.post(posts(patientId), note("再起動後の投稿。")).status()).isEqualTo(201);
    eventually("the next event follows without a gap", () -> head(bed.node("minamiminowa"), patientId)
        == signedHead + 5);
    assertVerifiedWithoutGaps(ina, bed.node("minamiminowa"), patientId, signedHead + 5);
    assertThat(bodies(nurse, patientId)).contains("保存前に届く投稿 1", "保存前に届く投稿 3", "保存前に届く訪問看護。",
        "再起動後の投稿。").doesNotHaveDuplicates();
  }

  @Test
  void a_member_node_sends_no_unsigned_write_and_one_stopped_before_signing_sends_its_writes_in_order_after_start()
      throws Exception {
    startWithSignedBoard("竹田");

    team(bed.node("minamiminowa")).log().signer().hold();
    for (int i = 1; i <= 3; i++) {
      assertThat(nurse.post(posts(patientId), note("署名前の訪問看護 " + i)).status()).isEqualTo(201);
    }
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    assertThat(unsignedWrites(bed.node("minamiminowa"))).isEqualTo(3);
    assertThat(head(bed.node("ina"), patientId)).as("nothing unsigned was sent").isEqualTo(signedHead);
    bed.stopNode("minamiminowa");

    bed.startNode("minamiminowa");
    eventually("the restarted member signs and sends its writes", () -> head(bed.node("ina"), patientId)
        == signedHead + 3 && waitingInOutbox(bed.node("minamiminowa")) == 0);
    eventually("and receives them back countersigned", () -> head(bed.node("minamiminowa"), patientId)
        == signedHead + 3);
    // the home pushes what it signed before storing it, and the member settles its outbox on receipt
    eventually("the home stored its signatures", () -> unsignedEvents(bed.node("ina")) == 0);
    assertVerifiedWithoutGaps(bed.node("ina"), bed.node("minamiminowa"), patientId, signedHead + 3);
    assertThat(bodies(doctor, patientId)).contains("署名前の訪問看護 1", "署名前の訪問看護 2",
        "署名前の訪問看護 3").doesNotHaveDuplicates();
  }

  @Test
  void a_member_node_submits_a_write_as_soon_as_it_is_signed_and_its_apply_stores_the_signature_the_home_accepted()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "宮田");
    assertThat(nurse.post(posts(patientId), note("最初の訪問看護。")).status()).isEqualTo(201);
    eventually("the member's first write is settled and back", () -> waitingInOutbox(bed.node("minamiminowa")) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    long signedHead = head(bed.node("ina"), patientId);
    long repeatsBefore = team(bed.node("ina")).submissionCounts().repeated();

    EventSigner signer = team(bed.node("minamiminowa")).log().signer();
    signer.hold();
    for (int i = 1; i <= 2; i++) {
      assertThat(nurse.post(posts(patientId), note("保存前に送る訪問看護 " + i)).status()).isEqualTo(201);
    }
    // both are signed in one page and submitted; their signatures are never stored, as if the node stopped there
    signer.dropNextStore();
    signer.release();
    eventually("the home node accepted the writes signed but not stored by the member's signer",
        () -> head(bed.node("ina"), patientId) == signedHead + 2 && waitingInOutbox(bed.node("minamiminowa")) == 0);
    List<String> accepted = envelopes(bed.node("ina"), patientId).subList((int) signedHead, (int) signedHead + 2)
        .stream().map(Submissions::embeddedOrigin).toList();
    // the apply of each countersigned event stored the origin signature it embeds, with the write's settlement
    eventually("the member's applies stored the signatures", () -> unsignedWrites(bed.node("minamiminowa")) == 0);
    assertThat(outboxEnvelopes(bed.node("minamiminowa"), patientId)).as("the bytes the home node accepted")
        .endsWith(accepted.toArray(String[]::new));
    bed.stopNode("minamiminowa");

    TsunaguNode member = bed.startNode("minamiminowa");
    assertThat(outboxEnvelopes(member, patientId)).as("kept across the restart")
        .endsWith(accepted.toArray(String[]::new));
    eventually("and holds them countersigned", () -> head(member, patientId) == signedHead + 2);
    assertVerifiedWithoutGaps(bed.node("ina"), member, patientId, signedHead + 2);
    assertThat(team(bed.node("ina")).submissionCounts().repeated()).as("each write submitted once")
        .isEqualTo(repeatsBefore);
    assertThat(bodies(doctor, patientId)).contains("保存前に送る訪問看護 1", "保存前に送る訪問看護 2")
        .doesNotHaveDuplicates();
  }

  @Test
  void a_write_sent_as_soon_as_signed_whose_countersigned_event_does_not_come_back_is_stored_by_the_signer()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "伊那部");
    assertThat(nurse.post(posts(patientId), note("最初の訪問看護。")).status()).isEqualTo(201);
    eventually("the member's first write is settled and back", () -> waitingInOutbox(bed.node("minamiminowa")) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    long repeatsBefore = team(bed.node("ina")).submissionCounts().repeated();
    EventSigner memberSigner = team(bed.node("minamiminowa")).log().signer();
    long storedBefore = memberSigner.pagesStored();
    // the home node sequences the write but countersigns nothing: no countersigned event comes back to apply
    team(bed.node("ina")).log().signer().hold();
    assertThat(nurse.post(posts(patientId), note("戻らない訪問看護。")).status()).isEqualTo(201);
    eventually("the home node sequenced the write", () -> unsignedEvents(bed.node("ina")) == 1);
    eventually("the member's signer stored the signature no apply stored", () ->
        unsignedWrites(bed.node("minamiminowa")) == 0);
    assertThat(memberSigner.pagesStored() - storedBefore).as("one page of signatures stored, after its wait")
        .isEqualTo(1);
    team(bed.node("ina")).log().signer().release();
    eventually("and it comes back countersigned", () -> waitingInOutbox(bed.node("minamiminowa")) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId));
    assertThat(team(bed.node("ina")).submissionCounts().repeated()).as("submitted once").isEqualTo(repeatsBefore);
  }

  @Test
  void a_partners_submission_is_announced_on_the_home_node_at_its_commit_before_it_is_countersigned()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "辰野");
    // While the board's first sharing is under way its new posts are logged by the sharing, not by their
    // writes: a post made then is not an unsigned event at once, and a test counting them raced the sharing.
    eventually("the partner holds the signed log", () -> CrossNodeTestbed.count(bed.node("ina"),
        "select count(*) from board_sharing where board_id = ?", patientId) == 0
        && head(bed.node("minamiminowa"), patientId) == head(bed.node("ina"), patientId)
        && unsignedEvents(bed.node("ina")) == 0);
    java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
    var consumer = bed.node("ina").vertx().eventBus().<String>consumer(
        jp.tsunagu.node.care.replication.TeamReplication.BOARD_CHANGED, message -> {
          if (patientId.equals(message.body())) {
            heard.incrementAndGet();
          }
        });
    consumer.completion().toCompletionStage().toCompletableFuture().get();
    EventSigner signer = team(bed.node("ina")).log().signer();
    signer.hold();
    assertThat(nurse.post(posts(patientId), note("署名前に知らせる訪問看護。")).status()).isEqualTo(201);
    eventually("the partner's write is sequenced on the home node", () -> unsignedEvents(bed.node("ina")) == 1);
    // where the board goes is looked up beside the countersigning, not after it
    eventually("the board's change is announced before the countersignature", () -> heard.get() >= 1);
    assertThat(waitingInOutbox(bed.node("minamiminowa"))).as("the submission is not answered yet").isEqualTo(1);
    signer.release();
    eventually("the submission is answered", () -> waitingInOutbox(bed.node("minamiminowa")) == 0);
    consumer.unregister();
  }
}
