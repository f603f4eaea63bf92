package jp.tsunagu.admin.node;

import picocli.CommandLine.Command;

/** Groups the commands about this node's own identity. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Create and inspect this node's identity (signing keys and TLS certificate).",
        subcommands = {NodeInitCommand.class, NodeShowCommand.class, NodeExportCardCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin node init --dir ina-identity --name ina --municipality 202096 --endpoint https://ina.example.jp:8443",
            "  tsunagu-admin node export-card --dir ina-identity --out ina.card.json"})
public final class NodeCommand {
}
