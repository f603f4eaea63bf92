package jp.tsunagu.node.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code config-examples/kamiina/setup-agreement.sh} as an operator would, with bash, the admin
 * CLI jar and three real node processes, on a copy of the folder. An integration test (Failsafe):
 * it runs in {@code mvn verify} after both jars are packaged (the reactor builds admin-cli before
 * node for this). {@link AgreementAdminApiTest} covers the same flow in-process.
 *
 * <p>The example's nodes listen on the fixed ports of its configs, so two builds on one machine
 * (e.g. two checkouts verified at once) take turns through a lock file instead of answering each
 * other's requests with the wrong node identity.
 */
class KamiinaScriptIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the Kamiina script inits, signs, merges, amends and submits, and every node ends with version 2 active")
  void kamiinaScript() throws IOException, InterruptedException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    assertThat(repository.resolve("admin-cli/target/tsunagu-admin.jar")).as("built admin jar").isRegularFile();
    assertThat(repository.resolve("node/target/tsunagu-node.jar")).as("built node jar").isRegularFile();
    Path copy = dir.resolve("kamiina");
    copyFolder(repository.resolve("config-examples/kamiina"), copy);
    ProcessBuilder builder = new ProcessBuilder("bash", copy.resolve("setup-agreement.sh").toString())
        .redirectErrorStream(true).directory(dir.toFile());
    builder.environment().put("TSUNAGU_HOME", repository.toString());
    String output;
    Process process;
    Path lockPath = Path.of(System.getProperty("java.io.tmpdir"), "tsunagu-kamiina-ports.lock");
    try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock portsTaken = lockFile.lock()) {
      process = builder.start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("kamiina  2        active").contains("kamiina  1        superseded");
    assertThat(output).containsPattern("minowa +https://127.0.0.1:22444 +yes");
    assertThat(output).as("both versions carry the emergency-access scope, as the demo's agreement does")
        .contains("scopes:   care-team, emergency-access, resources-directory");
    assertThat(output).as("partner-resources sync").containsPattern("minamiminowa +0 +0 +\\d{4}-\\d{2}-\\d{2}T")
        .containsPattern("minowa +0 +0 +\\d{4}-\\d{2}-\\d{2}T");
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
