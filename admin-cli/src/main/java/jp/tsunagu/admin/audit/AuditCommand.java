package jp.tsunagu.admin.audit;

import picocli.CommandLine.Command;

/** Groups the commands about a node's audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with a node's append-only, hash-chained audit log.",
        subcommands = {AuditVerifyCommand.class},
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin audit verify --data /var/lib/tsunagu/ina"})
public final class AuditCommand {
}
