package jp.tsunagu.admin.agreement;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.agreement.AgreementDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement merge}: combines separately made signatures. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine signatures made separately on the same agreement. Refuses files whose payloads differ.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin agreement merge --out kamiina.json kamiina.ina.json kamiina.minamiminowa.json"})
public final class AgreementMergeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Merged file to write.")
    Path out;
    @Parameters(arity = "1..*", paramLabel = "IN", description = "Signed copies of one agreement.")
    List<Path> inputs;

    @Override
    public Integer call() {
        AgreementDocument merged = AgreementDocument.merge(inputs.stream().map(AgreementFiles::document).toList());
        CliFiles.write(out, merged.toPrettyJson());
        spec.commandLine().getOut().println("merged " + inputs.size() + " files: " + merged.signedBy().size() + " of "
                + merged.agreement().parties().size() + " parties signed, written to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
