package jp.tsunagu.federation.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.jws.TrustStore;

/**
 * Walks a node's audit log from the first row and reports the first broken link: a row whose
 * sequence number is not the next one (a deletion or an insertion), whose {@code prev_hash} is not
 * the hash of the row before, or whose own hash does not match its fields (a modification). Then
 * compares the end of the log with the node's signed {@link AuditCheckpoint}s: rows cut off at the
 * end, or a log rewritten from some row on, do not match the last row the node signed for.
 * Opens the database read-only, so it can run beside a live node. Needs only {@code java.sql}; the
 * caller puts the SQLite JDBC driver on the class path.
 */
public final class AuditChainVerifier {

    /**
     * The outcome: how many rows were checked and, when broken, where and why.
     *
     * @param rowsChecked    rows of the chain that verified
     * @param firstBrokenSeq the first row that does not, or 0 when the problem is not one row
     * @param problem        what is wrong, or null when intact
     * @param checkpoint     the node's signed checkpoint the end of the log was compared with
     */
    public record Result(long rowsChecked, long firstBrokenSeq, String problem, Optional<AuditCheckpoint> checkpoint) {
        /** @return whether the log is intact up to the node's checkpoint */
        public boolean intact() {
            return problem == null;
        }

        /** @return the lines both command lines print */
        public List<String> report() {
            if (intact()) {
                return List.of("audit log intact: " + rowsChecked + " rows, chain verified" + checkpoint
                        .map(c -> ", its end matches the node's signed checkpoint of " + c.at() + " (row " + c.seq() + ")")
                        .orElse(""));
            }
            return List.of("audit log BROKEN" + (firstBrokenSeq > 0 ? " at row " + firstBrokenSeq : "") + ": " + problem,
                    rowsChecked + " rows of the chain verified");
        }
    }

    /** The database file in a node's data directory. */
    public static final String DATABASE = "tsunagu.db";
    /** The node's identity directory inside its data directory (its signing keys verify checkpoints). */
    public static final String IDENTITY = "identity";
    /** The public card a backup keeps in the identity directory, for checkpoints without the private keys. */
    public static final String CARD = "card.json";

    /** SQLite's SQLITE_OPEN_READONLY flag, as the JDBC driver's {@code open_mode} property. */
    private static final String READ_ONLY = "1";

    private AuditChainVerifier() {}

    /** A checkpoint file and what it says. */
    private record Signed(Path file, AuditCheckpoint checkpoint) {}

    /**
     * Verifies the audit log of the node whose data directory is {@code dataDir}: the chain, then
     * its end against the current checkpoint and any checkpoint the node kept as a conflict.
     *
     * @throws ProtocolException {@code audit.database_missing} when DIR holds no node database,
     *     {@code audit.unreadable} when it cannot be read as one, {@code identity.*} when a
     *     checkpoint exists but the node's identity cannot be loaded to verify it
     */
    public static Result verify(Path dataDir) {
        return verify(dataDir, List.of());
    }

    /**
     * As {@link #verify(Path)}, and also against copies of the node's checkpoint kept elsewhere
     * (with the backups, on another machine): someone able to roll back both the database and its
     * checkpoint file to an older matching pair still leaves the log ending before, or differing
     * at, the row such a later copy names.
     *
     * @param kept checkpoint files copied from the data directory earlier
     * @throws ProtocolException as {@link #verify(Path)}, and {@code audit.unreadable} for a kept
     *     file that cannot be read
     */
    public static Result verify(Path dataDir, List<Path> kept) {
        Path file = dataDir.resolve(DATABASE);
        if (!Files.isRegularFile(file)) {
            throw new ProtocolException("audit.database_missing", "no node database at " + file);
        }
        // Checkpoints first: one the node writes while the log is read covers rows the walk may miss.
        List<Signed> checkpoints = new ArrayList<>();
        String unverified = readCheckpoints(dataDir, kept, checkpoints);
        Properties readOnly = new Properties();
        readOnly.setProperty("open_mode", READ_ONLY);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), readOnly)) {
            Map<Long, String> wanted = new HashMap<>();
            checkpoints.forEach(s -> wanted.put(s.checkpoint().seq(), null));
            Result chain = walk(connection, wanted);
            Optional<AuditCheckpoint> current = checkpoints.stream()
                    .filter(s -> s.file().getFileName().toString().equals(AuditCheckpoint.FILE)).findFirst()
                    .map(Signed::checkpoint);
            if (!chain.intact()) {
                return new Result(chain.rowsChecked(), chain.firstBrokenSeq(), chain.problem(), current);
            }
            if (unverified != null) {
                return new Result(chain.rowsChecked(), 0, unverified, current);
            }
            if (current.isEmpty() && chain.rowsChecked() > 0) {
                return new Result(chain.rowsChecked(), 0, "there is no signed checkpoint (" + AuditCheckpoint.FILE
                        + ") to compare the end of the log with: rows deleted at the end would go unnoticed", current);
            }
            for (Signed signed : checkpoints) {
                String problem = compare(signed, chain.rowsChecked(), wanted.get(signed.checkpoint().seq()));
                if (problem != null) {
                    long row = Math.min(signed.checkpoint().seq(), chain.rowsChecked() + 1);
                    return new Result(chain.rowsChecked(), row, problem, current);
                }
            }
            return new Result(chain.rowsChecked(), 0, null, current);
        } catch (SQLException e) {
            throw new ProtocolException("audit.unreadable", "cannot read the audit log in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String compare(Signed signed, long rows, String hashAtSeq) {
        AuditCheckpoint checkpoint = signed.checkpoint();
        String name = signed.file().getFileName().toString();
        String which = name.equals(AuditCheckpoint.FILE) ? "the node's signed checkpoint of " + checkpoint.at()
                : name.startsWith(AuditCheckpoint.CONFLICT_PREFIX) ? "the checkpoint of " + checkpoint.at()
                        + " the node kept in " + name + " when it found the log no longer matching it"
                : "the copy of the node's checkpoint of " + checkpoint.at() + " kept in " + signed.file();
        if (rows < checkpoint.seq()) {
            return "the log ends at row " + rows + " but " + which + " covers row " + checkpoint.seq()
                    + ": rows " + (rows + 1) + " to " + checkpoint.seq() + " were deleted";
        }
        if (!checkpoint.hash().equals(hashAtSeq)) {
            return "row " + checkpoint.seq() + " is not the row " + which + " covers: the log was rewritten";
        }
        return null;
    }

    /** Fills {@code out} with the verified checkpoints; returns a problem when one does not verify. */
    private static String readCheckpoints(Path dataDir, List<Path> kept, List<Signed> out) {
        List<Path> files = new ArrayList<>();
        Path current = dataDir.resolve(AuditCheckpoint.FILE);
        if (Files.isRegularFile(current)) {
            files.add(current);
        }
        for (Path copy : kept) {
            if (!Files.isRegularFile(copy)) {
                throw new ProtocolException("audit.unreadable", "no checkpoint file at " + copy);
            }
            files.add(copy);
        }
        try (Stream<Path> list = Files.list(dataDir)) {
            list.filter(p -> p.getFileName().toString().startsWith(AuditCheckpoint.CONFLICT_PREFIX)).sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new ProtocolException("audit.unreadable", "cannot list " + dataDir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            return null;
        }
        TrustStore trust = TrustStore.empty().with(card(dataDir.resolve(IDENTITY)));
        for (Path file : files) {
            try {
                out.add(new Signed(file, AuditCheckpoint.verify(AuditCheckpoint.read(file).orElseThrow(), trust)));
            } catch (ProtocolException e) {
                return file + " is not a checkpoint signed by this node (" + e.code() + ": "
                        + e.getMessage() + ")";
            }
        }
        return null;
    }

    /**
     * The node's public card: from its identity, or, where the private keys are not there (a backup
     * restored without them), from the card the backup keeps beside it ({@value #CARD}).
     */
    private static NodeCard card(Path identityDir) {
        Path card = identityDir.resolve(CARD);
        if (!Files.isDirectory(identityDir.resolve("signing")) && Files.isRegularFile(card)) {
            try {
                return NodeCard.parse(Files.readString(card, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ProtocolException("audit.unreadable", "cannot read " + card + ": " + e.getMessage(), e);
            }
        }
        return NodeIdentity.load(identityDir).card();
    }

    /** Verifies the chain reachable through an open connection (no checkpoint). */
    public static Result verify(Connection connection) throws SQLException {
        return walk(connection, new HashMap<>());
    }

    /** The chain walk; puts the hash of each row whose seq is a key of {@code hashes} into it. */
    private static Result walk(Connection connection, Map<Long, String> hashes) throws SQLException {
        String sql = "select seq, at, actor, action, target, outcome, detail, prev_hash, hash from audit_log order by seq";
        long expectedSeq = 1;
        String prev = AuditHash.GENESIS;
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq != expectedSeq) {
                    return broken(expectedSeq - 1, expectedSeq, "expected row " + expectedSeq + " but found row " + seq
                            + " (a row was deleted or inserted)");
                }
                if (!prev.equals(rs.getString(8))) {
                    return broken(seq - 1, seq, "row " + seq + " does not link to the hash of row " + (seq - 1));
                }
                String hash = AuditHash.of(prev, seq, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7));
                if (!hash.equals(rs.getString(9))) {
                    return broken(seq - 1, seq, "row " + seq + " was modified (its hash does not match its contents)");
                }
                if (hashes.containsKey(seq)) {
                    hashes.put(seq, hash);
                }
                prev = hash;
                expectedSeq++;
            }
        }
        return new Result(expectedSeq - 1, 0, null, Optional.empty());
    }

    private static Result broken(long rowsChecked, long seq, String problem) {
        return new Result(rowsChecked, seq, problem, Optional.empty());
    }
}
