package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.backup.GenerationReader;

/**
 * The checks every backup passes before it counts as good, shared by {@code verify}, {@code restore}
 * and {@code drill}: decrypt it and check every file against its manifest ({@link GenerationReader}),
 * then the database's integrity, audit chain and row counts ({@link DatabaseChecks}).
 */
final class BackupCheck {
    private BackupCheck() {
    }

    /**
     * Extracts and checks a backup into {@code into} (existing and empty).
     *
     * @return its manifest
     * @throws StepFailure naming the check that failed
     */
    static BackupManifest run(Steps steps, BackupTarget target, Generation generation, BackupKey key, Path into) {
        BackupManifest manifest = steps.run("decrypt and check files",
                () -> GenerationReader.extract(target, generation, key, into, progress -> { }),
                m -> m.files().size() + " files and " + m.attachments().size() + " attachments match the manifest ("
                        + Sizes.bytes(m.files().stream().mapToLong(BackupManifest.FileEntry::size).sum()
                                + m.attachments().stream().mapToLong(BackupManifest.FileEntry::size).sum()) + ")");
        DatabaseChecks.all(steps, into, manifest);
        return manifest;
    }

    /** The line that introduces a backup. */
    static String heading(Generation generation) {
        return "backup " + generation.name() + " (created " + jp.tsunagu.admin.Times.seconds(generation.createdAt())
                + ", archive " + Sizes.bytes(generation.archiveBytes()) + ", " + generation.objects().size()
                + " attachment objects, " + (generation.withKeys() ? "with" : "without") + " keys, schema "
                + generation.schemaVersion() + ")";
    }

    /**
     * @param name a backup's name, or null for the newest
     * @throws CliException exit 3 {@code backup.not_found} when there is no such backup, or none
     */
    static Generation choose(BackupTarget target, String name) {
        try {
            if (name != null) {
                return target.find(name);
            }
            List<Generation> all = target.list();
            if (all.isEmpty()) {
                throw new ProtocolException("backup.not_found", "no complete backup of " + target.node() + " in "
                        + target.root());
            }
            return all.get(0);
        } catch (ProtocolException e) {
            throw new CliException(ExitCodes.INPUT, e.code() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records a verification's outcome beside the backup. A target that cannot be written (a
     * read-only mount) does not hide the outcome itself: it is a warning, and the caller's answer.
     *
     * @return whether it was recorded
     */
    static boolean record(BackupTarget target, Generation generation, Generation.Verification outcome, PrintWriter err) {
        try {
            target.recordVerification(generation.name(), outcome);
            return true;
        } catch (ProtocolException e) {
            err.println("warning: the outcome could not be recorded in the target: " + e.code() + ": " + e.getMessage());
            err.flush();
            return false;
        }
    }

    /** Prints a failure as every command does: {@code error: <code>: <message>} naming the step. */
    static void report(PrintWriter err, StepFailure failure) {
        err.println("error: " + failure.code() + ": " + failure.step() + ": " + failure.getMessage());
        err.flush();
    }
}
