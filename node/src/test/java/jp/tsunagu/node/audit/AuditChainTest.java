package jp.tsunagu.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.federation.audit.AuditHash;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit log's hash chain, its signed checkpoint and {@code audit verify}: any modification,
 * deletion or insertion is found, and so are rows deleted at the end. A real node writes ten
 * events once; each test tampers with its own copy of that data directory.
 */
class AuditChainTest {

  @TempDir
  static Path template;

  @TempDir
  Path dir;

  Path dataDir;

  @BeforeAll
  static void aNodeWritesTenEvents() throws Exception {
    NodeConfig config = TestNodes.config(template, "minowa");
    try (TsunaguNode node = TsunaguNode.start(config)) {
      AuditLog log = new AuditLog(node.services().database(), Clock.systemUTC());
      for (int i = 1; i <= 10; i++) {
        log.record(AuditEvent.success("user-" + i, "login.succeeded", "user:user-" + i,
            new JsonObject().put("n", i))).toCompletionStage().toCompletableFuture().join();
      }
      // Beside the running node: the checkpoint follows each commit, on its own thread.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (checkpointOf(config.dataDir()).seq() < 10 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(checkpointOf(config.dataDir()).seq()).isEqualTo(10);
      assertThat(AuditChainVerifier.verify(config.dataDir()).intact()).isTrue();
    }
  }

  @BeforeEach
  void copyTheDataDirectory() throws IOException {
    Path source = TestNodes.config(template, "minowa").dataDir();
    dataDir = dir.resolve("minowa-data");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, dataDir.resolve(source.relativize(file).toString()));
      }
    }
  }

  static AuditCheckpoint checkpointOf(Path dataDir) {
    return AuditCheckpoint.read(dataDir.resolve(AuditCheckpoint.FILE)).map(text -> AuditCheckpoint.verify(text,
        TrustStore.empty().with(NodeIdentity.load(dataDir.resolve("identity")).card())))
        .orElse(new AuditCheckpoint("none", 0, "", Instant.EPOCH));
  }

  @Test
  void an_untouched_log_verifies_with_exit_0() {
    assertThat(run()).isEqualTo(0);
    assertThat(out.toString()).contains("intact: 10 rows").contains("signed checkpoint").contains("(row 10)");
  }

  @Test
  void deleting_the_last_rows_is_reported_although_the_shorter_chain_is_intact() throws Exception {
    tamper("delete from audit_log where seq >= 9");
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 9").contains("rows 9 to 10 were deleted");
  }

  @Test
  void replacing_the_last_rows_by_a_freshly_chained_forgery_is_reported() throws Exception {
    tamper("delete from audit_log where seq >= 9");
    String prev;
    try (Connection c = connect(); Statement s = c.createStatement();
        var rs = s.executeQuery("select hash from audit_log where seq = 8")) {
      prev = rs.getString(1);
    }
    for (long seq = 9; seq <= 11; seq++) {
      String at = "2026-11-21T09:00:0" + seq % 10 + "Z";
      String hash = AuditHash.of(prev, seq, at, "intruder", "login.succeeded", "user:x", "success", "{}");
      tamper("insert into audit_log values (" + seq + ", '" + at + "', 'intruder', 'login.succeeded', 'user:x',"
          + " 'success', '{}', '" + prev + "', '" + hash + "')");
      prev = hash;
    }
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 10").contains("rewritten");
  }

  @Test
  void the_database_and_its_checkpoint_rolled_back_together_are_found_with_a_copy_kept_elsewhere()
      throws Exception {
    Path copy = Files.copy(dataDir.resolve(AuditCheckpoint.FILE), dir.resolve("backup-checkpoint.jws"));
    // An older matching pair, as a backup of both would give: the log ends at row 8, so does its checkpoint.
    tamper("delete from audit_log where seq >= 9");
    String hash8;
    try (Connection c = connect(); Statement s = c.createStatement();
        var rs = s.executeQuery("select hash from audit_log where seq = 8")) {
      hash8 = rs.getString(1);
    }
    AuditCheckpoint.write(dataDir.resolve(AuditCheckpoint.FILE), new AuditCheckpoint("minowa", 8, hash8,
        Instant.now()).sign(NodeIdentity.load(dataDir.resolve("identity"))));
    assertThat(run()).as("the pair alone is consistent").isZero();
    assertThat(run("--checkpoint", copy.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 9").contains("copy of the node's checkpoint")
        .contains("rows 9 to 10 were deleted");
  }

  @Test
  void a_deleted_checkpoint_is_reported() throws Exception {
    Files.delete(dataDir.resolve(AuditCheckpoint.FILE));
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("no signed checkpoint");
  }

  @Test
  void a_checkpoint_signed_with_another_key_is_reported() throws Exception {
    NodeIdentity stranger = NodeIdentity.create(dir.resolve("stranger"),
        NodeIdentity.load(dataDir.resolve("identity")).profile());
    AuditCheckpoint own = checkpointOf(dataDir);
    AuditCheckpoint.write(dataDir.resolve(AuditCheckpoint.FILE), own.sign(stranger));
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("not a checkpoint signed by this node");
  }

  @Test
  void a_corrupt_checkpoint_file_is_kept_as_evidence_and_the_node_starts_and_covers_its_rows_afresh() throws Exception {
    Files.write(dataDir.resolve(AuditCheckpoint.FILE), new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, (byte) 0x80});
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("is corrupt");
    NodeConfig config = new ConfigLoader(name -> null)
        .fromJson(TestNodes.json("minowa").put("dataDir", dataDir.toString()), dir);
    try (TsunaguNode node = TsunaguNode.start(config)) {
      assertThat(node.services().database()).isNotNull();
    }
    assertThat(checkpointOf(dataDir).seq()).as("the rows are covered by a fresh checkpoint").isEqualTo(10);
    try (Stream<Path> kept = Files.list(dataDir)) {
      assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(AuditCheckpoint.CONFLICT_PREFIX));
    }
  }

  @Test
  void a_node_started_on_a_truncated_log_keeps_the_old_checkpoint_as_evidence_and_covers_new_rows() throws Exception {
    tamper("delete from audit_log where seq >= 9");
    NodeConfig config = new ConfigLoader(name -> null)
        .fromJson(TestNodes.json("minowa").put("dataDir", dataDir.toString()), dir);
    try (TsunaguNode node = TsunaguNode.start(config)) {
      new AuditLog(node.services().database(), Clock.systemUTC()).record(AuditEvent.success("user-11",
          "login.succeeded", "user:user-11", null)).toCompletionStage().toCompletableFuture().join();
    }
    assertThat(checkpointOf(dataDir).seq()).as("new rows are covered again").isEqualTo(9);
    try (Stream<Path> kept = Files.list(dataDir)) {
      assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(AuditCheckpoint.CONFLICT_PREFIX));
    }
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("kept in " + AuditCheckpoint.CONFLICT_PREFIX).contains("were deleted");
  }

  @Test
  void the_node_itself_cannot_update_or_delete_audit_rows() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("update audit_log set actor = 'x' where seq = 3"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("delete from audit_log where seq = 3"))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void a_modified_row_is_reported_as_the_first_broken_link() throws Exception {
    tamper("update audit_log set actor = 'someone-else' where seq = 4");
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 4").contains("modified");
  }

  @Test
  void a_deleted_row_is_reported() throws Exception {
    tamper("delete from audit_log where seq = 6");
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 6").contains("deleted or inserted");
  }

  @Test
  void an_inserted_row_is_reported() throws Exception {
    tamper("update audit_log set seq = -seq where seq >= 8");
    tamper("update audit_log set seq = 1 - seq where seq < 0");
    tamper("insert into audit_log values (8, '2026-01-01T00:00:00Z', 'intruder', 'login.succeeded', 'user:x',"
        + " 'success', '{}', (select hash from audit_log where seq = 7), 'forged')");
    assertThat(run()).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at row 8");
  }

  @Test
  void a_missing_database_is_exit_2() {
    dataDir = dir.resolve("nowhere");
    assertThat(run()).isEqualTo(2);
  }

  private final StringWriter out = new StringWriter();

  private int run(String... more) {
    CommandLine commandLine = NodeMain.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--data", dataDir.toString()));
    args.addAll(List.of(more));
    return commandLine.execute(args.toArray(String[]::new));
  }

  /** What an attacker with the database file does: drop the guards, then change history. */
  private void tamper(String sql) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("drop trigger if exists audit_log_no_update");
      s.execute("drop trigger if exists audit_log_no_delete");
      s.executeUpdate(sql);
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tsunagu.db"));
  }
}
