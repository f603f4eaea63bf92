package jp.tsunagu.admin.cluster;

import picocli.CommandLine.Command;

/** Groups the commands about the instances of a clustered node. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Inspect the instances of a node that runs as a cluster.",
        subcommands = {ClusterStatusCommand.class},
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin cluster status --node http://127.0.0.1:9080"})
public final class ClusterCommand {
}
