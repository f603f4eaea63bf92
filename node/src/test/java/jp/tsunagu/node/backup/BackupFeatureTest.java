package jp.tsunagu.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.backup.GenerationReader;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.testing.TestAdmin;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online backups of a real node with the demo's data (patients, timelines, photos), made through the
 * admin API while it runs, opened again with the operator's key: every file matches its manifest,
 * the database copy is intact and holds the rows the manifest counts, its audit chain ends at the
 * checkpoint signed for it, and a second backup copies no attachment again.
 */
class BackupFeatureTest {

  static final BackupKey KEY = BackupKey.generate();

  @TempDir
  Path dir;
  TsunaguNode node;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    JsonObject json = TestNodes.json("ina").put("backup", new JsonObject().put("target", "nas")
        .put("recipient", KEY.recipient()).put("schedule", "off"));
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir).asDemo());
    node.features().forEach(NodeFeature::seedDemo);
    // Files as uploads leave them (content-addressed, a photo with its thumbnail), as the care feature stores them.
    AttachmentFiles files = new AttachmentFiles(node.services().config().dataDir());
    for (int i = 0; i < 3; i++) {
      byte[] content = ("%PDF-1.7 紹介状 " + i).repeat(5_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      files.store(AttachmentFiles.sha256(content), content, AttachmentType.PDF);
    }
    byte[] photo = photo();
    assertThat(files.store(AttachmentFiles.sha256(photo), photo, AttachmentType.JPEG)).as("a thumbnail").isTrue();
  }

  static byte[] photo() {
    try {
      java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(640, 480,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(image, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void a_backup_of_a_running_node_opens_with_the_key_and_matches_its_manifest_and_the_database() throws Exception {
    JsonObject run = backup(false);
    assertThat(run.getString("state")).as(run.encode()).isEqualTo("succeeded");
    String name = run.getJsonObject("backup").getString("name");

    BackupTarget target = BackupTarget.of(dir.resolve("nas"), "ina");
    Generation generation = target.find(name);
    Path restored = Files.createDirectories(dir.resolve("restored"));
    BackupManifest manifest = GenerationReader.extract(target, generation, KEY, restored, p -> {});

    assertThat(manifest.node()).isEqualTo("ina");
    assertThat(manifest.withKeys()).isFalse();
    assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
        .contains("tsunagu.db", "audit-checkpoint.jws", "identity/node.json")
        .noneMatch(path -> path.startsWith("identity/signing") || path.startsWith("identity/tls")
            || path.startsWith("user-ca"));
    assertThat(manifest.rowCounts().get("patients")).isPositive();
    assertThat(manifest.rowCounts().get("posts")).isPositive();
    assertThat(manifest.attachments().stream().filter(a -> a.path().startsWith("attachments/")).toList())
        .as("three documents, a photo and its thumbnail").hasSize(5).anyMatch(a -> a.path().endsWith(".thumb.jpg"));
    assertThat(manifest.attachments().stream().filter(a -> a.path().startsWith("review/attachments/")).count())
        .as("the review board's materials (the demo's)").isEqualTo(reviewFiles().size()).isPositive();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored.resolve("tsunagu.db"));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("pragma integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      assertThat(Snapshot.describe(restored.resolve("tsunagu.db"), c).rowCounts()).isEqualTo(manifest.rowCounts());
    }
    AuditChainVerifier.Result audit = AuditChainVerifier.verify(restored, List.of());
    assertThat(audit.intact()).as(audit.report().toString()).isTrue();
    assertThat(audit.checkpoint()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(manifest.auditSeq()));
    for (BackupManifest.FileEntry attachment : manifest.attachments()) {
      assertThat(Files.mismatch(restored.resolve(attachment.path()),
          node.services().config().dataDir().resolve(attachment.path()))).isEqualTo(-1L);
    }

    JsonObject again = backup(false);
    assertThat(again.getString("state")).isEqualTo("succeeded");
    assertThat(again.getJsonObject("backup").getLong("objectsAdded")).as("attachments already in the target").isZero();
    assertThat(again.getJsonObject("backup").getInteger("objects")).isEqualTo(manifest.attachments().size());

    JsonObject list = get("/admin/v1/backups");
    assertThat(list.getJsonArray("backups")).as("one a day is kept: the newer of today's two").hasSize(1);
    assertThat(Files.exists(target.archive(name))).isFalse();
    assertThat(list.getJsonObject("lastSuccess").getString("name")).isEqualTo(again.getJsonObject("backup").getString("name"));
    assertThat(list.getBoolean("stale")).isFalse();
    assertThat(list.getJsonArray("runs")).hasSize(2);
  }

  /**
   * The review board's store is backed up like care's; a material its deletion removed is in no later
   * backup, and its object leaves the target once no kept backup names it.
   */
  @Test
  void review_materials_are_backed_up_and_a_deleted_one_leaves_the_later_backups() throws Exception {
    List<Path> review = reviewFiles();
    assertThat(review).isNotEmpty();
    JsonObject first = backup(false);
    assertThat(first.getString("state")).as(first.encode()).isEqualTo("succeeded");
    BackupTarget target = BackupTarget.of(dir.resolve("nas"), "ina");
    String gone = node.services().config().dataDir().relativize(review.get(0)).toString().replace('\\', '/');
    Files.delete(review.get(0)); // as the deletion removes it
    JsonObject second = backup(false);
    assertThat(second.getString("state")).isEqualTo("succeeded");
    Path restored = Files.createDirectories(dir.resolve("restored-review"));
    BackupManifest manifest = GenerationReader.extract(target, target.find(second.getJsonObject("backup")
        .getString("name")), KEY, restored, p -> {});
    assertThat(manifest.attachments()).extracting(BackupManifest.FileEntry::path).doesNotContain(gone)
        .anyMatch(path -> path.startsWith("review/attachments/"));
    assertThat(Files.exists(restored.resolve(gone))).isFalse();
    assertThat(second.getJsonObject("backup").getInteger("objects"))
        .isEqualTo(first.getJsonObject("backup").getInteger("objects") - 1);
    try (java.util.stream.Stream<Path> walk = Files.walk(dir.resolve("nas"))) {
      assertThat(walk.filter(Files::isRegularFile).filter(f -> f.getParent().toString().contains("objects")).count())
          .as("the first backup (pruned: one a day is kept) took the deleted file's object with it")
          .isEqualTo(second.getJsonObject("backup").getInteger("objects").longValue());
    }
  }

  private List<Path> reviewFiles() throws IOException {
    Path root = node.services().config().dataDir().resolve("review").resolve("attachments");
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void keys_are_in_a_backup_only_when_asked_for() throws Exception {
    JsonObject run = backup(true);
    BackupTarget target = BackupTarget.of(dir.resolve("nas"), "ina");
    Path restored = Files.createDirectories(dir.resolve("restored"));
    BackupManifest manifest = GenerationReader.extract(target, target.find(run.getJsonObject("backup").getString("name")),
        KEY, restored, p -> {});
    assertThat(manifest.withKeys()).isTrue();
    assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
        .anyMatch(path -> path.startsWith("identity/signing/")).contains("identity/tls/private-key.pem",
            "user-ca/ca-key.pem");
    try (Stream<Path> files = Files.walk(dir.resolve("nas"))) {
      String key = Files.readString(node.services().config().dataDir().resolve("identity/tls/private-key.pem"));
      String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("no key in the clear in %s", file).doesNotContain(body);
      }
    }
  }

  @Test
  void a_backup_while_another_holds_the_target_fails_as_in_progress_and_is_recorded_and_audited() throws Exception {
    BackupTarget target = BackupTarget.of(dir.resolve("nas"), "ina");
    JsonObject run;
    try (BackupTarget.Lock held = target.lock()) {
      run = backup(false);
    }
    assertThat(run.getString("state")).isEqualTo("failed");
    assertThat(run.getJsonObject("error").getString("code")).isEqualTo("backup.in_progress");
    assertThat(target.list()).isEmpty();
    JsonObject list = get("/admin/v1/backups");
    assertThat(list.getJsonArray("runs").getJsonObject(0).getString("state")).isEqualTo("failed");
    assertThat(list.getValue("lastSuccess")).isNull();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + node.services().config().databaseFile());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from audit_log where action = 'backup.failed'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    assertThat(backup(false).getString("state")).as("free again").isEqualTo("succeeded");
  }

  @Test
  void the_storage_summary_counts_the_live_database_and_a_run_unknown_is_404() throws Exception {
    JsonObject summary = get("/admin/v1/storage/summary");
    assertThat(summary.getString("node")).isEqualTo("ina");
    assertThat(summary.getJsonObject("rowCounts").getLong("patients")).isPositive();
    assertThat(summary.getJsonObject("audit").getLong("seq")).isPositive();
    HttpResponse<String> unknown = send(HttpRequest.newBuilder(admin("/admin/v1/backups/runs/nope")).GET());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("backup.run_not_found");
    HttpResponse<String> bad = send(HttpRequest.newBuilder(admin("/admin/v1/backups"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"withKeys\":\"yes\"}")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(BackupTarget.of(dir.resolve("nas"), "ina").list()).isEmpty();
  }

  @Test
  void a_daily_slot_missed_while_the_node_was_down_is_caught_up_at_start_by_the_schedule() throws Exception {
    node.close();
    JsonObject json = TestNodes.json("ina").put("backup", new JsonObject().put("target", "nas")
        .put("recipient", KEY.recipient()).put("schedule", "00:00"));
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    JsonObject list = get("/admin/v1/backups");
    while (list.getValue("lastSuccess") == null && System.nanoTime() < deadline) {
      Thread.sleep(200);
      list = get("/admin/v1/backups");
    }
    assertThat(list.getJsonArray("runs").getJsonObject(0).getString("trigger")).isEqualTo("schedule");
    assertThat(list.getJsonArray("backups")).hasSize(1);
    assertThat(list.getString("schedule")).isEqualTo("00:00 Asia/Tokyo");
    assertThat(list.getBoolean("stale")).isFalse();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(admin("/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"lastSuccess\"").doesNotContain("warning");
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(admin("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).containsPattern("tsunagu_backup_last_success_age_seconds\\S* [0-9]");
  }

  /** Starts a backup through the admin API and waits for its run to end. */
  JsonObject backup(boolean withKeys) throws Exception {
    HttpResponse<String> started = send(HttpRequest.newBuilder(admin("/admin/v1/backups"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("withKeys", withKeys).encode())));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = new JsonObject(started.body()).getJsonObject("run").getString("id");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = get("/admin/v1/backups/runs/" + id);
      if (!run.getString("state").equals("running")) {
        return run;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the backup did not end");
  }

  JsonObject get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(admin(path)).GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.header("Authorization", TestAdmin.authorization(node)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + node.adminPort() + path);
  }

}
