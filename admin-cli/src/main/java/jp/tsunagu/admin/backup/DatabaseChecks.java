package jp.tsunagu.admin.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.backup.BackupManifest;

/**
 * The checks of an extracted backup's database beyond its SHA-256 in the manifest (which proves only
 * that the file is the one the node wrote): SQLite's own integrity check, the audit chain against
 * the backup's checkpoint and manifest, and each table's row count against the manifest. Each opens
 * the database read-only, so a check can never change what it checks.
 */
final class DatabaseChecks {
    private DatabaseChecks() {
    }

    /** Runs the three checks as steps. */
    static void all(Steps steps, Path dataDir, BackupManifest manifest) {
        Path database = dataDir.resolve(AuditChainVerifier.DATABASE);
        steps.run("database integrity", () -> unreadableIsCorrupt(() -> integrity(database)), detail -> detail);
        steps.run("audit chain", () -> unreadableIsCorrupt(() -> audit(dataDir, manifest)), detail -> detail);
        steps.run("row counts", () -> unreadableIsCorrupt(() -> rowCounts(database, manifest.rowCounts())), detail -> detail);
    }

    private interface Check {
        String run() throws SQLException;
    }

    /** The file matched its SHA-256, so SQLite failing to read it means the node backed up a damaged database. */
    private static String unreadableIsCorrupt(Check check) {
        try {
            return check.run();
        } catch (SQLException e) {
            throw new ProtocolException("backup.database_corrupt", "SQLite cannot read the backed-up database: " + e.getMessage(), e);
        }
    }

    /** {@code PRAGMA integrity_check}: reads every page, index and constraint of the file. */
    static String integrity(Path database) throws SQLException {
        try (Connection connection = readOnly(database); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("pragma integrity_check")) {
            List<String> problems = new ArrayList<>();
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
            if (problems.equals(List.of("ok"))) {
                return "integrity_check ok";
            }
            throw new ProtocolException("backup.database_corrupt", "SQLite's integrity check of the backed-up database "
                    + "found: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
    }

    /**
     * The audit chain from its first row, and its end against the backup's checkpoint, whose
     * signature is verified with the node's public card ({@code identity/card.json}, in every backup,
     * keys or not), and against the manifest (both name the snapshot's head).
     */
    static String audit(Path dataDir, BackupManifest manifest) throws SQLException {
        AuditChainVerifier.Result result = AuditChainVerifier.verify(dataDir, List.of());
        if (!result.intact()) {
            throw new ProtocolException("backup.audit_broken", "the backed-up audit log is broken"
                    + (result.firstBrokenSeq() > 0 ? " at row " + result.firstBrokenSeq() : "") + ": " + result.problem());
        }
        if (result.rowsChecked() > 0 && result.checkpoint().isEmpty()) {
            throw new ProtocolException("backup.audit_broken", "the backup holds no audit checkpoint for its "
                    + result.rowsChecked() + " audit rows");
        }
        String headHash = hashAt(dataDir.resolve(AuditChainVerifier.DATABASE), result.rowsChecked());
        if (result.rowsChecked() != manifest.auditSeq() || !headHash.equals(manifest.auditHash())) {
            throw new ProtocolException("backup.audit_broken", "the backed-up audit log ends at row " + result.rowsChecked()
                    + " but the manifest names row " + manifest.auditSeq() + (result.rowsChecked() == manifest.auditSeq()
                            ? " with another hash" : ""));
        }
        return result.rowsChecked() + " rows, chain verified, its end matches the node's signed checkpoint and the manifest";
    }

    private static String hashAt(Path database, long seq) throws SQLException {
        if (seq == 0) {
            return "";
        }
        try (Connection connection = readOnly(database);
                PreparedStatement statement = connection.prepareStatement("select hash from audit_log where seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /** Counts every table the manifest counted; the snapshot's counts must be exactly these. */
    static String rowCounts(Path database, Map<String, Long> expected) throws SQLException {
        List<String> differences = new ArrayList<>();
        long rows = 0;
        try (Connection connection = readOnly(database); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, Long> table : expected.entrySet()) {
                long actual = count(statement, table.getKey());
                rows += actual;
                if (actual != table.getValue()) {
                    differences.add(table.getKey() + " " + (actual < 0 ? "missing" : actual) + " (manifest " + table.getValue() + ")");
                }
            }
        }
        if (!differences.isEmpty()) {
            throw new ProtocolException("backup.row_counts_differ", "row counts differ from the manifest: "
                    + String.join(", ", differences));
        }
        return expected.size() + " tables, " + rows + " rows as in the manifest";
    }

    /** @return the table's rows, or -1 when the database has no such table */
    static long count(Statement statement, String table) throws SQLException {
        if (!table.matches("[A-Za-z0-9_]{1,64}")) {
            throw new ProtocolException("backup.tampered", "the manifest counts a table named '" + table + "'");
        }
        try (ResultSet exists = statement.executeQuery(
                "select count(*) from sqlite_master where type = 'table' and name = '" + table + "'")) {
            if (exists.next() && exists.getLong(1) == 0) {
                return -1;
            }
        }
        try (ResultSet rs = statement.executeQuery("select count(*) from \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection readOnly(Path database) throws SQLException {
        if (!Files.isRegularFile(database)) {
            throw new ProtocolException("backup.tampered", "the backup holds no database " + database.getFileName());
        }
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        return DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath(), properties);
    }
}
