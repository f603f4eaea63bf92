package jp.tsunagu.admin.audit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit verify --data DIR}: walks the node's audit log read-only (safe beside a running
 * node) and reports the first row that was modified, deleted or inserted, or rows cut off at the
 * end (compared with the node's signed checkpoint).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the hash chain of the audit log of the node whose data directory is DIR, and that its "
                + "end matches the node's signed checkpoint (audit-checkpoint.jws, so rows deleted at the end are found too); "
                + "exit 1 names the first broken row.",
        footerHeading = "%n", footer = {"Examples:", "  tsunagu-admin audit verify --data /var/lib/tsunagu/ina",
            "  tsunagu-admin audit verify --data /var/lib/tsunagu/ina --checkpoint /backup/ina/audit-checkpoint.jws"})
public final class AuditVerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The node's data directory.")
    Path dataDir;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A copy of audit-checkpoint.jws kept elsewhere "
            + "(with the backups): the log must still reach its row unchanged, which also finds the database and its "
            + "checkpoint rolled back together. Repeatable.")
    List<Path> kept = new ArrayList<>();

    @Override
    public Integer call() {
        AuditChainVerifier.Result result = AuditChainVerifier.verify(dataDir, kept);
        PrintWriter out = spec.commandLine().getOut();
        result.report().forEach(out::println);
        return result.intact() ? ExitCodes.OK : ExitCodes.NOT_VERIFIED;
    }
}
