package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.federation.audit.AuditHash;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify} against a real SQLite file with the node's own audit schema (read from the
 * node's migration), written row by row as the node writes it with the node's signed checkpoint
 * beside it, then tampered with as an attacker who dropped the append-only triggers would.
 */
class AuditVerifyCommandTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path backup;

    NodeIdentity node;

    private Connection open() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tsunagu.db"));
    }

    @BeforeEach
    void aNodeDatabaseWithFiveAuditRows() throws Exception {
        String schema = Files.readString(repositoryFile("node/src/main/resources/db/migration/V4__audit.sql"));
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            for (String sql : schema.split(";\\s*\\n(?=\\s*(create|--|$))")) {
                if (!sql.isBlank()) {
                    statement.execute(sql.trim().endsWith("end") ? sql + ";" : sql);
                }
            }
            String prev = AuditHash.GENESIS;
            for (int seq = 1; seq <= 5; seq++) {
                prev = append(connection, seq, prev, "login.success", "user:tanaka");
            }
            // As the node does after each commit: the head, signed with the node's key, beside the database.
            node = NodeIdentity.create(dataDir.resolve("identity"), new NodeProfile("ina", "いーな",
                    List.of(MunicipalityCode.parse("202096")), URI.create("https://ina.example.jp:9443")));
            AuditCheckpoint.write(dataDir.resolve(AuditCheckpoint.FILE),
                    new AuditCheckpoint("ina", 5, prev, Instant.parse("2026-11-21T09:06:00Z")).sign(node));
        }
    }

    private static String append(Connection connection, long seq, String prev, String action, String target)
            throws Exception {
        String at = "2026-11-21T09:0" + seq + ":00Z";
        String hash = AuditHash.of(prev, seq, at, "user:tanaka", action, target, "ok", "{}");
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into audit_log(seq, at, actor, action, target, outcome, detail, prev_hash, hash)"
                        + " values (?, ?, 'user:tanaka', ?, ?, 'ok', '{}', ?, ?)")) {
            insert.setLong(1, seq);
            insert.setString(2, at);
            insert.setString(3, action);
            insert.setString(4, target);
            insert.setString(5, prev);
            insert.setString(6, hash);
            insert.executeUpdate();
        }
        return hash;
    }

    private void tamper(String... sql) throws Exception {
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            statement.execute("drop trigger audit_log_no_update");
            statement.execute("drop trigger audit_log_no_delete");
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    @Test
    void an_untouched_log_verifies_with_exit_0() {
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("audit log intact: 5 rows").contains("signed checkpoint of 2026-11-21T09:06:00Z");
    }

    @Test
    void a_modified_row_is_named_with_exit_1() throws Exception {
        tamper("update audit_log set target = 'patient:999' where seq = 3");
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("BROKEN at row 3").contains("modified");
    }

    @Test
    void a_deleted_row_is_named_with_exit_1() throws Exception {
        tamper("delete from audit_log where seq = 2");
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("BROKEN at row 2");
    }

    @Test
    void an_inserted_row_is_named_with_exit_1() throws Exception {
        tamper("update audit_log set seq = seq + 100 where seq >= 4",
                "update audit_log set seq = seq - 99 where seq >= 100",
                "insert into audit_log values (4, '2026-11-21T09:03:30Z', 'user:x', 'patient.read', 'patient:1',"
                        + " 'ok', '{}', 'forged', 'forged')");
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("BROKEN at row 4");
    }

    @Test
    void deleting_the_last_rows_is_named_with_exit_1() throws Exception {
        tamper("delete from audit_log where seq >= 4");
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("BROKEN at row 4").contains("rows 4 to 5 were deleted");
    }

    @Test
    void a_rollback_of_the_database_with_its_checkpoint_is_found_against_a_copy_kept_elsewhere() throws Exception {
        Path copy = Files.copy(dataDir.resolve(AuditCheckpoint.FILE), backup.resolve(AuditCheckpoint.FILE));
        tamper("delete from audit_log where seq >= 4");
        String hash3;
        try (Connection connection = open(); Statement statement = connection.createStatement();
                var rs = statement.executeQuery("select hash from audit_log where seq = 3")) {
            hash3 = rs.getString(1);
        }
        AuditCheckpoint.write(dataDir.resolve(AuditCheckpoint.FILE),
                new AuditCheckpoint("ina", 3, hash3, Instant.parse("2026-11-21T09:04:00Z")).sign(node));
        assertThat(Cli.run("audit", "verify", "--data", dataDir).exitCode()).isZero();
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir, "--checkpoint", copy);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("BROKEN at row 4").contains("rows 4 to 5 were deleted");
    }

    @Test
    void a_log_without_its_checkpoint_is_reported_with_exit_1() throws Exception {
        Files.delete(dataDir.resolve(AuditCheckpoint.FILE));
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(result.out()).contains("no signed checkpoint");
    }

    @Test
    void a_directory_without_a_node_database_is_an_input_error() {
        Cli.Result result = Cli.run("audit", "verify", "--data", dataDir.resolve("nowhere"));
        assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(result.err()).startsWith("error: audit.database_missing:");
    }

    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above the working directory");
    }
}
