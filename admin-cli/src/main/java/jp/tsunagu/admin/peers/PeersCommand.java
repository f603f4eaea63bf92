package jp.tsunagu.admin.peers;

import picocli.CommandLine.Command;

/** Groups the commands about federation peers. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "Inspect the nodes this node federates with.",
        subcommands = {PeersStatusCommand.class},
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin peers status --node http://127.0.0.1:9080"})
public final class PeersCommand {
}
