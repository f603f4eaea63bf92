package jp.tsunagu.node.backup;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import jp.tsunagu.node.care.timeline.TimelineBenchmark;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;

/**
 * Backups of a node at the timeline benchmark's scale (3,000,000 posts at scale 1, plus 2,000
 * attachments of 100 KB): in the same run, {@code cp} of the same files with the node stopped (the
 * baseline), a full backup of the running node, an incremental one right after (no attachment copied
 * again), the timeline p99 of 32 logged-in professionals without a backup and while one runs, and a
 * verification (decrypt, every hash, integrity check, audit chain, row counts). Figures as ratios
 * against the baseline. Run with {@code mvn -B -q -pl node -am -Pbench verify -DskipTests
 * -Dbench.care.dir=DIR} (a directory the timeline benchmark's data set is kept in and reused).
 */
public final class BackupBenchmark {

  private static final String NETWORK = "higashi-mikawa";
  private static final int ATTACHMENTS = 2_000;
  private static final Pattern P99 = Pattern.compile("p99 +([0-9.]+) ms");

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = Double.parseDouble(System.getProperty("bench.care.scale", "1"));
    Path dir = Optional.ofNullable(System.getProperty("bench.care.dir")).filter(d -> !d.isBlank()).map(Path::of)
        .orElseGet(() -> temp("tsunagu-backup-bench-"));
    Files.createDirectories(dir);
    NodeConfig plain = TestNodes.config(dir, NETWORK);
    Path people = TimelineBenchmark.prepare(plain, dir, scale);
    Path work = Files.createDirectories(dir.resolve("backup-bench"));
    deleteTree(work);
    BackupKey key = BackupKey.generate();
    NodeConfig config = plain.withBackup(new NodeConfig.Backup(Optional.of(work.resolve("target")),
        Optional.of(key.recipient()), Optional.empty(), java.time.ZoneId.of("Asia/Tokyo"), 7, 4, 12, false,
        Optional.empty()));
    attachments(config.dataDir());
    System.out.printf(Locale.ROOT, "Tsunagu backup benchmark (%d cores, node %s, scale %s: database %s, attachments %s)%n",
        Runtime.getRuntime().availableProcessors(), config.node().name(), scale, mb(Files.size(config.databaseFile())),
        mb(size(config.dataDir().resolve("attachments"))));

    long cpNanos = copyWithCp(config, work.resolve("cp"));
    long cpBytes = size(work.resolve("cp"));
    System.out.printf(Locale.ROOT, "  baseline: cp -a of the database and attachments (node stopped) + sync   %6.1f s  %s%n",
        cpNanos / 1e9, mb(cpBytes));
    deleteTree(work.resolve("cp"));

    try (TsunaguNode node = TsunaguNode.start(config)) {
      NodeBackups backups = node.feature(BackupFeature.class).backups();
      Path certificate = dir.resolve("node-certificate.pem");
      Files.writeString(certificate, node.services().keys().webCertificatePem());

      double quiet = timelineP99(node, certificate, people, null);
      long[] full = new long[1];
      double during = timelineP99(node, certificate, people, () -> full[0] = System.nanoTime());
      Generation first = awaitBackup(backups, full);
      long fullNanos = full[0];
      long fullBytes = first.archiveBytes() + first.bytesAdded();
      System.out.printf(Locale.ROOT, "  full backup (online, encrypted)                                       %6.1f s  %s"
          + "   time %.2f x cp, size %.2f x cp%n", fullNanos / 1e9, mb(fullBytes), (double) fullNanos / cpNanos,
          (double) fullBytes / cpBytes);

      long[] second = {System.nanoTime()};
      backups.start(BackupRun.Trigger.OPERATOR, false);
      Generation incremental = awaitBackup(backups, second);
      long incrementalBytes = incremental.archiveBytes() + incremental.bytesAdded();
      System.out.printf(Locale.ROOT, "  incremental backup right after (%d of %d attachments copied)           %6.1f s  %s"
          + "   time %.2f x cp, size %.2f x cp%n", incremental.objectsAdded(), incremental.objects().size(),
          second[0] / 1e9, mb(incrementalBytes), (double) second[0] / cpNanos, (double) incrementalBytes / cpBytes);
      System.out.printf(Locale.ROOT, "  timeline p99, 32 clients: %.1f ms without a backup, %.1f ms while one runs"
          + "   ratio %.2f%n", quiet, during, during / quiet);

      BackupTarget target = BackupTarget.of(work.resolve("target"), config.node().name());
      long verifyNanos = verify(target, target.find(incremental.name()), key, work.resolve("verify"));
      System.out.printf(Locale.ROOT, "  verify (decrypt, every SHA-256, integrity check, audit chain, row counts) %6.1f s"
          + "   %.2f x cp%n", verifyNanos / 1e9, (double) verifyNanos / cpNanos);
    } finally {
      deleteTree(work);
    }
    System.exit(0);
  }

  /** 2,000 attachments of 100 KB that do not compress, as uploads leave them; made once per data set. */
  private static void attachments(Path dataDir) {
    AttachmentFiles files = new AttachmentFiles(dataDir);
    Random random = new Random(2026);
    byte[] content = new byte[100_000];
    for (int i = 0; i < ATTACHMENTS; i++) {
      random.nextBytes(content);
      String hash = AttachmentFiles.sha256(content);
      if (!Files.exists(files.file(hash))) {
        files.store(hash, content, AttachmentType.PDF);
      }
    }
  }

  private static long copyWithCp(NodeConfig config, Path into) throws Exception {
    Files.createDirectories(into);
    long started = System.nanoTime();
    run("cp", "-a", config.databaseFile().toString(), config.dataDir().resolve("attachments").toString(),
        into.toString());
    run("sync");
    return System.nanoTime() - started;
  }

  /** Runs the timeline load (reads only) in a child JVM; {@code onBegin} is called when its measurement begins. */
  private static double timelineP99(TsunaguNode node, Path certificate, Path people, Runnable onBegin) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dbench.care.only=timeline",
        "-Dbench.care.seconds=" + System.getProperty("bench.backup.seconds", "30"),
        "-Dbench.care.warmup=" + System.getProperty("bench.care.warmup", "20"),
        "jp.tsunagu.node.care.timeline.TimelineLoad", String.valueOf(node.webPort()), certificate.toString(),
        people.toString()));
    Process load = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    double p99 = Double.NaN;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.equals("BEGIN timeline") && onBegin != null) {
          onBegin.run();
          node.feature(BackupFeature.class).backups().start(BackupRun.Trigger.OPERATOR, false);
        }
        Matcher m = P99.matcher(line);
        if (line.contains("only timeline") && m.find()) {
          p99 = Double.parseDouble(m.group(1));
          System.out.println("  " + line.strip() + (onBegin == null ? "   (no backup)" : "   (a backup running)"));
        }
      }
    }
    if (load.waitFor() != 0) {
      throw new IllegalStateException("the load generator failed");
    }
    return p99;
  }

  /** Waits for the running backup; {@code started[0]} becomes its duration. */
  private static Generation awaitBackup(NodeBackups backups, long[] started) throws InterruptedException {
    while (true) {
      JsonObject overview = backups.overview();
      JsonObject run = overview.getJsonArray("runs").getJsonObject(0);
      if (!run.getString("state").equals("running")) {
        if (!run.getString("state").equals("succeeded")) {
          throw new IllegalStateException("the backup failed: " + run.encode());
        }
        started[0] = System.nanoTime() - started[0];
        return backups.target().find(run.getJsonObject("backup") != null ? run.getJsonObject("backup").getString("name")
            : overview.getJsonObject("lastSuccess").getString("name"));
      }
      Thread.sleep(100);
    }
  }

  /** What 'backup verify' does: decrypt and check every file, then the database and its audit chain. */
  private static long verify(BackupTarget target, Generation generation, BackupKey key, Path into) throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(into);
    BackupManifest manifest = GenerationReader.extract(target, generation, key, into, p -> {});
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + into.resolve("tsunagu.db"));
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma integrity_check")) {
      rs.next();
      if (!rs.getString(1).equals("ok")) {
        throw new IllegalStateException("integrity check: " + rs.getString(1));
      }
      if (!Snapshot.describe(null, c).rowCounts().equals(manifest.rowCounts())) {
        throw new IllegalStateException("row counts differ from the manifest");
      }
    }
    AuditChainVerifier.Result audit = AuditChainVerifier.verify(into, List.of());
    if (!audit.intact()) {
      throw new IllegalStateException(String.join("; ", audit.report()));
    }
    long took = System.nanoTime() - started;
    deleteTree(into);
    return took;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  private static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%,8.0f MB", bytes / 1e6);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
