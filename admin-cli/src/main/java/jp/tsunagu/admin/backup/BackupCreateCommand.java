package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backup create}: a backup of a running node now, followed until it is complete. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Make a running node back itself up now (POST /admin/v1/backups) and follow the run until it is "
                + "complete: an online snapshot of the database, the signed audit checkpoint, the configuration and the "
                + "attachments, encrypted to the node's backup.recipient in its backup.target. Exit 4 with the failure's "
                + "code when the node refuses (backup.in_progress, backup.not_configured) or the run fails.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin backup create --node http://127.0.0.1:9080 --token-file /var/lib/tsunagu/admin-token",
            "  tsunagu-admin backup create --with-keys --node http://127.0.0.1:9080   # also the node's private keys"})
public final class BackupCreateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Option(names = "--with-keys", description = "Also back up the node's private keys (identity/signing, identity/tls, user-ca). "
            + "Without them a restore needs the keys from where the operator keeps them.")
    boolean withKeys;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackupRun.Made made = new BackupRun(node.client(), out, Duration.ofMillis(500)).create(withKeys);
        out.println(BackupRun.summary(made));
        out.flush();
        return ExitCodes.OK;
    }
}
