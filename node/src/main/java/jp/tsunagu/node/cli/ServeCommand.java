package jp.tsunagu.node.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve --config FILE}: runs one node until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve",
    mixinStandardHelpOptions = true,
    description = {"Runs one node with the given configuration until stopped.",
        "Every key can be overridden by an environment variable: web.port -> TSUNAGU_WEB_PORT,",
        "node.municipalities -> TSUNAGU_NODE_MUNICIPALITIES (comma-separated), dataDir -> TSUNAGU_DATA_DIR."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  java -jar tsunagu-node.jar serve --config config-examples/single-node/node.json",
        "  TSUNAGU_WEB_PORT=9443 java -jar tsunagu-node.jar serve --config node.json",
        "",
        "Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad configuration (one line names the key)."})
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's JSON configuration file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    NodeConfig nodeConfig = ConfigLoader.fromProcessEnvironment().load(config);
    LogSetup.apply(nodeConfig.log());
    RunUntilStopped stopping = RunUntilStopped.listen();
    TsunaguNode node = TsunaguNode.start(nodeConfig);
    stopping.run(java.util.List.of(node));
    return 0;
  }
}
