package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.audit.AuditCheckpoint;

/**
 * Turns a checked extraction into the data directory a drill node starts on. What would let it act
 * as the real node goes: the identity (with or without private keys: the drill node makes a fresh
 * one), the user CA, and the audit checkpoint signed with the real node's key (the drill node could
 * not verify it and would keep it as a conflict; the chain was verified before).
 */
final class DrillCopy {
    private static final List<String> NOT_FOR_A_DRILL = List.of("identity", "user-ca", AuditCheckpoint.FILE);

    private DrillCopy() {
    }

    /** @return drill-node.json, written into the copy */
    static Path prepare(Path copy, int adminPort, PrintWriter err) throws IOException {
        for (String name : NOT_FOR_A_DRILL) {
            Path path = copy.resolve(name);
            if (Files.isDirectory(path)) {
                WorkDirs.delete(path, err);
            } else {
                Files.deleteIfExists(path);
            }
        }
        return DrillConfig.write(copy, adminPort);
    }

    /** @return the operator token the drill node made at its start */
    static String token(Path copy) {
        try {
            return Files.readString(copy.resolve("admin-token"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CliException(ExitCodes.NODE, "drill.node_not_ready: the drill node made no admin-token: " + e.getMessage(), e);
        }
    }
}
