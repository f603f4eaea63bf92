package jp.tsunagu.admin.resources;

import picocli.CommandLine.Command;

/** Groups the commands about partner nodes' published resources (wide-area resources). */
@Command(name = "partner-resources", mixinStandardHelpOptions = true,
        description = "Inspect and pull the copies of partner nodes' published regional resources (agreements with "
                + "the resources-directory scope).",
        subcommands = {PartnerResourcesStatusCommand.class, PartnerResourcesSyncCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin partner-resources status --node http://127.0.0.1:9080",
            "  tsunagu-admin partner-resources sync --node http://127.0.0.1:9080"})
public final class PartnerResourcesCommand {
}
