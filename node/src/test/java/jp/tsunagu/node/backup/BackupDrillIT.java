package jp.tsunagu.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.keys.AdminToken;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's whole backup path with the packaged jars (Failsafe, after both are built): a key
 * made with {@code backup keygen}, a node with the demo's data backed up by {@code backup drill},
 * which creates, verifies, restores, starts a node on the copy with the node jar, reads it through
 * its admin API and stops it; then a backup with the keys restored with {@code backup restore} and
 * started as the node itself, holding the same rows under the same identity.
 */
class BackupDrillIT {

  @TempDir
  Path dir;

  @Test
  void keygen_drill_then_restore_with_keys_gives_the_same_node_back() throws Exception {
    Path repository = Path.of("").toAbsolutePath().getParent();
    Path adminJar = repository.resolve("admin-cli/target/tsunagu-admin.jar");
    Path nodeJar = repository.resolve("node/target/tsunagu-node.jar");
    assertThat(adminJar).as("built admin jar").isRegularFile();
    assertThat(nodeJar).as("built node jar").isRegularFile();

    Path key = dir.resolve("ina.backup-key");
    String keygen = admin(adminJar, 0, "backup", "keygen", "--out", key.toString());
    Matcher recipient = Pattern.compile("recipient: (tsunagu-backup-1-\\S+)").matcher(keygen);
    assertThat(recipient.find()).as(keygen).isTrue();

    Path target = dir.resolve("nas");
    Path home = Files.createDirectories(dir.resolve("ina"));
    Path configFile = Files.writeString(home.resolve("node.json"), TestNodes.json("ina")
        .put("backup", new JsonObject().put("target", target.toString()).put("recipient", recipient.group(1))
            .put("schedule", "off")).encodePrettily());
    JsonObject summary;
    String pin;
    try (TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).load(configFile).asDemo())) {
      node.features().forEach(NodeFeature::seedDemo);
      BackupFaultsTest.attachments(node, 3, 50_000);
      String url = "http://127.0.0.1:" + node.adminPort();
      String token = node.services().config().dataDir().resolve(AdminToken.FILE).toString();

      String drill = admin(adminJar, 0, "backup", "drill", "--node", url, "--token-file", token,
          "--target", target.toString(), "--key", key.toString(), "--node-jar", nodeJar.toString(),
          "--work-dir", Files.createDirectories(dir.resolve("work")).toString());
      assertThat(drill).contains("DRILL PASSED");
      assertThat(admin(adminJar, 0, "backup", "list", "--node", url, "--token-file", token)).contains("verified");

      String created = admin(adminJar, 0, "backup", "create", "--with-keys", "--node", url, "--token-file", token);
      assertThat(created).contains("ina-");
      summary = node.feature(BackupFeature.class).backups().overview();
      pin = node.services().keys().identity().tlsPin();
    }
    String newest = summary.getJsonObject("lastSuccess").getString("name");
    Path restored = dir.resolve("restored");
    admin(adminJar, 0, "backup", "restore", "--node", "ina", "--target", target.toString(), "--key", key.toString(), "--backup", newest,
        "--to", restored.toString());
    assertThat(AuditChainVerifier.verify(restored, List.of()).intact()).isTrue();
    String refused = admin(adminJar, 3, "backup", "restore", "--node", "ina", "--target", target.toString(), "--key", key.toString(),
        "--to", restored.toString());
    assertThat(refused).contains("backup.restore_over_node");

    try (TsunaguNode again = TsunaguNode.start(new ConfigLoader(name -> null).load(restored.resolve("node.json")))) {
      assertThat(again.services().keys().identity().tlsPin()).as("the same identity").isEqualTo(pin);
      long patients = again.services().database().submitRead(c -> {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from patients")) {
          rs.next();
          return rs.getLong(1);
        }
      }).join();
      assertThat(patients).isPositive();
    }
  }

  /** Runs the admin jar and returns its output; the exit code must be {@code expected}. */
  private String admin(Path jar, int expected, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + "\n" + output).isEqualTo(expected);
    return output;
  }
}
