package jp.tsunagu.node.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit log's hash chain and {@code audit verify}: any modification, deletion or insertion is found. */
class AuditChainTest {

  @TempDir
  Path dir;

  Path dataDir;

  @BeforeEach
  void writeTenEvents() {
    NodeConfig config = TestNodes.config(dir, "minowa");
    dataDir = config.dataDir();
    dataDir.toFile().mkdirs();
    try (Database database = Database.open(config.databaseFile(), config.storage())) {
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      for (int i = 1; i <= 10; i++) {
        log.record(AuditEvent.success("user-" + i, "login.succeeded", "user:user-" + i,
            new JsonObject().put("n", i))).toCompletionStage().toCompletableFuture().join();
      }
    }
  }

  @Test
  void an_untouched_log_verifies_with_exit_0() {
    assertThat(run()).isEqualTo(0);
    assertThat(out.toString()).contains("intact: 10 rows");
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

  private int run() {
    CommandLine commandLine = NodeMain.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    return commandLine.execute("audit", "verify", "--data", dataDir.toString());
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
