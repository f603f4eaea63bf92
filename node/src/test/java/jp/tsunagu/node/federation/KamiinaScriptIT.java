package jp.tsunagu.node.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code config-examples/kamiina/setup-agreement.sh} as an operator would, with bash, the admin
 * CLI jar and three real node processes, on a copy of the folder. It needs both jars built
 * ({@code mvn -B -q package -DskipTests}); without them (a test run before packaging) it is skipped,
 * and {@link AgreementAdminApiTest} covers the same flow in-process.
 */
class KamiinaScriptTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the Kamiina script inits, signs, merges, amends and submits, and every node ends with version 2 active")
  void kamiinaScript() throws IOException, InterruptedException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    assumeTrue(Files.isRegularFile(repository.resolve("admin-cli/target/tsunagu-admin.jar"))
        && Files.isRegularFile(repository.resolve("node/target/tsunagu-node.jar")), "jars not built");
    Path copy = dir.resolve("kamiina");
    copyFolder(repository.resolve("config-examples/kamiina"), copy);
    ProcessBuilder builder = new ProcessBuilder("bash", copy.resolve("setup-agreement.sh").toString())
        .redirectErrorStream(true).directory(dir.toFile());
    builder.environment().put("TSUNAGU_HOME", repository.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("kamiina  2        active").contains("kamiina  1        superseded");
    assertThat(output).containsPattern("minowa +https://127.0.0.1:22444 +yes");
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> !from.relativize(f).startsWith("data")
          && !from.relativize(f).startsWith("agreements")).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
