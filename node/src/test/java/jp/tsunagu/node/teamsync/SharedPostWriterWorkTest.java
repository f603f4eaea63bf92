package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a post on a shared board costs the home node's single database writer beyond the same post on a board no
 * partner is on (issue 25, item 2): the event's draft and its two rows, nothing read twice. Counted in the
 * write's own work on the writer thread, where nothing else runs meanwhile.
 */
class SharedPostWriterWorkTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  @Test
  void a_post_on_a_shared_board_costs_the_writer_at_most_six_statements_more_than_on_a_board_no_partner_is_on() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String sharedPatient = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "梅沢");
    String localPatient = doctor.post("/api/v1/patients", CrossNodeTestbed.patient("秋葉", "202096")).json()
        .getString("id");
    TsunaguNode ina = bed.node("ina");

    long local = statementsOfPost(ina, doctor.userId, localPatient);
    long shared = statementsOfPost(ina, doctor.userId, sharedPatient);

    // the draft: the post, its attachments, its vitals, the author's profile; then the event's two rows (V258)
    assertThat(shared - local).as("statements a shared post adds to the writer's transaction").isLessThanOrEqualTo(6);
    assertThat(CrossNodeTestbed.count(ina, "select count(*) from team_events where board_id = ?", localPatient))
        .as("a board no partner is on logs nothing").isZero();
  }

  /** The write statements a post made as the post route makes it, counted inside its own work. */
  private static long statementsOfPost(TsunaguNode node, String doctorId, String patientId) {
    Database database = node.services().database();
    TeamSync sync = node.feature(TeamSyncFeature.class).team();
    CareActor doctor = CrossNodeTestbed.actor(node, doctorId);
    return database.submitWrite(c -> {
      long before = database.workCounts().writeStatements();
      String postId = CareIds.next();
      PostSql.insert(c, new PostSql.NewPost(postId, patientId, doctor, "連絡", "note", "訪問看護。血圧 128/76。", null,
          null, List.of(), List.of()), node.services().clock().instant().toString());
      sync.log().record(c, patientId, d -> sync.log().events().post(d, postId));
      return database.workCounts().writeStatements() - before;
    }).join();
  }
}
