package jp.tsunagu.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as an operator's service manager runs it, in a process of its own: a SIGTERM (what
 * {@code systemctl stop} and {@code docker stop} send) stops the node cleanly and the process exits
 * 0, as the command's help promises, not the 143 of a JVM ended by a signal.
 */
class ServeStopTest {

  @TempDir
  Path dir;

  @Test
  void sigterm_stops_the_node_cleanly_and_the_process_exits_0() throws Exception {
    stopAfter("serving");
  }

  @Test
  void sigterm_while_the_node_is_still_starting_stops_it_once_it_is_up_and_exits_0() throws Exception {
    // A service manager's stop right after its start: the database is open, the listeners are not yet.
    stopAfter("database tsunagu.db open");
  }

  private void stopAfter(String logged) throws Exception {
    Path config = dir.resolve("node.json");
    Files.writeString(config, TestNodes.json("ina").encodePrettily());
    Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), "serve", "--config",
        config.toString()).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        if (line.contains(logged)) {
          break;
        }
      }
      assertThat(serve.isAlive()).as(String.join("\n", output)).isTrue();
      serve.toHandle().destroy(); // SIGTERM, leaving the output open to read the node stop
      while ((line = lines.readLine()) != null) {
        output.add(line);
      }
    } finally {
      if (!serve.waitFor(60, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
    assertThat(serve.exitValue()).as(String.join("\n", output)).isZero();
    assertThat(output).anyMatch(line -> line.contains("node ina stopped"));
  }
}
