package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.head;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.team;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.storage.WorkCounts;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a professional's write to a board homed on another node costs their own node's database (issue 25, item 1,
 * path 2): the post's commit, and the commit that applies the home node's countersigned event to the replica,
 * which settles the write's outbox row and stores its origin signature in the same transaction. The home
 * node's answer to the submission writes nothing more, and no announcement of the replica board reads where it goes
 * (the post's commit, the signer's once the write went, the apply's: nothing of the node waits). Counted on the member node over several writes, each waited for.
 */
class MemberWriteWorkTest {

  private static final int WRITES = 5;

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  @Test
  void a_members_write_to_a_board_homed_elsewhere_is_two_commits_on_its_node_and_settled_once() throws Exception {
    AtomicLong ownReads = new AtomicLong();
    // a first write settles the member's delivery (writes after it go as soon as signed) and warms the nodes
    Shared shared = firstWriteSettledAndBack("箕輪", ownReads);
    CareClient nurse = shared.nurse();
    String patientId = shared.patientId();
    TsunaguNode home = shared.home();
    TsunaguNode member = shared.member();
    Thread.sleep(3_000); // a settlement the sweep writes (three sweeps) lands before counting
    long repeatsBefore = team(home).submissionCounts().repeated();
    long receivedBefore = team(home).submissionCounts().received();

    ownReads.set(0);
    long looksBefore = team(member).destinationLooks();
    WorkCounts before = member.services().database().workCounts();
    OwnEnvelopes own = member.feature(TeamSyncFeature.class).sync().ownEnvelopes();
    long ownTakenBefore = own.taken();
    for (int i = 1; i <= WRITES; i++) {
      assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("訪問看護 " + i)).status())
          .isEqualTo(201);
      eventually("write " + i + " is settled and back", () -> settledAndBack(home, member, patientId, ownReads));
    }
    Thread.sleep(3_000); // and any the sweep would still write
    WorkCounts work = member.services().database().workCounts().minus(before);
    long reads = work.reads() - ownReads.get();

    System.out.printf("member node per write: %.2f commits, %.2f write jobs, %.2f reads%n",
        (double) work.commits() / WRITES, (double) work.writes() / WRITES, (double) reads / WRITES);
    // two a write (four, then three before: the answer settled the outbox row in a commit of its own, and the
    // signer stored the origin signature in another); one write more may go from the outbox, settled at once,
    // while the member's delivery settles after the first
    assertThat(work.commits()).as("commits on the member node for %d writes (the post, the countersigned event"
        + " applied with the outbox row settled and its origin signature stored)", WRITES)
        .isLessThanOrEqualTo(2L * WRITES + 2);
    assertThat(CrossNodeTestbed.count(member, "select count(*) from sync_outbox where board_id = ? and envelope = ''",
        patientId)).as("every write's origin signature stored").isZero();
    assertThat(jp.tsunagu.node.testing.TestSql.count(member, "select count(*) from sync_outbox_unsigned")).as("nothing left to sign")
        .isZero();
    // the post's commit, the signer's announcement once the write went from memory, the apply of the countersigned
    // event: none reads where the board goes (each did, but the signer's, finding nothing to deliver)
    assertThat(team(member).destinationLooks() - looksBefore).as("looks at where the board goes for %d writes",
        WRITES).isZero();
    // of the two signatures each countersigned event carries back, the origin's is this node's own: not checked
    assertThat(own.taken() - ownTakenBefore).as("origin signatures of its own writes taken without a check")
        .isEqualTo(WRITES);
    assertThat(team(home).submissionCounts().received() - receivedBefore).as("each write submitted once")
        .isEqualTo(WRITES);
    assertThat(team(home).submissionCounts().repeated()).isEqualTo(repeatsBefore);
    assertThat(CrossNodeTestbed.count(member, "select count(*) from sync_outbox where board_id = ?"
        + " and (state <> 'accepted' or settled_at is null)", patientId)).as("every write settled accepted").isZero();
  }

  @Test
  void events_a_member_node_receives_are_applied_without_a_look_at_where_their_board_goes() throws Exception {
    AtomicLong ownReads = new AtomicLong();
    // a write of the member settled: its delivery to the home node then knows nothing of its own waits there
    Shared shared = firstWriteSettledAndBack("大泉", ownReads);
    CareClient doctor = shared.doctor();
    CareClient nurse = shared.nurse();
    String patientId = shared.patientId();
    TsunaguNode home = shared.home();
    TsunaguNode member = shared.member();
    long looksBefore = team(member).destinationLooks();

    for (int i = 1; i <= WRITES; i++) {
      assertThat(doctor.post("/api/v1/patients/" + patientId + "/posts", note("往診 " + i)).status()).isEqualTo(201);
      eventually("post " + i + " is on the member's replica", () -> settledAndBack(home, member, patientId, ownReads));
    }
    // each apply announced the board; with no write of the member waiting, the announcement read nothing (it was a
    // look at the board and the outbox for each event received)
    assertThat(team(member).destinationLooks() - looksBefore).as("looks at where the board goes on the member node"
        + " for %d events received", WRITES).isZero();

    // a write of the member still goes, and comes back
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("その後の訪問看護。")).status()).isEqualTo(201);
    eventually("the member's write after them is settled and back", () -> settledAndBack(home, member, patientId,
        ownReads));
  }

  /** ina's doctor and minamiminowa's nurse sharing a patient, and the nodes they write through. */
  private record Shared(CareClient doctor, CareClient nurse, String patientId, TsunaguNode home, TsunaguNode member) {}

  /**
   * Starts ina (the home) and minamiminowa (the member), shares a patient of {@code surname} between ina's doctor
   * and minamiminowa's nurse, and waits until the nurse's first write is settled and back on the member's replica.
   */
  private Shared firstWriteSettledAndBack(String surname, AtomicLong ownReads) throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", surname);
    TsunaguNode home = bed.node("ina");
    TsunaguNode member = bed.node("minamiminowa");
    assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("最初の訪問看護。")).status()).isEqualTo(201);
    eventually("the first write is settled and back", () -> settledAndBack(home, member, patientId, ownReads));
    return new Shared(doctor, nurse, patientId, home, member);
  }

  /** The member's outbox is empty and its replica holds the home node's log, every event signed (reads counted). */
  private static boolean settledAndBack(TsunaguNode home, TsunaguNode member, String boardId, AtomicLong ownReads) {
    ownReads.addAndGet(2);
    long memberHead = head(member, boardId);
    return waitingInOutbox(member) == 0 && memberHead == head(home, boardId) && memberHead > 0;
  }
}
