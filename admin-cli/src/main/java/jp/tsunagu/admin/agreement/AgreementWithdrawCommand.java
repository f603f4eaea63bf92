package jp.tsunagu.admin.agreement;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement withdraw}: signs this node's withdrawal. */
@Command(name = "withdraw", mixinStandardHelpOptions = true,
        description = "Sign this node's withdrawal from an agreement. It takes effect as soon as a node imports it "
                + "(agreement submit); from then on nothing flows to or from this node under the agreement.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin agreement withdraw --identity minowa-identity --agreement kamiina-v2.json --out minowa.withdrawal.json",
            "  tsunagu-admin agreement submit --node http://127.0.0.1:9080 minowa.withdrawal.json"})
public final class AgreementWithdrawCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--identity", required = true, paramLabel = "DIR", description = "The withdrawing node's identity directory.")
    Path identity;
    @Option(names = "--agreement", required = true, paramLabel = "FILE", description = "The agreement to leave.")
    Path agreement;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Withdrawal statement to write.")
    Path out;

    @Override
    public Integer call() {
        AgreementDocument document = AgreementFiles.document(agreement);
        NodeIdentity node = NodeIdentity.load(identity);
        WithdrawalStatement statement = WithdrawalStatement.sign(document, node,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        CliFiles.write(out, statement.toPrettyJson());
        spec.commandLine().getOut().println(node.name() + " withdraws from " + document.agreement().id() + " version "
                + document.agreement().version() + "; statement written to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
