package jp.tsunagu.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every node configuration the repository hands operators as an example (`config-examples/`) is
 * read by the node's own loader, with every check a start makes of its file: an example that a
 * renamed or newly required key has left behind fails here, not at an operator's first start.
 */
class ConfigExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "config-examples");

  @Test
  void every_node_configuration_among_the_examples_loads() throws IOException {
    List<Path> nodeConfigs = nodeConfigurations();

    // single node, three instances, the Kamiina three and the Aichi nodes at least
    assertThat(nodeConfigs).hasSizeGreaterThanOrEqualTo(5);
    ConfigLoader loader = new ConfigLoader(name -> null);
    for (Path file : nodeConfigs) {
      assertThatCode(() -> loader.load(file)).as(file.toString()).doesNotThrowAnyException();
    }
  }

  @Test
  void the_cluster_example_is_read_as_a_cluster_of_three() throws IOException {
    NodeConfig config = new ConfigLoader(name -> null).load(EXAMPLES.resolve("three-instances/node.json"));

    assertThat(config.cluster()).isPresent();
  }

  private static List<Path> nodeConfigurations() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".json")).filter(ConfigExamplesTest::isNodeConfiguration)
          .sorted().toList();
    }
  }

  /** The examples also hold other JSON (agreement drafts, identity cards); a node's file names its node. */
  private static boolean isNodeConfiguration(Path file) {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getValue("node") instanceof JsonObject;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
