package jp.tsunagu.node;

import java.io.PrintWriter;
import jp.tsunagu.node.cli.AuditCommand;
import jp.tsunagu.node.cli.DemoCommand;
import jp.tsunagu.node.cli.ServeCommand;
import jp.tsunagu.node.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tsunagu-node.jar serve|demo}. */
@Command(name = "tsunagu-node",
    mixinStandardHelpOptions = true,
    versionProvider = NodeMain.Version.class,
    description = "Runs a Tsunagu node (つなぐ), the server a municipality runs for home medical and care collaboration.",
    subcommands = {ServeCommand.class, DemoCommand.class, AuditCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
        "  java -jar tsunagu-node.jar serve --config config-examples/single-node/node.json",
        "  java -jar tsunagu-node.jar demo",
        "  java -jar tsunagu-node.jar audit verify --data DIR",
        "",
        "Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad command line or configuration."})
public final class NodeMain {

  public static final int EXIT_FAILED = 1;
  public static final int EXIT_CONFIG = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree with the shared error handling (tests run it in-process). */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new NodeMain());
    commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (error instanceof ConfigException) {
        err.println("error: " + error.getMessage());
        return EXIT_CONFIG;
      }
      err.println("error: " + error.getMessage());
      return EXIT_FAILED;
    });
    return commandLine;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tsunagu-node " + NodeVersion.get()};
    }
  }
}
