package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backup verify}: proves a backup can be restored without restoring it. Every outcome is
 * recorded beside the backup ({@code NAME.verified.json}), so {@code backup list} and the node's
 * retention see which backups are known good.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a backup offline, on any machine that sees the target: decrypt it with the backup key into a "
                + "temporary directory, check every file and attachment against its manifest, run SQLite's integrity check, "
                + "verify the audit chain against the backup's own checkpoint, compare each table's row count with the "
                + "manifest; record the outcome beside the backup and delete the temporary directory. Exit 0 only when "
                + "verified, 1 when not (the code says why: backup.key_wrong, backup.truncated, backup.tampered, "
                + "backup.object_missing, backup.database_corrupt, backup.audit_broken, backup.row_counts_differ), "
                + "3 when there is no such backup (backup.not_found) or the key file is unreadable.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin backup verify --target /mnt/nas/tsunagu --node ina --key /media/usb-key/ina.backup-key",
            "  tsunagu-admin backup verify --target /mnt/nas/tsunagu --node ina --key ina.backup-key --backup ina-20261206T020000Z",
            "  tsunagu-admin backup verify --target /mnt/nas/tsunagu --node ina --key ina.backup-key --all"})
public final class BackupVerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    KeyOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The node whose backups to verify (its node.name).")
    String nodeName;

    @Option(names = "--backup", paramLabel = "NAME", description = "The backup to verify. Default: the newest.")
    String backupName;

    @Option(names = "--all", description = "Verify every backup of the node, newest first.")
    boolean all;

    @Override
    public Integer call() {
        if (all && backupName != null) {
            throw new CliException(ExitCodes.USAGE, "give --backup NAME or --all, not both");
        }
        BackupTarget target = BackupTarget.of(options.target, nodeName);
        BackupKey key = options.key();
        List<Generation> chosen = all ? target.list() : List.of(BackupCheck.choose(target, backupName));
        if (chosen.isEmpty()) {
            BackupCheck.choose(target, null); // reports backup.not_found
        }
        int exitCode = ExitCodes.OK;
        for (Generation generation : chosen) {
            int one = verify(target, generation, key);
            exitCode = exitCode == ExitCodes.OK ? one : exitCode;
        }
        return exitCode;
    }

    private int verify(BackupTarget target, Generation generation, BackupKey key) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(BackupCheck.heading(generation));
        Steps steps = new Steps(out);
        Path work = WorkDirs.create(options.workDir, "tsunagu-verify-");
        try {
            BackupCheck.run(steps, target, generation, key, work);
            boolean recorded = BackupCheck.record(target, generation, new Generation.Verification(true, Instant.now(), null, null),
                    spec.commandLine().getErr());
            out.println("verified: " + generation.name() + " (" + Sizes.time(steps.total())
                    + (recorded ? ", recorded in the target)" : ", NOT recorded: the target is not writable)"));
            out.flush();
            // the operator asked for a verification that counts: one the target does not know of is an I/O error
            return recorded ? ExitCodes.OK : ExitCodes.INPUT;
        } catch (StepFailure failure) {
            boolean recorded = BackupCheck.record(target, generation, new Generation.Verification(false, Instant.now(),
                    failure.code(), failure.step() + ": " + failure.getMessage()), spec.commandLine().getErr());
            out.println("NOT VERIFIED: " + generation.name() + " (" + failure.step() + " failed"
                    + (recorded ? "; recorded in the target)" : ")"));
            out.flush();
            BackupCheck.report(spec.commandLine().getErr(), failure);
            return failure.exitCode();
        } finally {
            WorkDirs.delete(work, spec.commandLine().getErr());
        }
    }
}
