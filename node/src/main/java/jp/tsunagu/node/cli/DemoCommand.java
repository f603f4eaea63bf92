package jp.tsunagu.node.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.demo.DemoFederation;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.logging.LogSetup;
import jp.tsunagu.node.reference.ReferenceData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: three Kamiina nodes on loopback, until Ctrl-C. */
@Command(name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Starts the demo federation: the three nodes of the Kamiina pact",
        "(伊那市, 南箕輪村, 箕輪町) on loopback, each with its own data directory, and prints where to log in.",
        "Data is kept between runs; delete the demo folder to start afresh. Ctrl-C stops all three."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  java -jar tsunagu-node.jar demo",
        "  java -jar tsunagu-node.jar demo --dir /tmp/tsunagu-demo --base-port 28443",
        "",
        "Exit codes: 0 stopped cleanly, 1 failed, 2 bad command line."})
public final class DemoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "tsunagu-demo",
      description = "The demo folder (default: ${DEFAULT-VALUE} in the current directory).")
  Path dir;

  @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "18443",
      description = "The first port to try (default: ${DEFAULT-VALUE}); each node takes three.")
  int basePort;

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    Path folder = dir.toAbsolutePath();
    java.nio.file.Files.createDirectories(folder);
    Path log = folder.resolve(LOG_FILE);
    LogSetup.demo(log);
    RunUntilStopped stopping = RunUntilStopped.listen();
    DemoFederation demo = DemoFederation.start(folder, basePort);
    // Everything the start-up logs went to the file; the banner comes last and stays on screen.
    String banner = banner(demo, folder, log);
    PrintWriter out = spec.commandLine().getOut();
    out.print(banner);
    out.flush();
    stopping.run(demo::close);
    return 0;
  }

  /** The demo's log file inside the demo folder (all INFO lines; the console shows warnings only). */
  static final String LOG_FILE = "demo.log";

  static String banner(DemoFederation demo, Path folder, Path log) {
    java.io.StringWriter text = new java.io.StringWriter();
    PrintWriter out = new PrintWriter(text);
    out.println();
    out.println("つなぐ (Tsunagu) デモ — 上伊那広域連携 (Kamiina pact): " + demo.nodes().size() + " nodes on loopback");
    out.println("demo folder: " + folder + "   log: " + log);
    for (TsunaguNode node : demo.nodes()) {
      var config = node.services().config();
      String municipalities = String.join("・", config.node().municipalities().stream()
          .map(code -> ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))
          .toList());
      out.printf("  %-13s %-28s %s%n", config.node().name(), municipalities + " " + config.node().displayName(),
          config.webUrl());
      out.printf("  %-13s %-28s %s%n", "", "admin / metrics", node.adminUrl() + "/metrics");
      out.printf("  %-13s %-28s %s%n", "", "admin token (--token-file)",
          config.dataDir().resolve(jp.tsunagu.node.keys.AdminToken.FILE));
      for (DemoAccounts.Login login : DemoAccounts.ensure(node.services())) {
        out.printf("  %-13s login %-24s %s%n", "", login.loginId(), login.who());
      }
      jp.tsunagu.node.family.FamilyDemo.login(node.services()).ifPresent(family -> out.printf(
          "  %-13s login %-24s %s%n", "", jp.tsunagu.node.family.FamilyDemo.LOGIN_ID, family));
      for (DemoFederation.ReviewerLogin reviewer : demo.partnerReviewers()) {
        if (reviewer.node().equals(config.node().name())) {
          out.printf("  %-13s login %-24s %s%n", "", reviewer.loginId(), reviewer.who());
        }
      }
    }
    var agreement = demo.agreement();
    out.printf("  agreement %s v%d 「%s」: %s (%s)%n", agreement.agreement().id(), agreement.agreement().version(),
        agreement.agreement().title(), agreement.status().wireName(), String.join(", ", agreement.agreement().partyNames()));
    out.println("  デモ用メールボックス (every mail the nodes sent): " + demo.mailbox().url());
    out.println();
    out.println("Open a web URL above in a browser. Each node has its own host name (*.localhost is this");
    out.println("machine), so one browser keeps a separate login per node. The certificates are the nodes'");
    out.println("own (self-signed): accept the browser's warning once per node. Ctrl-C stops all nodes.");
    out.println("Demo logins: every login id above, password '" + DemoAccounts.PASSWORD + "' (password-only login");
    out.println("is allowed on demo nodes from this machine only; a real node also requires the device certificate).");
    out.println("Mails (facility approval, certificate retrieval numbers, passwords) go to the mailbox above.");
    out.flush();
    return text.toString();
  }
}
