package jp.tsunagu.admin.backup;

import picocli.CommandLine.Command;

/** Groups the backup commands (issue 18): the operator's key, backups of a running node, and proving they restore. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Back up a node, list its backups, and prove they restore: keygen, create, list (online), verify, "
                + "restore (offline, with the backup key), drill (all of it, with a throw-away node started on the copy).",
        subcommands = {BackupKeygenCommand.class, BackupCreateCommand.class, BackupListCommand.class,
            BackupVerifyCommand.class, BackupRestoreCommand.class, BackupDrillCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin backup keygen --out /media/usb-key/ina.backup-key",
            "  tsunagu-admin backup create --node http://127.0.0.1:9080 --token-file /var/lib/tsunagu/admin-token",
            "  tsunagu-admin backup list --node http://127.0.0.1:9080 --token-file /var/lib/tsunagu/admin-token",
            "  tsunagu-admin backup verify --target /mnt/nas/tsunagu --node ina --key /media/usb-key/ina.backup-key",
            "  tsunagu-admin backup restore --target /mnt/nas/tsunagu --node ina --key ina.backup-key --to /var/lib/tsunagu/ina-new",
            "  tsunagu-admin backup drill --target /mnt/nas/tsunagu --key ina.backup-key --node http://127.0.0.1:9080"})
public final class BackupCommand {
}
