package jp.tsunagu.admin.node;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.identity.NodeIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code node export-card}: writes the public identity card. */
@Command(name = "export-card", mixinStandardHelpOptions = true,
        description = "Write this node's public identity card (JSON: name, municipalities, endpoint, TLS pin, "
                + "signing public key) to give to partners drafting an agreement. It holds no secret.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin node export-card --dir ina-identity --out ina.card.json"})
public final class NodeExportCardCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Identity directory.")
    Path dir;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Card file to write.")
    Path out;

    @Override
    public Integer call() {
        NodeIdentity identity = NodeIdentity.load(dir);
        CliFiles.write(out, identity.card().toPrettyJson());
        spec.commandLine().getOut().println("wrote identity card of " + identity.name() + " to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
