package jp.tsunagu.node.backup;

import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.GenerationReader;
import jp.tsunagu.node.NodeMain;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.keys.AdminToken;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups meeting faults on real nodes: a target that fills up mid-backup (a small tmpfs) and a node
 * killed with SIGKILL mid-backup. Neither leaves anything that looks like a complete backup, and the
 * next backup to a target with room again succeeds and opens.
 */
class BackupFaultsTest {

  static final BackupKey KEY = BackupKey.generate();

  @TempDir
  Path dir;
  Path mounted;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_target_that_fills_up_mid_backup_leaves_no_backup_and_the_next_one_succeeds_once_there_is_room()
      throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", nas.toString())
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "mounting a small tmpfs needs root (CI runs as root)");
    mounted = nas;
    Path filler = Files.write(nas.resolve("filler"), new byte[3 * 1024 * 1024]);
    try (TsunaguNode node = TsunaguNode.start(config(dir.resolve("node"), nas.toString()))) {
      attachments(node, 8, 200_000); // 1.6 MB of attachments that do not compress: more than the room left
      JsonObject failed = backup(node.adminPort(), node.services().config().dataDir());
      assertThat(failed.getString("state")).isEqualTo("failed");
      assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("backup.target_full");
      BackupTarget target = BackupTarget.of(nas, "ina");
      assertThat(target.list()).as("nothing looks complete").isEmpty();
      assertThat(files(target.root().resolve("partial"))).as("nothing left aside").isEmpty();

      Files.delete(filler);
      JsonObject ok = backup(node.adminPort(), node.services().config().dataDir());
      assertThat(ok.getString("state")).as(ok.encode()).isEqualTo("succeeded");
      Path restored = Files.createDirectories(dir.resolve("restored"));
      assertThat(GenerationReader.extract(target, target.list().get(0), KEY, restored, p -> {}).attachments()).hasSize(8);
    }
  }

  @Test
  void a_node_killed_mid_backup_leaves_no_backup_and_its_next_start_backs_up_and_clears_what_was_left()
      throws Exception {
    Path nodeDir = dir.resolve("node");
    try (TsunaguNode node = TsunaguNode.start(config(nodeDir, "nas"))) {
      attachments(node, 40, 2_000_000); // 80 MB: the backup takes long enough to be killed in
    }
    int adminPort = freePort();
    JsonObject json = TestNodes.json("ina").put("backup", backupJson("nas"))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort));
    Path configFile = Files.writeString(nodeDir.resolve("node.json"), json.encodePrettily());
    Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), "serve", "--config",
        configFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
    BackupTarget target = BackupTarget.of(nodeDir.resolve("nas"), "ina");
    try {
      Path dataDir = nodeDir.resolve("ina-data");
      waitReady(adminPort);
      String id = start(adminPort, dataDir);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      JsonObject run = run(adminPort, dataDir, id);
      while (!(run.getString("step").equals("attachments") && run.getLong("done") >= 5)) {
        assertThat(run.getString("state")).as(run.encode()).isEqualTo("running");
        assertThat(System.nanoTime()).as("reached the attachments").isLessThan(deadline);
        Thread.sleep(20);
        run = run(adminPort, dataDir, id);
      }
      serve.destroyForcibly(); // SIGKILL
      assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      serve.destroyForcibly();
    }
    assertThat(target.list()).as("a backup cut off is never complete").isEmpty();
    assertThat(files(target.root().resolve("partial"))).as("the archive being written stays aside").isNotEmpty();

    try (TsunaguNode again = TsunaguNode.start(new ConfigLoader(name -> null).load(configFile)
        .withPorts(0, 0, 0))) {
      JsonObject ok = backup(again.adminPort(), again.services().config().dataDir());
      assertThat(ok.getString("state")).as(ok.encode()).isEqualTo("succeeded");
      assertThat(ok.getJsonObject("backup").getLong("objectsAdded")).as("objects finished before the kill are kept")
          .isLessThan(40);
    }
    assertThat(files(target.root().resolve("partial"))).as("cleared by the next backup").isEmpty();
    Path restored = Files.createDirectories(dir.resolve("restored"));
    assertThat(GenerationReader.extract(target, target.list().get(0), KEY, restored, p -> {}).attachments()).hasSize(40);
  }

  static jp.tsunagu.node.config.NodeConfig config(Path dir, String target) {
    return new ConfigLoader(name -> null).fromJson(TestNodes.json("ina").put("backup", backupJson(target)), dir);
  }

  static JsonObject backupJson(String target) {
    return new JsonObject().put("target", target).put("recipient", KEY.recipient()).put("schedule", "off");
  }

  static void attachments(TsunaguNode node, int count, int size) {
    AttachmentFiles files = new AttachmentFiles(node.services().config().dataDir());
    Random random = new Random(size);
    for (int i = 0; i < count; i++) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      files.store(AttachmentFiles.sha256(content), content, AttachmentType.PDF);
    }
  }

  static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }

  JsonObject backup(int adminPort, Path dataDir) throws Exception {
    String id = start(adminPort, dataDir);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = run(adminPort, dataDir, id);
      if (!run.getString("state").equals("running")) {
        return run;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the backup did not end");
  }

  String start(int adminPort, Path dataDir) throws Exception {
    HttpResponse<String> started = http.send(request(adminPort, dataDir, "/admin/v1/backups")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    return new JsonObject(started.body()).getJsonObject("run").getString("id");
  }

  JsonObject run(int adminPort, Path dataDir, String id) throws Exception {
    return new JsonObject(http.send(request(adminPort, dataDir, "/admin/v1/backups/runs/" + id).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  static HttpRequest.Builder request(int adminPort, Path dataDir, String path) throws IOException {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .header("Authorization", "Bearer " + Files.readString(dataDir.resolve(AdminToken.FILE)).trim());
  }

  void waitReady(int adminPort) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node did not become ready: " + Files.readString(dir.resolve("serve.log")));
  }

}
