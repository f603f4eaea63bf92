package jp.tsunagu.node.care.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.storage.WorkCounts;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an audited read of a patient costs a single instance: the same as before a clustered node's
 * followers sent their audit records to the leader (a single instance writes its own, as always).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditedReadCostTest {

  @TempDir
  static Path dir;
  @AutoClose
  CareTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.clinicDoctor("dr-cost");
    patient = CareTestbed.registered(doctor, CareApiTest.patient("費用", "ハナ", "ヒヨウ", "ハナ", "1931-04-04"));
  }

  @Test
  void an_audited_read_on_a_single_instance_writes_its_audit_row_in_one_write_and_one_commit() throws Exception {
    long audited = bed.audited("care.patient.read", "patient:" + patient);
    List<WorkCounts> seen = new ArrayList<>();
    long fewestWriteJobs = Long.MAX_VALUE;
    long fewestWrites = Long.MAX_VALUE;
    long fewestCommits = Long.MAX_VALUE;
    // The fewest of a few: the node's own periodic work may write beside one of them.
    for (int i = 0; i < 5; i++) {
      WorkCounts before = bed.node.services().database().workCounts();
      assertThat(doctor.get("/api/v1/patients/" + patient).status()).isEqualTo(200);
      WorkCounts used = bed.node.services().database().workCounts().minus(before);
      seen.add(used);
      fewestWriteJobs = Math.min(fewestWriteJobs, used.writes());
      fewestWrites = Math.min(fewestWrites, used.writeStatements());
      fewestCommits = Math.min(fewestCommits, used.commits());
    }
    // The audit row's insert, and the writer's one look at the touch tables that the commit hooks read
    // (begin and commit are the writer's own statements, not counted): the timeline cache's boards and
    // read receipts, the live events and the authors' places in one statement, where each had its own
    // before (five in all); as before followers relayed theirs.
    assertThat(fewestWrites).as("%s", seen).isEqualTo(2);
    assertThat(fewestWriteJobs).as("%s", seen).isEqualTo(1);
    assertThat(fewestCommits).as("%s", seen).isEqualTo(1);
    assertThat(bed.audited("care.patient.read", "patient:" + patient)).isEqualTo(audited + 5);
  }
}
