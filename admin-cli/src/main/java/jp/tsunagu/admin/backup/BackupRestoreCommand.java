package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backup restore}: a backup as a new data directory, checked first, moved into place only when good. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a new data directory DIR: decrypt it beside DIR, run every check of 'backup "
                + "verify', write DIR/node.json (the backed-up configuration with dataDir \".\"), make everything owner-only, "
                + "and only then rename it to DIR, so a failed restore leaves nothing. A DIR that exists and is not empty is "
                + "refused (backup.restore_not_empty), a node's data directory above all (backup.restore_over_node), and "
                + "nothing is written then.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin backup restore --target /mnt/nas/tsunagu --node ina --key /media/usb-key/ina.backup-key \\",
            "      --to /var/lib/tsunagu/ina-restored",
            "  tsunagu-admin backup restore --target /mnt/nas/tsunagu --node ina --key ina.backup-key \\",
            "      --backup ina-20261205T020000Z --to /var/lib/tsunagu/ina-restored"})
public final class BackupRestoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    KeyOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The node whose backup to restore (its node.name).")
    String nodeName;

    @Option(names = "--backup", paramLabel = "NAME", description = "The backup to restore. Default: the newest.")
    String backupName;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The new data directory (must not exist, or be empty).")
    Path to;

    @Override
    public Integer call() {
        Restorer.refuseOccupied(to); // before the key is even read: nothing is touched for a refused DIR
        BackupTarget target = BackupTarget.of(options.target, nodeName);
        Generation generation = BackupCheck.choose(target, backupName);
        PrintWriter out = spec.commandLine().getOut();
        out.println(BackupCheck.heading(generation));
        Steps steps = new Steps(out);
        BackupManifest manifest;
        try {
            manifest = Restorer.restore(steps, target, generation, options.key(), to, spec.commandLine().getErr());
        } catch (StepFailure failure) {
            out.println("NOT RESTORED: " + generation.name() + " (" + failure.step() + " failed; nothing was written to " + to + ")");
            out.flush();
            BackupCheck.report(spec.commandLine().getErr(), failure);
            return failure.exitCode();
        }
        out.println("restored: " + generation.name() + " into " + to + " (" + Sizes.time(steps.total()) + ")");
        nextSteps(out, manifest);
        out.flush();
        return ExitCodes.OK;
    }

    private void nextSteps(PrintWriter out, BackupManifest manifest) {
        Path config = to.resolve(Restorer.CONFIG);
        out.println();
        out.println("Next:");
        int n = 1;
        if (!manifest.withKeys()) {
            out.println("  " + n++ + ". This backup holds no private keys. Copy identity/signing/, identity/tls/ and user-ca/ "
                    + "from where you keep the node's keys into " + to + " before starting it. Never remove identity/ to make "
                    + "the node start: it would make a new identity that partners do not trust.");
        }
        out.println("  " + n++ + ". Check " + config + " (hosts, ports, tls files, mail, backup.target) for this machine.");
        out.println("  " + n++ + ". Stop the old node if it still runs anywhere, then: tsunagu-node serve --config " + config);
        out.println("  " + n + ". The node makes a new admin-token at its first start; 'tsunagu-admin audit verify --data "
                + to + "' checks the restored audit log at any time.");
    }
}
