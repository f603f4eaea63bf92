package jp.tsunagu.admin.agreement;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.identity.NodeIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement sign}: adds this node's signature. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Verify an agreement file and add this node's signature. Writes nothing when anything fails.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin agreement sign --identity ina-identity --out kamiina.ina.json kamiina.draft.json"})
public final class AgreementSignCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--identity", required = true, paramLabel = "DIR", description = "This node's identity directory.")
    Path identity;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Signed file to write.")
    Path out;
    @Parameters(index = "0", paramLabel = "IN", description = "Draft or partly signed agreement.")
    Path in;

    @Override
    public Integer call() {
        AgreementDocument document = AgreementFiles.document(in);
        NodeIdentity node = NodeIdentity.load(identity);
        AgreementDocument signed = document.sign(node);
        CliFiles.write(out, signed.toPrettyJson());
        spec.commandLine().getOut().println("signed " + signed.agreement().id() + " version " + signed.agreement().version()
                + " as " + node.name() + " (" + signed.signedBy().size() + " of " + signed.agreement().parties().size()
                + " parties signed) to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
