package jp.tsunagu.federation.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import jp.tsunagu.federation.ProtocolException;

/**
 * Walks a node's audit log from the first row and reports the first broken link: a row whose
 * sequence number is not the next one (a deletion or an insertion), whose {@code prev_hash} is not
 * the hash of the row before, or whose own hash does not match its fields (a modification).
 * Opens the database read-only, so it can run beside a live node. Needs only {@code java.sql}; the
 * caller puts the SQLite JDBC driver on the class path.
 */
public final class AuditChainVerifier {

    /** The outcome: how many rows were checked and, when broken, where and why. */
    public record Result(long rowsChecked, long firstBrokenSeq, String problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    private AuditChainVerifier() {}

    /** SQLite's SQLITE_OPEN_READONLY flag, as the JDBC driver's {@code open_mode} property. */
    private static final String READ_ONLY = "1";

    /**
     * Verifies the audit log of the node whose data directory is {@code dataDir}.
     *
     * @throws ProtocolException {@code audit.database_missing} when DIR holds no node database,
     *     {@code audit.unreadable} when it cannot be read as one
     */
    public static Result verify(Path dataDir) {
        Path file = dataDir.resolve("tsunagu.db");
        if (!Files.isRegularFile(file)) {
            throw new ProtocolException("audit.database_missing", "no node database at " + file);
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("open_mode", READ_ONLY);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), readOnly)) {
            return verify(connection);
        } catch (SQLException e) {
            throw new ProtocolException("audit.unreadable", "cannot read the audit log in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Verifies the audit log reachable through an open connection. */
    public static Result verify(Connection connection) throws SQLException {
        String sql = "select seq, at, actor, action, target, outcome, detail, prev_hash, hash from audit_log order by seq";
        long expectedSeq = 1;
        String prev = AuditHash.GENESIS;
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq != expectedSeq) {
                    return new Result(expectedSeq - 1, expectedSeq, "expected row " + expectedSeq + " but found row " + seq
                            + " (a row was deleted or inserted)");
                }
                if (!prev.equals(rs.getString(8))) {
                    return new Result(seq - 1, seq, "row " + seq + " does not link to the hash of row " + (seq - 1));
                }
                String hash = AuditHash.of(prev, seq, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7));
                if (!hash.equals(rs.getString(9))) {
                    return new Result(seq - 1, seq, "row " + seq + " was modified (its hash does not match its contents)");
                }
                prev = hash;
                expectedSeq++;
            }
        }
        return new Result(expectedSeq - 1, 0, null);
    }
}
