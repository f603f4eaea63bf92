package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;

/**
 * Restores a backup as a node's data directory. Everything happens in a hidden sibling of the
 * destination, which is renamed into place only after every check passed: a failed restore leaves
 * no destination, and a half-restored directory can never be mistaken for a node.
 */
final class Restorer {
    /** The configuration file a restore writes into the restored directory. */
    static final String CONFIG = "node.json";

    private Restorer() {
    }

    /**
     * Refuses a destination that holds anything: above all a node's data directory (a node may be
     * running on it, and a restore must never mix two databases).
     *
     * @throws CliException exit 3 with {@code backup.restore_over_node} or {@code backup.restore_not_empty}
     */
    static void refuseOccupied(Path to) {
        try {
            if (Files.isRegularFile(to.resolve(AuditChainVerifier.DATABASE))) {
                throw new CliException(ExitCodes.INPUT, "backup.restore_over_node: " + to + " holds a node's database ("
                        + AuditChainVerifier.DATABASE + "): restoring over a node's data directory, running or not, is "
                        + "refused; restore into a new directory and point the node's configuration at it");
            }
            if (Files.exists(to) && (!Files.isDirectory(to) || !WorkDirs.isEmpty(to))) {
                throw new CliException(ExitCodes.INPUT, "backup.restore_not_empty: " + to + " exists and is not an empty "
                        + "directory; restore into a new directory");
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot look into " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the backup and restores it into {@code to}.
     *
     * @return the backup's manifest
     * @throws StepFailure naming the step that failed; nothing is left at {@code to} then
     */
    static BackupManifest restore(Steps steps, BackupTarget target, Generation generation, BackupKey key, Path to,
            PrintWriter err) {
        refuseOccupied(to);
        Path destination = to.toAbsolutePath().normalize();
        Path work = WorkDirs.create(destination.getParent(), "." + destination.getFileName() + ".restoring-");
        boolean moved = false;
        try {
            BackupManifest manifest = BackupCheck.run(steps, target, generation, key, work);
            steps.run("node configuration", () -> writeConfig(work), file -> file + " with dataDir \".\"");
            steps.run("owner-only permissions", () -> {
                WorkDirs.ownerOnly(work);
                return null;
            }, nothing -> "directories 0700, files 0600 (patients' data" + (manifest.withKeys() ? " and private keys)" : ")"));
            steps.run("move into place", () -> moveIntoPlace(work, destination), path -> path.toString());
            moved = true;
            return manifest;
        } finally {
            if (!moved) {
                WorkDirs.delete(work, err);
            }
        }
    }

    /** The backed-up configuration as the restored node's {@code node.json}, its data directory being its own directory. */
    private static String writeConfig(Path dir) throws IOException {
        NodeConfigFile.read(dir.resolve(NodeConfigFile.IN_BACKUP)).set("dataDir", ".").write(dir.resolve(CONFIG));
        Files.delete(dir.resolve(NodeConfigFile.IN_BACKUP));
        if (WorkDirs.isEmpty(dir.resolve("config"))) {
            Files.delete(dir.resolve("config"));
        }
        return CONFIG;
    }

    private static Path moveIntoPlace(Path work, Path to) throws IOException {
        refuseOccupied(to); // again: something may have been put there while the backup was checked
        Files.deleteIfExists(to); // an empty directory the operator made for it
        Files.move(work, to, StandardCopyOption.ATOMIC_MOVE);
        return to;
    }
}
