package jp.tsunagu.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit verify --data DIR}: checks the hash chain of a node's audit log. */
@Command(name = "audit",
    mixinStandardHelpOptions = true,
    description = "Works with a node's append-only, hash-chained audit log.",
    subcommands = {AuditCommand.Verify.class})
public final class AuditCommand {

  /** Reports the first broken link of the chain; exit 0 intact, 1 broken, 2 no database. */
  @Command(name = "verify",
      mixinStandardHelpOptions = true,
      description = {"Verifies the audit log of the node whose data directory is DIR, read-only,",
          "and reports the first row that was modified, deleted or inserted, and rows deleted at the end",
          "(the end must match the node's signed checkpoint, audit-checkpoint.jws)."},
      footerHeading = "%nExamples:%n",
      footer = {"  java -jar tsunagu-node.jar audit verify --data /var/lib/tsunagu",
          "  java -jar tsunagu-node.jar audit verify --data /var/lib/tsunagu --checkpoint /backup/ina/audit-checkpoint.jws", "",
          "Exit codes: 0 intact, 1 broken, 2 no readable database in DIR."})
  public static final class Verify implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The node's data directory.")
    Path dataDir;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = {"A copy of audit-checkpoint.jws kept",
        "elsewhere (with the backups): the log must still reach its row unchanged. Repeatable."})
    List<Path> kept = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      AuditChainVerifier.Result result;
      try {
        result = AuditChainVerifier.verify(dataDir, kept);
      } catch (ProtocolException e) {
        err.println("error: " + e.getMessage());
        return NodeMain.EXIT_CONFIG;
      }
      result.report().forEach(out::println);
      return result.intact() ? 0 : NodeMain.EXIT_FAILED;
    }
  }
}
